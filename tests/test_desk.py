"""The editing desk (articles/admin.py, articles/desk.py): buttons by role, the form's actions, bylines,
tags made by typing, stale saves that name who and show the diff, the story list's quick filters."""

import json
import re
from datetime import timedelta
from html import unescape

import pytest
from django.contrib.admin.helpers import InlineAdminFormSet
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from articles import desk, presence, roles
from articles.models import Article, Author, Tag
from tests.conftest import make_article, make_author, make_photo, make_section, make_user
from tests.forms import article_form

pytestmark = pytest.mark.django_db

ADD = reverse("admin:articles_article_add")
LIST = reverse("admin:articles_article_changelist")


def login(user):
    client = Client()
    client.force_login(user)
    return client


def change_url(story):
    return reverse("admin:articles_article_change", args=[story.pk])


@pytest.fixture
def newsroom():
    section = make_section("News")
    writer = make_user("ana", roles.WRITER, "Ana", "Reyes")
    editor = make_user("tomas", roles.EDITOR, "Tomas", "Berg")
    own = Author.objects.create(name="Ana Reyes", slug="ana-reyes", user=writer)
    return {"section": section, "writer": writer, "editor": editor, "own_author": own}


def actions(buttons):
    return [b["action"] for b in buttons]


# Buttons that say what they do, by role


def test_a_writer_saves_drafts_and_submits_but_never_publishes():
    assert actions(desk.buttons(None, editor=False)) == ["draft", "review"]
    assert actions(desk.buttons(make_article("In review", status="review"), editor=False)) == []


def test_an_editor_gets_the_buttons_for_the_story_state():
    assert actions(desk.buttons(None, editor=True)) == ["draft", "review", "publish", "schedule"]
    assert actions(desk.buttons(make_article("R", status="review"), editor=True)) == [
        "save", "publish", "schedule", "draft",
    ]  # fmt: skip
    assert actions(desk.buttons(make_article("Live"), editor=True)) == ["save", "unpublish"]
    later = make_article("Later", ago=timedelta(hours=-3))
    assert actions(desk.buttons(later, editor=True)) == ["schedule", "publish", "unpublish"]
    assert all(b["help"] for b in desk.buttons(later, editor=True))


def test_the_new_story_form_has_the_buttons_and_no_empty_read_only_fields(newsroom):
    html = login(newsroom["writer"]).get(ADD).content.decode()
    assert 'name="desk_action" value="review"' in html and "Hands it to an editor" in html
    assert 'value="publish"' not in html
    assert 'class="readonly"' not in html and "Created at" not in html and "External id" not in html
    assert (
        "Add story" in html and "New story" in html and "article" not in re.sub(r"<[^>]+>", "", html).lower()
    )


def test_the_new_story_has_the_writers_own_byline(newsroom):
    response = login(newsroom["writer"]).get(ADD)
    assert response.context["inline_admin_formsets"][0].formset.forms[0].initial["author"] == (
        newsroom["own_author"].pk
    )
    assert (
        f'<option value="{newsroom["own_author"].pk}" selected>Ana Reyes</option>'
        in response.content.decode()
    )


def test_byline_positions_are_hidden_inputs(newsroom):
    html = login(newsroom["writer"]).get(ADD).content.decode()
    assert re.search(r'<input type="hidden" name="bylines-0-position"', html)


def test_the_add_links_are_in_sentence_case_with_djangos_other_inline_data(newsroom):
    response = login(newsroom["editor"]).get(ADD)
    written = [
        json.loads(unescape(w))
        for w in re.findall(r'data-inline-formset="([^"]*)"', response.content.decode())
    ]
    assert [w["options"]["addText"] for w in written] == ["Add another byline"]
    django = json.loads(InlineAdminFormSet.inline_formset_data(response.context["inline_admin_formsets"][0]))
    assert django["options"]["addText"] == "Add another Byline"  # Django's own, capitalised
    django["options"]["addText"] = "Add another byline"
    assert written[0] == django
    story = make_article("Live", section=newsroom["section"])
    html = login(newsroom["editor"]).get(reverse("admin:articles_article_change", args=[story.pk])).content
    texts = [
        json.loads(unescape(w))["options"]["addText"]
        for w in re.findall(r'data-inline-formset="([^"]*)"', html.decode())
    ]
    assert texts == ["Add another byline", "Add another correction"]


