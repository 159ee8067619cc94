import re
import time
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles import roles, trending
from articles.models import Article, Correction, HourlyViews, OldSlug
from tests.conftest import make_article, make_author, make_photo, make_section, make_user
from tests.forms import article_form

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")


def login(user):
    browser = Client()
    browser.force_login(user)
    return browser


def change_url(story):
    return reverse("admin:articles_article_change", args=[story.pk])


def local_parts(moment):
    local = timezone.localtime(moment)
    return local.strftime("%Y-%m-%d"), local.strftime("%H:%M:%S")


@pytest.fixture
def newsroom():
    section = make_section("News")
    writer, other_writer = make_user("wendy", roles.WRITER), make_user("walt", roles.WRITER)
    editor = make_user("eddie", roles.EDITOR)
    return {"section": section, "writer": writer, "other_writer": other_writer, "editor": editor,
            "author": make_author("Wendy Writer"), "author2": make_author("Eddie Editor")}  # fmt: skip


def snapshot(story):
    story.refresh_from_db()
    return (story.headline, story.status, story.published_at, story.embargo_until, story.version)


# Roles


def test_migrate_creates_roles_with_their_permissions():
    writer = set(Group.objects.get(name="Writer").permissions.values_list("codename", flat=True))
    editor = set(Group.objects.get(name="Editor").permissions.values_list("codename", flat=True))
    assert "add_article" in writer and "publish_article" not in writer
    assert "publish_article" in editor and "add_correction" in editor
    Group.objects.get(name="Writer").permissions.clear()
    roles.sync_roles()  # what every `migrate` runs
    assert set(Group.objects.get(name="Writer").permissions.values_list("codename", flat=True)) == writer


def test_writer_writes_and_submits_a_draft(newsroom):
    browser = login(newsroom["writer"])
    data = article_form(newsroom["section"], [newsroom["author"], newsroom["author2"]])
    assert browser.post(reverse("admin:articles_article_add"), data).status_code == 302
    story = Article.objects.get()
    assert story.created_by == newsroom["writer"]
    assert [b.author.name for b in story.bylines.all()] == ["Wendy Writer", "Eddie Editor"]

    data = article_form(newsroom["section"], article=story, headline="Better headline", status="review")
    assert browser.post(change_url(story), data).status_code == 302
    story.refresh_from_db()
    assert (story.headline, story.status, story.published_at) == ("Better headline", "review", None)

    # submitted: the writer can no longer change it
    before = snapshot(story)
    data = article_form(newsroom["section"], article=story, headline="Sneaky", status="draft")
    assert browser.post(change_url(story), data).status_code == 403
    assert snapshot(story) == before


def test_writer_cannot_publish_or_schedule_through_the_form(newsroom):
    browser = login(newsroom["writer"])
    story = make_article("Mine", status="draft", created_by=newsroom["writer"])
    before = snapshot(story)
    soon = timezone.now() + timedelta(hours=1)
    date, time = local_parts(soon)
    data = article_form(
        newsroom["section"], article=story, headline="Mine", status="published",
        published_at_0=date, published_at_1=time, embargo_until_0=date, embargo_until_1=time,
    )  # fmt: skip
    response = browser.post(change_url(story), data)
    assert response.status_code == 200
    assert "status" in response.context["adminform"].form.errors
    assert snapshot(story) == before

    # the read-only time fields are ignored even when posted
    data.update(status="draft", headline="Mine, edited")
    assert browser.post(change_url(story), data).status_code == 302
    story.refresh_from_db()
    assert (story.headline, story.published_at, story.embargo_until) == ("Mine, edited", None, None)


def test_writer_has_no_publish_actions_and_posting_them_changes_nothing(newsroom):
    browser = login(newsroom["writer"])
    story = make_article("Mine", status="draft", created_by=newsroom["writer"])
    response = browser.get(CHANGELIST)
    actions = dict(response.context["action_form"].fields["action"].choices)
    assert "submit_for_review" in actions
    assert "publish_now" not in actions and "unpublish" not in actions
    before = snapshot(story)
    browser.post(CHANGELIST, {"action": "publish_now", "_selected_action": [story.pk]})
    assert snapshot(story) == before
    live = make_article("Live")
    browser.post(CHANGELIST, {"action": "unpublish", "_selected_action": [live.pk]})
    assert live.is_published() and Article.objects.get(pk=live.pk).status == "published"


