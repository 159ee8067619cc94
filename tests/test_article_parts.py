"""The story page's kept parts (articles/views.py: story_part, related_part): an uncached story page reuses
them, the next render after a save of anything they show shows the save, and the lookup through published()
still decides, at every request, whether the page is shown at all."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import freshness
from articles.models import Article, Correction, Tag
from tests.conftest import make_article, make_author, make_photo, make_section
from tests.test_body import photo_with_file

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def uncached_pages(settings):
    settings.PAGE_CACHE_SECONDS = 0  # every request renders its page: only the kept parts are under test


@pytest.fixture
def story():
    return make_article(
        "Harbour reopens",
        section=make_section("News"),
        authors=[make_author("Anna Berg")],
        tags=["Harbour"],
        lead_photo=make_photo(caption="Cranes at dusk", credit="Photo: Ola"),
        dek="Ships are back.",
    )


def page(client, story):
    response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def main(response):
    """The page without its sidebar (Trending Now and "Just in" list the latest stories)."""
    return response.content.decode().split("<aside")[0]


def queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    return response, len(ctx.captured_queries)


def test_a_story_page_rendered_again_reads_only_the_story_itself(client, story):
    url = story.get_absolute_url()
    client.get(url)  # the site-wide parts, the story's part and its related stories are made
    response, count = queries(client, url)
    assert response.status_code == 200 and "Harbour reopens" in response.content.decode()
    assert count == 1  # the lookup through published(): bylines, tags, related stories are kept


def test_the_page_is_the_same_made_or_reused(client, story):
    make_article("Harbour dredging begins", section=story.section, tags=["Harbour"], ago=timedelta(hours=2))
    assert page(client, story) == page(client, story)


@pytest.mark.parametrize(
    "field, value",
    [("headline", "Harbour closes"), ("body", "<p>New paragraph.</p>"), ("dek", "Ships and gulls are back.")],
)
def test_editing_the_story_shows_on_the_next_render(client, story, field, value):
    page(client, story)
    setattr(story, field, value)
    story.save()
    assert value in page(client, story)


def test_renaming_a_bylines_author_shows_on_the_next_render(client, story):
    page(client, story)
    author = story.bylines.get().author
    author.name = "Anna Berg-Lund"
    author.save()
    html = page(client, story)
    assert "Anna Berg-Lund" in html.split("<aside")[0]
    assert '"name": "Anna Berg-Lund"' in html  # the JSON-LD in the head too


def test_editing_the_lead_photo_shows_on_the_next_render(client, story):
    page(client, story)
    photo = story.lead_photo
    photo.caption = "Cranes at dawn"
    photo.save()
    assert "Cranes at dawn" in page(client, story)


def test_renaming_a_tag_shows_on_the_next_render(client, story):
    page(client, story)
    tag = Tag.objects.get(name="Harbour")
    tag.name = "Port"
    tag.save()
    html = page(client, story)
    assert 'rel="tag">Port</a>' in html and 'content="Port"' in html


def test_a_correction_shows_on_the_next_render(client, story):
    page(client, story)
    Correction.objects.create(article=story, note="The harbour reopened on Monday, not Tuesday.")
    assert "reopened on Monday, not Tuesday" in page(client, story)


def test_renaming_the_section_shows_on_the_next_render(client, story):
    page(client, story)
    section = story.section
    section.name = "Local news"
    section.save()
    assert '<p class="kicker"><a href="/section/news/">Local news</a></p>' in page(client, story)


def test_a_photo_named_in_the_body_shows_once_its_file_arrives(client, story):
    photo = make_photo(caption="Tugboats")  # no file yet: readers do not see it
    story.body = f'<p>Text.</p><figure data-photo="{photo.pk}"></figure>'
    story.save()
    assert "Tugboats" not in page(client, story)
    photo.image = photo_with_file(7).image
    photo.save()
    assert "Tugboats" in page(client, story)


def test_a_draft_saved_elsewhere_leaves_the_kept_parts_alone(client, story):
    url = story.get_absolute_url()
    client.get(url)
    draft = make_article("Secret plan", section=story.section, status="draft", tags=["Harbour"])
    draft.headline = "Secret plan, second draft"
    draft.save()
    response, count = queries(client, url)
    assert count == 1 and "Secret plan" not in response.content.decode()


def test_a_save_while_the_page_is_rendered_is_not_kept_out_of_the_next_render(client, story, monkeypatch):
    from articles import views

    render_article = views.render_article

    def saved_meanwhile(request, article, **kwargs):  # the lookup has read the row; another server saves
        Article.objects.filter(pk=story.pk).update(body="<p>Saved meanwhile.</p>")
        freshness.changed(f"s{story.pk}")
        return render_article(request, article, **kwargs)

    monkeypatch.setattr(views, "render_article", saved_meanwhile)
    assert "Saved meanwhile." not in page(client, story)  # this render read the row before the save
    monkeypatch.setattr(views, "render_article", render_article)
    assert "Saved meanwhile." in page(client, story)  # its part was not kept as if made after it


@pytest.mark.parametrize(
    "change",
    [
        {"status": Article.Status.DRAFT},  # unpublished
        {"published_at": timezone.now() + timedelta(days=1)},  # scheduled
        {"embargo_until": timezone.now() + timedelta(days=1)},  # embargoed
    ],
)
def test_a_story_no_longer_public_is_never_served_from_its_kept_part(client, story, change):
    url = story.get_absolute_url()
    client.get(url)
    Article.objects.filter(pk=story.pk).update(**change)  # not even a signal: the lookup decides alone
    assert client.get(url).status_code in (404, 410)


def test_related_stories_follow_publications_edits_and_removals(client, story):
    page(client, story)
    other = make_article("Harbour dredging begins", section=story.section, ago=timedelta(hours=2))
    assert "Harbour dredging begins" in page(client, story)  # it joined the section
    elsewhere = make_article(
        "Harbour fees rise", section=make_section("Business"), tags=["Harbour"], ago=timedelta(hours=3)
    )
    assert "Harbour fees rise" in page(client, story)  # it joined the story's tag
    other.headline = "Dredging starts at the harbour"
    other.save()
    assert "Dredging starts at the harbour" in page(client, story)
    elsewhere.status = Article.Status.DRAFT
    elsewhere.save()
    assert "Harbour fees rise" not in page(client, story)


def test_a_publication_elsewhere_keeps_the_related_stories(client, story):
    sport = make_section("Sport")  # a new section changes the menu, which the related stories show
    url = story.get_absolute_url()
    client.get(url)
    make_article("Match report", section=sport, tags=["Football"], ago=timedelta(minutes=30))
    client.get("/robots.txt")  # the next go-live moment is looked up again after a publication
    with CaptureQueriesContext(connection) as ctx:
        assert "Match report" not in main(client.get(url))
    made = [
        q["sql"] for q in ctx.captured_queries if "articles_byline" in q["sql"] or "UNION ALL" in q["sql"]
    ]
    assert made == []  # only Trending Now and "Just in" are made again: neither bylines nor related stories


def test_a_kept_page_is_not_dropped_when_a_story_joins_its_section(client, story, settings):
    settings.PAGE_CACHE_SECONDS = 300
    url = story.get_absolute_url()
    client.get(url)
    make_article("Harbour dredging begins", section=story.section, ago=timedelta(hours=2))
    client.get("/robots.txt")
    response, count = queries(client, url)
    assert count == 0  # as docs/freshness.md says: it joins the related stories when the page expires


def test_staff_see_a_write_without_a_signal_at_once(client, staff_client, story):
    page(client, story)
    Article.objects.filter(pk=story.pk).update(body="<p>The gulls are back.</p>")
    assert "The gulls are back." not in page(client, story)  # readers: until its lifetime ends
    assert "The gulls are back." in page(staff_client, story)
    freshness.changed(f"s{story.pk}")
    assert "The gulls are back." in page(client, story)


def test_each_host_has_its_own_absolute_links(client, story, settings):
    settings.ALLOWED_HOSTS = ["testserver", "news.example"]
    page(client, story)
    html = client.get(story.get_absolute_url(), HTTP_HOST="news.example").content.decode()
    assert 'content="http://news.example/author/anna-berg/"' in html
    assert "http://testserver/" not in html