# The buttons' actions


def post_new(client, section, tags=(), **fields):
    data = article_form(section, **fields)
    data["tags"] = list(tags)  # ids or "new:Name", as desk-tags.js sends them
    return client.post(ADD, data)


def test_submit_for_review_sets_the_status(newsroom):
    client = login(newsroom["writer"])
    response = post_new(client, newsroom["section"], desk_action="review", status="draft")
    assert response.status_code == 302
    assert Article.objects.get().status == Article.Status.REVIEW


def test_save_draft_keeps_the_writer_on_the_story(newsroom):
    response = post_new(login(newsroom["writer"]), newsroom["section"], desk_action="draft")
    story = Article.objects.get()
    assert story.status == Article.Status.DRAFT and response["Location"] == change_url(story)


def test_a_writer_posting_publish_is_refused_with_a_reason(newsroom):
    response = post_new(login(newsroom["writer"]), newsroom["section"], desk_action="publish")
    assert response.status_code == 200 and not Article.objects.exists()
    assert "Only editors can publish, schedule or unpublish a story" in response.content.decode()


def test_publish_puts_it_live_now(newsroom):
    before = timezone.now()
    post_new(login(newsroom["editor"]), newsroom["section"], desk_action="publish")
    story = Article.objects.get()
    assert story.is_published() and story.published_at >= before - timedelta(seconds=1)


def test_schedule_needs_a_time_in_the_future(newsroom):
    client = login(newsroom["editor"])
    response = post_new(client, newsroom["section"], desk_action="schedule")
    assert "Choose a publication time in the future to schedule the story." in response.content.decode()
    assert not Article.objects.exists()
    later = timezone.localtime(timezone.now() + timedelta(days=1))
    post_new(
        client,
        newsroom["section"],
        desk_action="schedule",
        published_at_0=later.strftime("%Y-%m-%d"),
        published_at_1=later.strftime("%H:%M:%S"),
    )
    story = Article.objects.get()
    assert story.status == Article.Status.PUBLISHED and story.status_label == "Scheduled"


# Tags typed in


def test_a_typed_new_tag_is_created_and_an_existing_one_reused(newsroom):
    Tag.objects.create(name="Climate", slug="climate")
    post_new(
        login(newsroom["writer"]),
        newsroom["section"],
        tags=["new:Harbour ferries", "new:climate"],
        desk_action="draft",
    )
    story = Article.objects.get()
    assert sorted(story.tags.names()) == ["Climate", "Harbour ferries"]
    assert Tag.objects.count() == 2


def test_a_new_tag_survives_a_form_error_as_a_chosen_tag(newsroom):
    response = post_new(
        login(newsroom["writer"]),
        newsroom["section"],
        tags=["new:Night ferry"],
        headline="",
        desk_action="draft",
    )
    tag = Tag.objects.get(name="Night ferry")
    assert response.status_code == 200
    assert f'<option value="{tag.pk}" selected>Night ferry</option>' in response.content.decode()


# New authors in place


def test_a_new_author_is_made_without_leaving_the_form(newsroom):
    client = login(newsroom["writer"])
    url = reverse("admin:articles_desk_author")
    answer = client.post(url, {"name": "  Lena   Fischer "}).json()
    author = Author.objects.get(name="Lena Fischer")
    assert answer == {"id": author.pk, "text": "Lena Fischer"}
    assert client.post(url, {"name": "lena fischer"}).json()["id"] == author.pk  # no duplicate
    assert client.post(url, {"name": ""}).status_code == 400