def test_writer_cannot_edit_published_or_others_stories(newsroom):
    browser = login(newsroom["writer"])
    others = make_article("Walt's draft", status="draft", created_by=newsroom["other_writer"])
    published = make_article("Published", created_by=newsroom["writer"])
    for story in (others, published):
        before = snapshot(story)
        page = browser.get(change_url(story))
        assert page.status_code == 200 and not page.context["has_change_permission"]  # read-only view
        data = article_form(newsroom["section"], article=story, headline="Overwritten")
        assert browser.post(change_url(story), data).status_code == 403
        delete = reverse("admin:articles_article_delete", args=[story.pk])
        assert browser.post(delete, {"post": "yes"}).status_code == 403
        assert snapshot(story) == before


def test_editor_schedules_embargoes_and_unpublishes(newsroom, client):
    browser = login(newsroom["editor"])
    story = make_article("Waiting", status="review", created_by=newsroom["writer"])
    later = timezone.now() + timedelta(hours=2)
    date, time = local_parts(later)
    data = article_form(
        newsroom["section"], article=story, headline="Waiting", status="published",
        published_at_0=date, published_at_1=time,
    )  # fmt: skip
    assert browser.post(change_url(story), data).status_code == 302
    story.refresh_from_db()
    assert story.status_label == "Scheduled"
    assert story.published_at.replace(microsecond=0) == later.replace(microsecond=0)
    assert client.get("/").content.decode().count("Waiting") == 0

    story.published_at = timezone.now() - timedelta(minutes=1)
    story.save()
    assert story.is_published()
    browser.post(CHANGELIST, {"action": "unpublish", "_selected_action": [story.pk]})
    story.refresh_from_db()
    assert story.status == "draft" and story.unpublished_at is not None


# Visibility


def public_pages(client, story):
    """The public surfaces a story can appear on, and whether it does (page caches included)."""
    urls = [
        "/", "/latest/", story.section.get_absolute_url(), "/author/wendy-writer/", "/tag/climate/",
        "/search/?q=Gated", "/feeds/rss/", "/sitemap-articles.xml", "/sitemap-news.xml", "/api/ninjs/",
    ]  # fmt: skip
    path = f"/{story.slug}/"  # article pages, feeds, sitemaps and the API all carry the story's address
    listed = {
        url: path in client.get(url).content.decode().split('<div class="rail-inline">')[0].split("<aside")[0]
        for url in urls
    }
    listed["trending"] = story.pk in [article_id for article_id, _score, _views in trending.ranking(5)]
    listed["article"] = client.get(story.get_absolute_url()).status_code == 200
    listed["api story"] = client.get(reverse("articles:api_story", args=[story.pk])).status_code == 200
    return listed


@pytest.mark.parametrize("gate", ["scheduled", "embargoed"])
def test_scheduled_and_embargoed_stories_stay_off_every_public_surface_until_due(client, newsroom, gate):
    due = timezone.now() + timedelta(seconds=3)
    extra = {"published_at": due} if gate == "scheduled" else {"embargo_until": due}
    story = make_article("Gated story", authors=[newsroom["author"]], tags=["Climate"], **extra)
    HourlyViews.objects.create(article=story, hour=trending.hour_of(), views=99)
    assert story.status_label == ("Scheduled" if gate == "scheduled" else "Embargoed")
    hidden = public_pages(client, story)
    assert timezone.now() < due, "the checks took too long to prove anything"
    assert not any(hidden.values()), hidden

    # time passes: no job runs and nothing is saved; the query (and the page cache's clock) let it out
    time.sleep((due - timezone.now()).total_seconds() + 0.1)
    shown = public_pages(client, story)
    assert all(shown.values()), shown


def test_unpublished_story_answers_410_gone(client):
    story = make_article("Taken down")
    url = story.get_absolute_url()
    story.status = Article.Status.DRAFT
    story.save()
    response = client.get(url)
    assert response.status_code == 410
    assert "removed" in response.content.decode()
    never = make_article("Never out", status="draft", published_at=timezone.now())
    assert client.get(never.get_absolute_url()).status_code == 404


def test_slug_and_date_changes_redirect_old_urls(client):
    story = make_article("First headline", ago=timedelta(days=3))
    old_url = story.get_absolute_url()
    story.slug = "better-headline"
    story.save()
    response = client.get(old_url)
    assert response.status_code == 301 and response["Location"] == story.get_absolute_url()
    assert OldSlug.objects.filter(slug="first-headline", article=story).exists()

    date_url = story.get_absolute_url()
    story.published_at -= timedelta(days=2)
    story.save()
    assert client.get(date_url)["Location"] == story.get_absolute_url()
    assert client.get(old_url)["Location"] == story.get_absolute_url()


