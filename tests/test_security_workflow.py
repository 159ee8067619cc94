"""The workflow held against its own staff: restores, photos, author accounts, embargoes (issue #17)."""

import io
import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles import roles
from articles.models import Article, Author, Photo
from tests.conftest import make_article, make_author, make_photo, make_section, make_user
from tests.forms import article_form
from tests.test_workflow import CHANGELIST, change_url, login, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def newsroom():
    """test_workflow's newsroom: a section, two writers, an editor, an author."""
    writer, other_writer = make_user("wendy", roles.WRITER), make_user("walt", roles.WRITER)
    return {"section": make_section("News"), "writer": writer, "other_writer": other_writer,
            "editor": make_user("eddie", roles.EDITOR), "author": make_author("Wendy Writer")}  # fmt: skip


def local_parts(moment):
    local = timezone.localtime(moment)
    return {"date": local.strftime("%Y-%m-%d"), "time": local.strftime("%H:%M:%S")}


def times(story, field):
    """The form fields that post `story`'s `field` (a date and a time) unchanged."""
    parts = local_parts(getattr(story, field))
    return {f"{field}_0": parts["date"], f"{field}_1": parts["time"]}


def write_story(browser, section, **fields):
    """A story added through the admin by `browser`'s user, so it has a first version."""
    response = browser.post(reverse("admin:articles_article_add"), article_form(section, **fields))
    assert response.status_code == 302
    return Article.objects.order_by("pk").last()