# Stale saves and locks


def test_a_stale_save_names_who_saved_when_and_shows_the_word_diff(newsroom):
    story = make_article("Bridge vote tonight", status="review", body="<p>The council meets at six.</p>")
    bob = make_user("bob", roles.EDITOR, "Bob", "Stone")
    anna_form = article_form(
        newsroom["section"], article=story, headline="Bridge vote delayed", status="review"
    )
    mine = article_form(newsroom["section"], article=story, headline="Council says yes", status="review")
    assert login(bob).post(change_url(story), anna_form).status_code == 302
    response = login(newsroom["editor"]).post(change_url(story), mine)
    html = response.content.decode()
    saved_at = date_format(timezone.localtime(), "M.d - Y")  # the day, in the site's one date style
    assert "Someone else saved this story after you opened it: Bob Stone, at " + saved_at in html
    stale = response.context["adminform"].form.stale
    assert [f["name"] for f in stale["fields"]] == ["headline"]
    assert "<del>Bridge vote delayed</del>" in str(stale["fields"][0]["diff"])
    assert "<ins>Council says yes</ins>" in str(stale["fields"][0]["diff"])
    # the form shown again carries the current version: saving after comparing goes through
    story.refresh_from_db()
    assert f'name="lock_version" value="{story.version}"' in html


def stale_pair(newsroom):
    """A story in review, Bob's save of its every other field, and the form Tomas opened before it."""
    story = make_article(
        "Bridge vote tonight", status="review", tags=["Council"], authors=[newsroom["own_author"]]
    )
    sport = make_section("Sport")
    bob = make_user("bob", roles.EDITOR, "Bob", "Stone")
    photo = make_photo(caption="The bridge at dusk", alt_text="A bridge")
    lena = make_author("Lena Fischer")
    opened = article_form(newsroom["section"], article=story, headline="Bridge vote tonight", status="review")
    opened["tags"] = [t.pk for t in story.tags.all()]
    moved = {
        **opened,
        "section": sport.pk,
        "lead_photo": photo.pk,
        "tags": [Tag.objects.create(name="Roads", slug="roads").pk],
    }
    moved.update(
        {
            "bylines-TOTAL_FORMS": "2",
            "bylines-1-author": lena.pk,
            "bylines-1-position": "1",
            "bylines-1-role": "Photos by",
        }
    )
    moved.update({"published_at_0": "2031-05-01", "published_at_1": "09:00:00", "desk_action": "schedule"})
    assert login(bob).post(change_url(story), moved).status_code == 302
    return story, sport, photo, opened


def test_a_stale_save_shows_every_other_field_someone_changed(newsroom):
    story, sport, photo, mine = stale_pair(newsroom)
    response = login(newsroom["editor"]).post(change_url(story), {**mine, "desk_action": "save"})
    stale = response.context["adminform"].form.stale
    others = {f["name"]: f for f in stale["others"]}
    assert list(others) == ["section", "tags", "lead_photo", "bylines", "status"]
    assert others["section"] == {"name": "section", "label": "Section", "theirs": "Sport", "mine": "News"}
    assert (others["tags"]["theirs"], others["tags"]["mine"]) == ("Roads", "Council")
    assert (others["lead_photo"]["theirs"], others["lead_photo"]["mine"]) == ("The bridge at dusk", "none")
    assert others["bylines"]["theirs"] == "Ana Reyes (Written by); Lena Fischer (Photos by)"
    assert others["bylines"]["mine"] == "Ana Reyes (Written by)"
    assert others["status"]["theirs"].startswith("Published, publication time May.01 - 2031")
    assert others["status"]["mine"] == "In review"
    assert stale["fields"] == []  # headline, standfirst and body are the same
    html = response.content.decode()
    assert 'name="desk_theirs" value="bylines"' in html and "Theirs" in html and "Lena Fischer" in html
    assert Article.objects.get().section == sport  # nothing of the refused save was written