def test_a_new_story_may_take_an_old_slug(client):
    first = make_article("Shared name", ago=timedelta(days=3))
    first.slug = "first-renamed"
    first.save()
    second = make_article("Shared name")
    assert second.slug == "shared-name"
    response = client.get(second.get_absolute_url())
    assert response.status_code == 200 and response.context["article"] == second


def test_slug_changes_of_unpublished_drafts_leave_no_redirects():
    story = make_article("Draft headline", status="draft")
    story.slug = "another"
    story.save()
    assert not OldSlug.objects.exists()


# No lost edits


def test_second_save_of_the_same_version_is_refused_and_keeps_the_typing(newsroom):
    story = make_article("Original", created_by=newsroom["writer"], status="review")
    anna, bob = login(newsroom["editor"]), login(make_user("bob", roles.EDITOR))
    anna_form = article_form(newsroom["section"], article=story, headline="Anna's headline", status="review")
    bob_form = article_form(
        newsroom["section"], article=story, headline="Bob's careful rewrite", status="review"
    )

    assert anna.post(change_url(story), anna_form).status_code == 302
    response = bob.post(change_url(story), bob_form)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else saved this story after you opened it" in html
    assert 'value="Bob&#x27;s careful rewrite"' in html
    story.refresh_from_db()
    assert story.headline == "Anna's headline"

    # with the current version, Bob's save goes through
    bob_form["lock_version"] = str(story.version)
    assert bob.post(change_url(story), bob_form).status_code == 302
    story.refresh_from_db()
    assert story.headline == "Bob's careful rewrite"


# Revisions


def test_history_shows_who_when_and_a_diff_and_restores_a_version(newsroom):
    browser = login(newsroom["editor"])
    browser.post(
        reverse("admin:articles_article_add"),
        article_form(
            newsroom["section"], [newsroom["author"]], headline="Bridge vote", body="<p>Council meets.</p>"
        ),
    )
    story = Article.objects.get()
    browser.post(
        change_url(story),
        article_form(
            newsroom["section"], article=story, headline="Bridge approved", body="<p>Council agrees.</p>"
        ),
    )
    story.refresh_from_db()
    story.bylines.all().delete()
    history = browser.get(reverse("admin:articles_article_history", args=[story.pk]))
    html = history.content.decode()
    assert "eddie" in html
    assert "<del>vote</del> <ins>approved</ins>" in html
    assert "<del>meets.</del> <ins>agrees.</ins>" in html

    first = history.context["action_list"][-1]["url"]
    page = browser.get(first)
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert form.initial["headline"] == "Bridge vote"
    data = article_form(
        newsroom["section"], article=story, headline="Bridge vote", body="<p>Council meets.</p>"
    )
    data.update({"bylines-TOTAL_FORMS": "0", "bylines-INITIAL_FORMS": "0"})
    data["lock_version"] = str(form["lock_version"].value())
    data = {k: v for k, v in data.items() if not k.startswith("bylines-0")}
    assert browser.post(first, data).status_code == 302
    story.refresh_from_db()
    assert story.headline == "Bridge vote"
    assert [b.author.name for b in story.bylines.all()] == ["Wendy Writer"]


# Corrections and minor edits


def test_corrections_show_to_readers_and_move_the_updated_time(newsroom, client):
    story = make_article("Fixed story", created_by=newsroom["writer"])
    browser = login(newsroom["editor"])
    assert story.revised_at is None
    date, time = local_parts(timezone.now())
    data = article_form(
        newsroom["section"], article=story, headline="Fixed story", status="published",
        published_at_0=local_parts(story.published_at)[0], published_at_1=local_parts(story.published_at)[1],
        body=story.body, dek="The council decides tonight.",
        corrections=[("correction", "An earlier version misspelled the mayor's name.", date, time)],
        minor_edit="on",
    )  # fmt: skip
    assert browser.post(change_url(story), data).status_code == 302
    story.refresh_from_db()
    note = Correction.objects.get(article=story)
    assert story.revised_at == note.created_at
    html = client.get(story.get_absolute_url()).content.decode()
    assert "Corrections and updates" in html and "misspelled the mayor" in html
    assert "Updated <time" in html


