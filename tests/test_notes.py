"""Internal story notes (articles/notes.py): dated, by whom, @mentions emailed, and never public."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles import notes, roles
from articles.models import StoryNote
from tests.conftest import make_article, make_author, make_user

pytestmark = pytest.mark.django_db

SECRET = "zebrafish-source-is-the-mayor"  # a word no story has


@pytest.fixture
def desk():
    writer = make_user("ana", roles.WRITER, "Ana", "Reyes")
    editor = make_user("tomas", roles.EDITOR, "Tomas", "Berg")
    author = make_author("Henrik Rothen")
    story = make_article("Harbour bridge vote", authors=[author], tags=["Harbour"], created_by=writer)
    return {"writer": writer, "editor": editor, "story": story, "author": author}


def notes_url(story):
    return reverse("admin:articles_article_notes", args=[story.pk])


def test_a_note_is_dated_and_signed(desk):
    note, mentioned = notes.add(desk["story"], desk["writer"], "Check the quote.")
    assert note.author == desk["writer"] and note.created_at is not None and mentioned == []
    assert notes.for_story(desk["story"]) == [note]


def test_an_at_mention_emails_the_colleague_once(desk, mailoutbox):
    make_user("walt", roles.WRITER)  # not mentioned
    _, mentioned = notes.add(
        desk["story"],
        desk["writer"],
        "@Tomas can you check para 3? cc @tomas and @nobody",
        story_url="http://x/1/",
    )
    assert mentioned == [desk["editor"]]
    (mail,) = mailoutbox
    assert mail.to == ["tomas@example.com"]
    assert mail.subject == "Ana Reyes mentioned you on “Harbour bridge vote”"
    assert "can you check para 3?" in mail.body and "http://x/1/" in mail.body


def test_an_email_address_is_not_a_mention(desk, mailoutbox):
    notes.add(desk["story"], desk["writer"], "Write to press@tomas.example")
    assert mailoutbox == []


def test_mentioning_yourself_sends_nothing(desk, mailoutbox):
    notes.add(desk["story"], desk["writer"], "@ana remember this")
    assert mailoutbox == []


def test_writer_leaves_a_note_on_a_story_in_review_through_the_desk(desk, mailoutbox):
    story = desk["story"]
    story.status = "review"
    story.save()
    client = Client()
    client.force_login(desk["writer"])
    response = client.post(notes_url(story), {"text": "Fixed the name, @tomas"})
    assert response.status_code == 200
    assert "Fixed the name" in response.json()["html"] and response.json()["mentioned"] == ["Tomas Berg"]
    assert StoryNote.objects.get().author == desk["writer"]
    assert len(mailoutbox) == 1
    page = client.get(reverse("admin:articles_article_change", args=[story.pk])).content.decode()
    assert "Fixed the name" in page


def test_an_empty_note_is_refused_with_a_reason(desk):
    client = Client()
    client.force_login(desk["editor"])
    response = client.post(notes_url(desk["story"]), {"text": "  "})
    assert response.status_code == 400 and response.json() == {"error": "Write the note first."}
    assert not StoryNote.objects.exists()


def test_notes_need_a_story_the_user_may_read(desk):
    embargoed = make_article(
        "Embargoed", embargo_until=timezone.now() + timedelta(days=3), created_by=desk["editor"]
    )
    other = make_user("walt", roles.WRITER)
    client = Client()
    client.force_login(other)
    assert client.post(notes_url(embargoed), {"text": "peek"}).status_code == 404
    assert client.get(notes_url(desk["story"])).status_code == 405
    anonymous = Client().post(notes_url(desk["story"]), {"text": "hi"})
    assert anonymous.status_code == 302 and not StoryNote.objects.exists()


# Never public: each surface readers or machines see, with a note holding SECRET on a published story.


@pytest.fixture
def noted(desk):
    notes.add(desk["story"], desk["editor"], f"Source: {SECRET}")
    return desk


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/latest/",
        "/section/news/",
        "/author/henrik-rothen/",
        "/tag/harbour/",
        "/feeds/rss/",
        "/feeds/atom/",
        "/section/news/rss/",
        "/author/henrik-rothen/atom/",
        "/tag/harbour/rss/",
        "/sitemap.xml",
        "/sitemap-news.xml",
        "/api/ninjs/",
    ],
)
def test_notes_are_on_no_public_list_feed_or_sitemap(noted, client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert SECRET not in response.content.decode()


def test_notes_are_not_on_the_story_page_nor_its_ninjs(noted, client):
    story = noted["story"]
    page = client.get(story.get_absolute_url())
    assert page.status_code == 200 and "Harbour bridge vote" in page.content.decode()
    assert SECRET not in page.content.decode()
    assert SECRET not in client.get(f"/api/ninjs/{story.pk}/").content.decode()


def test_notes_are_not_searchable(noted, client):
    response = client.get("/search/", {"q": "zebrafish"})
    assert response.status_code == 200 and list(response.context["results"]) == []
    assert [s.headline for s in client.get("/search/", {"q": "harbour"}).context["results"]] == [
        "Harbour bridge vote"
    ]


def test_notes_are_not_in_the_staff_preview(noted):
    client = Client()
    client.force_login(noted["editor"])
    page = client.get(reverse("articles:preview", args=[noted["story"].pk]))
    assert page.status_code == 200 and SECRET not in page.content.decode()


@pytest.mark.parametrize("options", [["--all"], ["--format", "ninjs"]])
def test_notes_are_not_exported(noted, options):
    out = io.StringIO()
    call_command("export_articles", *options, stdout=out, stderr=io.StringIO())
    assert "Harbour bridge vote" in out.getvalue() and SECRET not in out.getvalue()


def test_a_note_leaves_cached_pages_alone(noted, monkeypatch):
    """Readers never see notes, so writing one must not make any cached page stale."""
    from articles.freshness import changes

    marked = []
    monkeypatch.setattr(changes, "_mark", lambda keys: marked.append(set(keys)))
    notes.add(noted["story"], noted["editor"], "another")
    assert marked == []