def test_taking_theirs_keeps_the_saved_value_and_keeping_mine_overwrites_it(newsroom):
    story, sport, photo, mine = stale_pair(newsroom)
    client = login(newsroom["editor"])
    response = client.post(change_url(story), {**mine, "desk_action": "save"})
    story.refresh_from_db()
    # again with the current version: their section, bylines and status and times; my tags and no photo
    again = {
        **mine,
        "lock_version": str(story.version),
        "desk_action": "save",
        "headline": "Bridge vote: yes",
    }
    again["desk_theirs"] = ["section", "bylines", "status"]
    assert response.status_code == 200
    assert client.post(change_url(story), again).status_code == 302
    story.refresh_from_db()
    assert story.headline == "Bridge vote: yes"
    assert story.section == sport
    assert [(b.author.name, b.role) for b in story.bylines.all()] == [
        ("Ana Reyes", ""),
        ("Lena Fischer", "Photos by"),
    ]
    assert story.status == "published" and story.published_at.year == 2031  # still scheduled
    assert [t.name for t in story.tags.all()] == ["Council"] and story.lead_photo is None  # mine


def test_a_stale_save_choice_names_only_fields_of_the_story(newsroom):
    story = make_article("Bridge", status="review")
    data = article_form(newsroom["section"], article=story, headline="Bridge", status="review")
    response = login(newsroom["editor"]).post(change_url(story), {**data, "desk_theirs": ["password"]})
    assert response.status_code == 200
    assert "“Take theirs” names a field a story does not have: password." in response.content.decode()


def test_a_save_from_a_session_without_the_lock_is_refused(newsroom):
    story = make_article("Locked", status="review")
    holder = presence.open_story(story.pk, newsroom["editor"])
    bob = make_user("bob", roles.EDITOR, "Bob", "Stone")
    waiting = presence.open_story(story.pk, bob)
    data = article_form(newsroom["section"], article=story, headline="Bob's", status="review")
    response = login(bob).post(change_url(story), {**data, "desk_token": waiting["token"]})
    assert "Tomas Berg is editing this story since" in response.content.decode()
    assert Article.objects.get().headline == "Locked"
    data = article_form(newsroom["section"], article=story, headline="Tomas's", status="review")
    assert (
        login(newsroom["editor"]).post(change_url(story), {**data, "desk_token": holder["token"]}).status_code
        == 302
    )


def test_presence_endpoint_answers_who_is_editing(newsroom):
    story = make_article("Open", status="review")
    html = login(newsroom["editor"]).get(change_url(story)).content.decode()
    token = re.search(r'name="desk_token" value="([^"]+)"', html).group(1)
    bob = make_user("bob", roles.EDITOR, "Bob", "Stone")
    url = reverse("admin:articles_article_presence", args=[story.pk])
    bob_page = login(bob).get(change_url(story)).content.decode()
    assert "Tomas Berg is editing since" in bob_page
    state = login(newsroom["editor"]).post(url, {"token": token}).json()
    assert state["you_hold_lock"] and state["others"][0]["name"] == "Bob Stone"
    assert login(bob).post(url, {}).status_code == 400
    assert login(bob).get(url).status_code == 405


# Read-only view, labels, dates, branding, CSP


def test_a_writers_submitted_story_is_shown_rendered_not_as_source(newsroom):
    story = make_article(
        "Submitted", status="review", created_by=newsroom["writer"], body="<p>First <em>line</em>.</p>"
    )
    html = login(newsroom["writer"]).get(change_url(story)).content.decode()
    assert '<div class="desk-read-body"><p>First <em>line</em>.</p></div>' in html
    assert "&lt;p&gt;" not in html


def test_view_on_site_says_whether_it_is_the_preview(newsroom):
    client = login(newsroom["editor"])
    draft = make_article("Draft", status="draft")
    live = make_article("Live")
    assert "Preview (not public yet)" in client.get(change_url(draft)).content.decode()
    html = client.get(change_url(live)).content.decode()
    assert f'href="{live.get_absolute_url()}" class="viewsitelink"' in html and "View on site" in html