def test_minor_edit_does_not_move_the_updated_time(newsroom):
    story = make_article("Typo storyy", created_by=newsroom["writer"])
    browser = login(newsroom["editor"])
    published = local_parts(story.published_at)
    base = {"status": "published", "published_at_0": published[0], "published_at_1": published[1]}
    data = article_form(newsroom["section"], article=story, headline="Typo story", minor_edit="on", **base)
    assert browser.post(change_url(story), data).status_code == 302
    story.refresh_from_db()
    assert story.headline == "Typo story" and story.revised_at is None

    data = article_form(newsroom["section"], article=story, headline="Typo story, new facts", **base)
    assert browser.post(change_url(story), data).status_code == 302
    story.refresh_from_db()
    assert story.revised_at is not None


# Sanitizing whatever is posted

XSS_BODIES = [
    '<p>ok</p><script>alert("x")</script>',
    '<p onmouseover="alert(1)">ok</p>',
    '<p><a href="javascript:alert(1)">ok</a></p>',
    '<p><img src="/media/x.jpg" onerror="alert(1)">ok</p>',  # an image of our own: kept, handler gone
    '<p style="position:fixed">ok</p><iframe src="//evil.example"></iframe>',
    "<p>ok</p><svg><script>alert(1)</script></svg>",
    '<p><a href="vbscript:msgbox(1)">ok</a></p>',
    '<p>ok</p><math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<p>ok</p><base href="//evil.example/">',
    '<p>ok</p><meta http-equiv="refresh" content="0;url=//evil.example">',
]


@pytest.mark.parametrize("body", XSS_BODIES)
def test_xss_posted_to_the_admin_form_is_removed(newsroom, body):
    browser = login(newsroom["editor"])
    url = reverse("admin:articles_article_add")
    response = browser.post(url, article_form(newsroom["section"], body=body))
    if response.status_code == 200:  # told what was removed (#14); the body shown again is what a save keeps
        shown = response.context["adminform"].form.data["body"]
        response = browser.post(url, article_form(newsroom["section"], body=shown))
    assert response.status_code == 302
    stored = Article.objects.get().body.lower()
    assert "ok" in stored
    needles = ["<script", "onmouseover", "onerror", "javascript:", "vbscript:", "style=", "<iframe", "<svg",
               "<math", "<base", "<meta", "alert("]  # fmt: skip
    for needle in needles:
        assert needle not in stored


# Dashboard


def test_dashboard_shows_drafts_review_schedule_published_and_trending(newsroom):
    make_article("Wendy's draft", status="draft", created_by=newsroom["writer"])
    make_article("Needs a look", status="review", created_by=newsroom["writer"])
    make_article("Tomorrow's story", ago=timedelta(hours=-20))
    hit = make_article("Reader favourite")
    HourlyViews.objects.create(article=hit, hour=trending.hour_of(), views=321)
    html = login(newsroom["writer"]).get(reverse("admin:index")).content.decode()
    for text in ["My drafts", "Wendy&#x27;s draft", "Waiting for review", "Needs a look", "Scheduled next",
                 "Tomorrow&#x27;s story", "Recently published", "Reader favourite", "321 views"]:  # fmt: skip
        assert text in html, text
    metas = re.findall(r'<span class="dashboard-meta">(.*?)</span>', html, re.S)
    assert metas and all("· <time datetime=" in meta for meta in metas)  # short moments, in full on hover
    editor_html = login(newsroom["editor"]).get(reverse("admin:index")).content.decode()
    assert "No drafts of yours." in editor_html


# Photos


def test_publishing_needs_alt_text_on_the_lead_photo(newsroom, client):
    photo = make_photo(alt_text="")
    story = make_article("Pictured", status="review", lead_photo=photo)
    browser = login(newsroom["editor"])
    data = article_form(newsroom["section"], article=story, headline="Pictured", status="published",
                        lead_photo=photo.pk)  # fmt: skip
    response = browser.post(change_url(story), data)
    assert response.status_code == 200
    assert "Add alt text to this photo" in response.content.decode()
    browser.post(CHANGELIST, {"action": "publish_now", "_selected_action": [story.pk]})
    story.refresh_from_db()
    assert story.status == "review"

    photo.alt_text = "A bridge at dusk"
    photo.save()
    browser.post(CHANGELIST, {"action": "publish_now", "_selected_action": [story.pk]})
    story.refresh_from_db()
    assert story.is_published()