def save(browser, story, **fields):
    story.refresh_from_db()
    data = article_form(story.section, article=story, **{"headline": story.headline, **fields})
    response = browser.post(change_url(story), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    story.refresh_from_db()


def first_version_url(story):
    oldest = Version.objects.get_for_object(story).order_by("pk").first()
    return reverse("admin:articles_article_revision", args=[story.pk, oldest.pk])


def restore(browser, story, url, **fields):
    """POST the revision form as a browser would: the counter it shows, the fields given."""
    page = browser.get(url)
    lock = (
        page.context["adminform"].form["lock_version"].value() if page.status_code == 200 else story.version
    )
    data = article_form(story.section, article=story, **fields)
    data["lock_version"] = str(lock)
    return browser.post(url, data)


# 1. Restoring a version is judged against the story as it is now


def test_writer_cannot_restore_an_old_draft_over_their_story_in_review(newsroom):
    writer = login(newsroom["writer"])
    story = write_story(writer, newsroom["section"], headline="Bridge vote")
    save(writer, story, status="review")
    before = snapshot(story)

    response = restore(
        writer, story, first_version_url(story), headline="Rewritten in review", status="review"
    )
    assert response.status_code == 403
    assert snapshot(story) == before


def test_writer_cannot_restore_an_old_draft_over_their_published_story(newsroom, client):
    writer, editor = login(newsroom["writer"]), login(newsroom["editor"])
    story = write_story(writer, newsroom["section"], headline="Bridge vote")
    save(writer, story, status="review")
    save(editor, story, status="published")
    assert client.get(story.get_absolute_url()).status_code == 200
    before = snapshot(story)

    response = restore(writer, story, first_version_url(story), headline="Defaced", status="review")
    assert response.status_code == 403
    assert snapshot(story) == before and story.published_at is not None
    assert client.get(story.get_absolute_url()).status_code == 200


def test_writer_sees_an_old_version_of_a_story_they_cannot_change_read_only(newsroom):
    writer = login(newsroom["writer"])
    story = write_story(writer, newsroom["section"], headline="Bridge vote")
    save(writer, story, headline="Bridge approved", status="review")
    page = writer.get(first_version_url(story))
    assert page.status_code == 200 and not page.context["has_change_permission"]
    assert '<div class="readonly">Bridge vote</div>' in page.content.decode()


def test_restore_keeps_status_times_and_address_and_editor_can_still_unpublish_with_410(newsroom, client):
    editor = login(newsroom["editor"])
    story = write_story(editor, newsroom["section"], headline="Bridge vote")
    save(editor, story, headline="Bridge approved", status="published")
    url = story.get_absolute_url()

    url_of_version = first_version_url(story)
    form = editor.get(url_of_version).context["adminform"].form
    assert form.initial["headline"] == "Bridge vote" and form.initial["status"] == "published"
    fields = {"headline": "Bridge vote", "status": "published", **times(story, "published_at")}
    response = restore(editor, story, url_of_version, **fields)
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.headline == "Bridge vote" and story.is_published()
    assert client.get(url).status_code == 200

    # a restore that also takes the story down is an unpublish like any other: its address answers 410
    restore(editor, story, url_of_version, headline="Bridge vote", status="draft")
    story.refresh_from_db()
    assert story.status == "draft" and story.unpublished_at is not None
    assert client.get(url).status_code == 410


def test_restore_refuses_a_version_of_another_kind_of_row(newsroom):
    editor, writer = login(newsroom["editor"]), login(newsroom["writer"])
    live = write_story(editor, newsroom["section"], authors=[newsroom["author"]], headline="Live",
                       status="published")  # fmt: skip
    mine = write_story(writer, newsroom["section"], headline="Mine", slug="mine")
    live_before = snapshot(live)
    # Byline and story ids overlap: a version of a byline of the live story whose id is the writer's draft's.
    byline_version = Version.objects.get(content_type__model="byline")
    byline_version.object_id = str(mine.pk)
    byline_version.save()
    url = reverse("admin:articles_article_revision", args=[mine.pk, byline_version.pk])
    data = article_form(newsroom["section"], article=mine, headline="Mine")
    assert writer.post(url, data).status_code == 404
    assert snapshot(live) == live_before


def test_writer_cannot_recover_over_a_live_story_or_recover_a_deleted_published_story(newsroom):
    writer, editor = login(newsroom["writer"]), login(newsroom["editor"])
    story = write_story(writer, newsroom["section"], headline="Bridge vote")
    save(writer, story, status="review")
    save(editor, story, status="published")
    before = snapshot(story)
    oldest = Version.objects.get_for_object(story).order_by("pk").first()
    recover = reverse("admin:articles_article_recover", args=[oldest.pk])
    data = article_form(newsroom["section"], article=story, headline="Recovered over", status="review")
    assert writer.post(recover, data).status_code in (403, 404)
    assert snapshot(story) == before

    gone = write_story(editor, newsroom["section"], headline="Pulled", slug="pulled", status="published")
    last = Version.objects.get_for_object(gone).first()
    gone.delete()
    recover = reverse("admin:articles_article_recover", args=[last.pk])
    data = article_form(newsroom["section"], headline="Pulled", slug="pulled", status="draft")
    assert writer.post(recover, data).status_code == 403
    assert not Article.objects.filter(headline="Pulled").exists()


# 2. A restore moves the stale-save counter forward


def test_restore_moves_the_version_forward_so_a_form_from_before_it_is_refused(newsroom):
    anna, bob = login(newsroom["editor"]), login(make_user("bob", roles.EDITOR))
    story = write_story(anna, newsroom["section"], headline="Bridge vote")
    stale = article_form(newsroom["section"], article=story, headline="Anna's late rewrite")
    save(bob, story, headline="Bridge approved")
    counter = story.version

    assert restore(bob, story, first_version_url(story), headline="Bridge vote").status_code == 302
    story.refresh_from_db()
    assert story.version > counter and story.headline == "Bridge vote"

    response = anna.post(change_url(story), stale)
    assert response.status_code == 200
    assert "Someone else saved this story after you opened it" in response.content.decode()
    story.refresh_from_db()
    assert story.headline == "Bridge vote"


# 3. Photos readers can see, and author accounts


def photo_url(photo):
    return reverse("admin:articles_photo_change", args=[photo.pk])


def photo_form(photo, **fields):
    return {"caption": photo.caption, "credit": photo.credit, "alt_text": photo.alt_text, **fields}


def test_writer_cannot_change_photos_of_published_or_others_stories_or_of_authors(newsroom):
    writer = login(newsroom["writer"])
    on_live = make_photo(caption="Live photo")
    make_article("Live", lead_photo=on_live, created_by=newsroom["writer"])
    on_others_draft = make_photo(caption="Walt's photo")
    make_article("Walt's", status="draft", lead_photo=on_others_draft, created_by=newsroom["other_writer"])
    shared = make_photo(caption="Shared photo")
    make_article("Mine", status="draft", lead_photo=shared, created_by=newsroom["writer"])
    make_article("In review", status="review", lead_photo=shared, created_by=newsroom["writer"])
    portrait = make_photo(caption="Portrait")
    Author.objects.filter(pk=newsroom["author"].pk).update(photo=portrait)

    for photo in (on_live, on_others_draft, shared, portrait):
        page = writer.get(photo_url(photo))
        assert page.status_code == 200 and not page.context["has_change_permission"], photo
        assert writer.post(photo_url(photo), photo_form(photo, caption="Defaced")).status_code == 403
        photo.refresh_from_db()
        assert photo.caption != "Defaced"


def test_writer_changes_photos_only_their_own_drafts_use_or_none_does(newsroom):
    writer = login(newsroom["writer"])
    mine = make_photo(caption="Mine")
    make_article("My draft", status="draft", lead_photo=mine, created_by=newsroom["writer"])
    unused = make_photo(caption="Unused")
    for photo in (mine, unused):
        assert writer.post(photo_url(photo), photo_form(photo, caption="Better")).status_code == 302
        photo.refresh_from_db()
        assert photo.caption == "Better"


def test_editor_changes_any_photo(newsroom):
    photo = make_photo(caption="Live photo")
    make_article("Live", lead_photo=photo)
    editor = login(newsroom["editor"])
    assert editor.post(photo_url(photo), photo_form(photo, caption="Fixed")).status_code == 302
    photo.refresh_from_db()
    assert photo.caption == "Fixed"


def author_form(name, **fields):
    return {"name": name, "slug": name.lower().replace(" ", "-"), "job_title": "", "bio": "", "photo": "",
            "user": "", **fields}  # fmt: skip


def test_writer_creates_authors_but_cannot_link_them_to_accounts(newsroom):
    boss = User.objects.create_superuser("boss", "boss@example.com", "pw")
    writer = login(newsroom["writer"])
    add = reverse("admin:articles_author_add")
    assert writer.post(add, author_form("Not The Boss", user=boss.pk)).status_code == 302
    assert Author.objects.get(name="Not The Boss").user is None

    editor = login(newsroom["editor"])
    assert editor.post(add, author_form("Eddie Again", user=newsroom["editor"].pk)).status_code == 302
    assert Author.objects.get(name="Eddie Again").user == newsroom["editor"]


# 14. Embargoed stories are read by those allowed to


@pytest.fixture
def embargoed(newsroom):
    later = timezone.now() + timedelta(days=1)
    theirs = make_article("Secret merger", embargo_until=later, created_by=newsroom["editor"])
    mine = make_article(
        "My embargoed piece", status="draft", embargo_until=later, created_by=newsroom["writer"]
    )
    return {"theirs": theirs, "mine": mine}


def test_writer_cannot_preview_open_or_list_others_embargoed_stories(newsroom, embargoed):
    writer = login(newsroom["writer"])
    story = embargoed["theirs"]
    make_article("Plain story")
    assert writer.get(reverse("articles:preview", args=[story.pk])).status_code == 404
    assert "Secret merger" not in writer.get(CHANGELIST).content.decode()
    assert "Secret merger" not in writer.get(CHANGELIST + "?q=merger").content.decode()
    assert "Plain story" in writer.get(CHANGELIST).content.decode()
    for name in ("change", "history", "delete"):
        response = writer.get(reverse(f"admin:articles_article_{name}", args=[story.pk]))
        assert response.status_code == 302 and response["Location"] == reverse("admin:index"), name
    editor = login(newsroom["editor"])
    save(editor, story, status="published", **times(story, "published_at"), **times(story, "embargo_until"))
    revision = first_version_url(story)
    assert writer.get(revision).status_code == 404


def test_writer_dashboard_lists_no_embargoed_headline_but_their_own(newsroom, embargoed):
    embargoed["theirs"].status = "published"
    embargoed["theirs"].save()
    page = login(newsroom["writer"]).get(reverse("admin:index")).content.decode()
    assert "Secret merger" not in page
    assert "My embargoed piece" in page  # their own draft
    assert "Secret merger" in login(newsroom["editor"]).get(reverse("admin:index")).content.decode()


def test_editor_and_the_writer_who_created_it_read_an_embargoed_story(newsroom, embargoed):
    editor, writer = login(newsroom["editor"]), login(newsroom["writer"])
    for story in embargoed.values():
        assert editor.get(reverse("articles:preview", args=[story.pk])).status_code == 200
        assert story.headline in editor.get(CHANGELIST).content.decode()
    mine = embargoed["mine"]
    assert writer.get(reverse("articles:preview", args=[mine.pk])).status_code == 200
    assert writer.get(change_url(mine)).context["has_change_permission"]


def test_embargo_lifts_for_everyone_when_it_is_due(newsroom, embargoed, monkeypatch):
    writer = login(newsroom["writer"])
    story = embargoed["theirs"]
    later = timezone.now() + timedelta(days=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert writer.get(reverse("articles:preview", args=[story.pk])).status_code == 200


def test_export_all_leaves_embargoed_stories_out_unless_asked(embargoed):
    make_article("Plain story")

    def exported(*args):
        out = io.StringIO()
        call_command("export_articles", "--all", *args, stdout=out, stderr=io.StringIO())
        return {json.loads(line)["headline"] for line in out.getvalue().splitlines()}

    assert exported() == {"Plain story"}
    assert exported("--embargoed") == {"Plain story", "Secret merger", "My embargoed piece"}
    with pytest.raises(CommandError, match="--embargoed"):
        call_command("export_articles", "--embargoed", stdout=io.StringIO(), stderr=io.StringIO())


# 3, again: the photo library's newer doors (body photos and galleries, front pictures, in-place edits)


def text_url(photo):
    return reverse("admin:articles_photo_text", args=[photo.pk])


def test_writer_cannot_change_photos_that_bodies_galleries_or_fronts_show(newsroom):
    from articles.models import Front, Placement

    writer = login(newsroom["writer"])
    in_live_body = make_photo(caption="In a live body")
    make_article("Live", body=f'<p>x</p><figure data-photo="{in_live_body.pk}"></figure>')
    in_gallery = make_photo(caption="In Walt's gallery")
    gallery = f'<figure data-gallery="999999, {in_gallery.pk}"></figure>'
    make_article("Walt's", status="draft", body=gallery, created_by=newsroom["other_writer"])
    on_front = make_photo(caption="On the home page")
    story = make_article("Placed")
    Placement.objects.create(front=Front.objects.create(), article=story, photo=on_front)
    # a number that merely contains the photo's is someone else's photo
    not_it = make_photo(caption="Not used")
    make_article("Other", body=f'<figure data-photo="{not_it.pk}0"></figure>')

    for photo in (in_live_body, in_gallery, on_front):
        refused = writer.post(text_url(photo), {"field": "caption", "value": "Defaced"})
        assert refused.status_code == 403, photo
        assert writer.post(photo_url(photo), photo_form(photo, caption="Defaced")).status_code == 403
        photo.refresh_from_db()
        assert photo.caption != "Defaced"
    assert writer.post(text_url(not_it), {"field": "caption", "value": "Fine"}).status_code == 200
    page = writer.get(reverse("admin:articles_photo_changelist")).content.decode()
    assert page.count('data-field="caption"') == 1  # the grid offers only the one it may change


def test_writer_changes_a_photo_only_their_own_draft_shows_in_its_body(newsroom):
    writer = login(newsroom["writer"])
    photo = make_photo(caption="Mine")
    make_article("My draft", status="draft", body=f'<figure data-photo="{photo.pk}"></figure>',
                 created_by=newsroom["writer"])  # fmt: skip
    assert writer.post(text_url(photo), {"field": "caption", "value": "Better"}).status_code == 200


# 1, again: a front's history restores only that front's versions


def test_front_history_refuses_a_version_of_another_kind_of_row(newsroom):
    import reversion

    from articles.models import Front

    front = Front.objects.create()
    with reversion.create_revision():
        story = make_article("Old headline", pk=front.pk)
    with reversion.create_revision():
        story.headline = "Current headline"
        story.save()
    old = Version.objects.get_for_object(story).order_by("pk").first()
    editor = login(newsroom["editor"])
    restore = reverse("admin:articles_front_revision", args=[front.pk, old.pk])
    assert editor.get(restore).status_code == 404
    assert editor.post(restore, {"section": ""}).status_code == 404
    recover = reverse("admin:articles_front_recover", args=[old.pk])
    assert editor.post(recover, {"section": ""}).status_code == 404
    story.refresh_from_db()
    assert story.headline == "Current headline"


# 14, again: notes, the photo library and the body's photo picker


def test_a_note_on_an_embargoed_story_emails_only_colleagues_who_may_read_it(newsroom, embargoed, mailoutbox):
    editor = login(newsroom["editor"])
    url = reverse("admin:articles_article_notes", args=[embargoed["theirs"].pk])
    response = editor.post(url, {"text": "@wendy @walt @eddie look"})
    assert response.status_code == 200 and response.json()["mentioned"] == []
    assert mailoutbox == []

    editor_two = make_user("edna", roles.EDITOR)
    response = editor.post(url, {"text": "@edna please check"})
    assert response.json()["mentioned"] == ["edna"]
    assert [m.to for m in mailoutbox] == [[editor_two.email]]


def test_writers_find_no_photo_of_a_story_they_may_not_read_in_the_library(newsroom, embargoed):
    secret_lead = make_photo(caption="Merger signed")
    secret_body = make_photo(caption="Merger handshake")
    theirs = Article.objects.get(pk=embargoed["theirs"].pk)
    theirs.lead_photo, theirs.body = secret_lead, f'<figure data-gallery="{secret_body.pk}"></figure>'
    theirs.save()  # (its body's photos are linked by the save)
    own = make_photo(caption="Merger of my own")
    Article.objects.filter(pk=embargoed["mine"].pk).update(lead_photo=own)
    make_photo(caption="Merger rumours")  # shown to everyone
    Photo.objects.update(
        image="photos/x.jpg", width=4, height=3
    )  # the chooser and picker list photos with a file

    writer = login(newsroom["writer"])
    found = writer.get(reverse("body_photo_search"), {"q": "merger"}).json()["photos"]
    assert sorted(p["caption"] for p in found) == ["Merger of my own", "Merger rumours"]
    asked = f"{secret_lead.pk},{secret_body.pk}"
    assert writer.get(reverse("body_photo_search"), {"ids": asked}).json()["photos"] == []
    chosen = writer.get(reverse("admin:articles_photo_choose"), {"q": "merger"}).json()["results"]
    assert sorted(p["label"] for p in chosen) == ["Merger of my own", "Merger rumours"]
    library = writer.get(reverse("admin:articles_photo_changelist")).content.decode()
    assert "Merger signed" not in library and "Merger handshake" not in library
    for photo in (secret_lead, secret_body):
        assert writer.get(photo_url(photo)).status_code == 302  # the admin's "does not exist"
        assert writer.post(text_url(photo), {"field": "caption", "value": "x"}).status_code == 404

    editor = login(newsroom["editor"])
    found = editor.get(reverse("body_photo_search"), {"q": "merger"}).json()["photos"]
    assert len(found) == 4


def test_uploading_the_file_of_a_photo_under_embargo_tells_nothing_of_it(newsroom, embargoed):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.test_photo_library import jpeg

    editor, writer = login(newsroom["editor"]), login(newsroom["writer"])
    upload = reverse("admin:articles_photo_upload")
    assert editor.post(upload, {"image": SimpleUploadedFile("a.jpg", jpeg())}).status_code == 201
    photo = Photo.objects.get()
    Photo.objects.filter(pk=photo.pk).update(caption="Merger signed")
    Article.objects.filter(pk=embargoed["theirs"].pk).update(lead_photo=photo)

    for response in (
        writer.post(upload, {"image": SimpleUploadedFile("b.jpg", jpeg())}),
        writer.post(reverse("admin:articles_photo_add"), {"image": SimpleUploadedFile("b.jpg", jpeg()),
                    "caption": "", "credit": "", "alt_text": ""}),
    ):  # fmt: skip
        assert response.status_code in (200, 400)
        page = response.content.decode()
        assert "Merger" not in page and f"/{photo.pk}/" not in page
        assert "already in the library, with a story you may not read yet" in page
    assert Photo.objects.count() == 1


# Cross-site POSTs: every new JSON door of the admin checks the CSRF token like its forms


def test_the_desks_and_librarys_json_doors_refuse_posts_without_a_csrf_token(newsroom):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from articles.models import StoryNote

    editor = Client(enforce_csrf_checks=True)
    editor.force_login(newsroom["editor"])
    photo, story = make_photo(caption="Kept"), make_article("Story")
    posts = {
        reverse("admin:articles_photo_upload"): {"image": SimpleUploadedFile("a.jpg", b"x")},
        reverse("admin:articles_photo_text", args=[photo.pk]): {"field": "caption", "value": "Forged"},
        reverse("admin:articles_article_notes", args=[story.pk]): {"text": "Forged"},
        reverse("admin:articles_article_presence", args=[story.pk]): {"token": "t", "action": "take"},
        reverse("admin:articles_desk_author"): {"name": "Forged Author"},
    }
    for url, data in posts.items():
        response = editor.post(url, data, HTTP_ORIGIN="https://evil.example")
        assert response.status_code == 403, url
    photo.refresh_from_db()
    assert photo.caption == "Kept" and not StoryNote.objects.exists()
    assert not Author.objects.filter(name="Forged Author").exists()