def test_the_admin_uses_the_sites_one_date_style():
    moment = timezone.make_aware(timezone.datetime(2026, 12, 4, 14, 5))
    assert date_format(moment, "DATETIME_FORMAT") == "Dec.04 - 2026 02:05 PM CET"  # the seed's dateline
    assert date_format(moment, "SHORT_DATETIME_FORMAT") == "Dec.04 - 2026 02:05 PM CET"
    assert date_format(moment.date(), "DATE_FORMAT") == "4 Dec 2026"


def test_the_story_list_shows_moments_short_with_the_full_dateline_on_hover():
    now = timezone.make_aware(timezone.datetime(2026, 12, 4, 18, 0))
    today = timezone.make_aware(timezone.datetime(2026, 12, 4, 14, 5))
    stamp = timezone.localtime(today).isoformat()
    full = "Dec.04 - 2026 02:05 PM CET"
    assert desk.list_moment(today, now) == f'<time datetime="{stamp}" title="{full}">14:05</time>'
    assert ">2 Dec 09:30</time>" in desk.list_moment(today - timedelta(days=2, hours=4, minutes=35), now)
    assert ">7 Jan 2024</time>" in desk.list_moment(
        timezone.make_aware(timezone.datetime(2024, 1, 7, 12, 58)), now
    )


def test_the_story_list_has_no_long_datelines_in_its_columns(newsroom):
    make_article("Listed", published_at=timezone.now() - timedelta(days=400))
    html = login(newsroom["editor"]).get(LIST).content.decode()
    cells = re.findall(r'<td class="field-(?:changed|when)">(.*?)</td>', html)
    assert len(cells) == 2 and all(cell.startswith("<time datetime=") for cell in cells)
    assert all(" PM " not in text and " AM " not in text for text in re.findall(r">([^<>]*)</time>", html))


def test_every_desk_page_has_the_desk_bar_in_a_newsrooms_order_and_no_sidebar(newsroom):
    client = login(newsroom["editor"])
    for url in (reverse("admin:index"), LIST, reverse("admin:articles_photo_changelist")):
        html = client.get(url).content.decode()
        bar = re.search(r'<nav class="desk-nav" aria-label="Desk">(.*?)</nav>', html, re.S).group(1)
        names = re.findall(r">([^<>]+)</a>", bar)
        assert names[:4] == ["Today", "Stories", "Fronts", "Photos"], names
        assert re.findall(r'aria-current="page">([^<]+)<', bar) == [
            {reverse("admin:index"): "Today", LIST: "Stories"}.get(url, "Photos")
        ]
        assert 'id="nav-sidebar"' not in html


def test_the_desk_bar_shows_only_the_lists_a_writer_may_open(newsroom):
    html = login(newsroom["writer"]).get(reverse("admin:index")).content.decode()
    bar = re.search(r'<nav class="desk-nav" aria-label="Desk">(.*?)</nav>', html, re.S).group(1)
    names = re.findall(r">([^<>]+)</a>", bar)
    assert "Stories" in names and "Users" not in names
    for name in names[1:]:  # each one opens for her
        url = re.search(rf'href="([^"]+)"[^>]*>{name}</a>', bar).group(1)
        assert login(newsroom["writer"]).get(url).status_code == 200, name


def test_the_admin_is_branded_with_a_favicon(newsroom):
    html = login(newsroom["writer"]).get(reverse("admin:index")).content.decode()
    assert 'rel="icon" href="/static/favicon.svg"' in html and "The Newsroom desk" in html
    assert "Django administration" not in html


def test_the_story_form_gives_tiptap_a_style_element_with_the_csp_nonce(newsroom):
    response = login(newsroom["writer"]).get(ADD)
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    assert f'<style data-tiptap-style nonce="{nonce}"></style>' in response.content.decode()


# The story list


def test_the_list_shows_newest_change_first_with_quick_filter_counts(newsroom):
    mine = make_article("Mine", status="draft", created_by=newsroom["writer"])
    make_article("Bylined", status="review", authors=[newsroom["own_author"]])
    make_article("Someone else's", status="review")
    Article.objects.filter(pk=mine.pk).update(updated_at=timezone.now() + timedelta(minutes=5))
    response = login(newsroom["writer"]).get(LIST)
    assert [s.headline for s in response.context["cl"].result_list][0] == "Mine"
    counts = {f["key"]: f["count"] for f in response.context["quick_filters"]}
    assert counts == {"all": 3, "mine": 2, "draft": 1, "review": 2, "scheduled": 0, "published": 0}
    filtered = login(newsroom["writer"]).get(LIST, {"mine": "1"})
    assert sorted(s.headline for s in filtered.context["cl"].result_list) == ["Bylined", "Mine"]


def test_the_list_shows_status_badges_and_compact_bylines(newsroom):
    authors = [make_author(n) for n in ("A One", "B Two", "C Three")]
    make_article("Crowded", authors=authors)
    html = login(newsroom["editor"]).get(LIST).content.decode()
    assert '<span class="badge badge-published">Published</span>' in html
    assert '<td class="field-byline_names">A One +2</td>' in html


# The new story form, fast (docs/desk.md, "Add story" in under a second)


def test_the_new_story_form_costs_a_fixed_number_of_queries(newsroom, django_assert_num_queries):
    client = login(newsroom["editor"])
    Author.objects.create(name="Tomas Berg", slug="tomas-berg", user=newsroom["editor"])
    for name in ("Sport", "Culture", "Business"):
        make_section(name)
    for i in range(5):
        make_article(f"Story {i}", tags=[f"tag-{i}"], authors=[make_author(f"Author {i}")])
    # session, user, savepoint and release, the user's and the group's permissions, the writer's own author
    # and its name in the byline's chooser: no more with more stories, sections, tags or authors
    with django_assert_num_queries(8):
        assert client.get(ADD).status_code == 200


def test_the_new_story_form_defers_its_scripts_and_leaves_out_what_it_does_not_use(newsroom):
    html = login(newsroom["editor"]).get(ADD).content.decode()
    scripts = re.findall(r"<script [^>]*>", html)
    classic = [s for s in scripts if 'type="module"' not in s and 'type="importmap"' not in s]
    blocking = [s for s in classic if " defer" not in s and " async" not in s and "theme.js" not in s]
    assert blocking == []  # theme.js stays: it sets the colour theme before the first paint
    assert not [s for s in scripts if re.search(r"actions|urlify|prepopulate|xregexp|nav_sidebar", s)]
    assert len(re.findall(r"jquery(\.min)?\.js", html)) == 1 and len(re.findall(r"select2\.full", html)) == 1
    assert re.search(r'<input type="text" name="headline"[^>]* autofocus', html)
    # the body's elements run as a module of the page, before the editor's configurable.js imports them
    body_elements = html.index('<script src="/static/js/body-editor.js"')
    assert body_elements < html.index('<script src="/static/django_prose_editor/configurable.js"')
    assert 'href="/static/css/body-editor.css"' in html  # linked, not fetched once the editor's script runs


def test_a_story_saved_without_a_slug_gets_one_from_its_headline(newsroom):
    client = login(newsroom["editor"])
    data = article_form(newsroom["section"], headline="Night ferry returns", slug="", desk_action="draft")
    assert client.post(ADD, data).status_code == 302
    assert Article.objects.get().slug == "night-ferry-returns"


def test_the_admins_script_catalogue_may_be_kept_by_the_browser(newsroom):
    response = login(newsroom["editor"]).get(reverse("admin:jsi18n"))
    assert response.status_code == 200
    assert "max-age=3600" in response["Cache-Control"] and "private" in response["Cache-Control"]
