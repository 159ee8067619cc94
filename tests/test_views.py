import re
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import freshness
from articles.models import Correction
from tests.conftest import make_article, make_author, make_photo, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed_story():
    section = make_section("News")
    henrik = make_author("Henrik Rothen")
    anna = make_author("Anna Berg")
    photo = make_photo(caption="Wives by the Kremlin wall.", credit="Photo: X", alt_text="Women with flowers")
    return make_article(
        "Uprising in Russia",
        section=section,
        authors=[henrik, anna],
        tags=["Russia", "Protests"],
        lead_photo=photo,
        dek="The wives of mobilized soldiers protest.",
        body="<p>First.</p><h2>Demanding Demobilization</h2><p>Second.</p>",
        published_at=datetime(2024, 1, 7, 11, 58, tzinfo=UTC),
    )


def test_article_page_shows_byline_dateline_credit_and_subheadings(client, seed_story):
    response = client.get(seed_story.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert 'Written by <a href="/author/henrik-rothen/" rel="author">Henrik Rothen</a> and ' in html
    assert '<a href="/author/anna-berg/" rel="author">Anna Berg</a>' in html
    assert "Jan.07 - 2024 12:58 PM CET" in html
    assert '<span class="credit">Photo: X</span>' in html
    assert "<h2>Demanding Demobilization</h2>" in html
    assert 'href="/section/news/"' in html
    assert 'href="/tag/russia/"' in html
    assert "Trending Now" in html
    assert 'data-beacon="/views/' in html


def test_byline_roles_are_grouped(client):
    from articles.models import Byline

    story = make_article("Roles", authors=[make_author("A Writer")])
    Byline.objects.create(article=story, author=make_author("P Hotographer"), position=1, role="Photos by")
    html = client.get(story.get_absolute_url()).content.decode()
    assert "Written by <a" in html and "A Writer</a>. Photos by <a" in html


def test_article_page_shows_updated_time_only_when_revised(client, seed_story):
    html = client.get(seed_story.get_absolute_url()).content.decode()
    assert "Updated" not in html
    seed_story.revised_at = datetime(2024, 1, 8, 9, 0, tzinfo=UTC)
    seed_story.save()
    html = client.get(seed_story.get_absolute_url()).content.decode()
    assert "Updated <time" in html and "Jan.08 - 2024 10:00 AM CET" in html


def test_wrong_date_in_article_url_redirects_permanently(client, seed_story):
    response = client.get("/2023/12/31/uprising-in-russia/")
    assert response.status_code == 301
    assert response["Location"] == "/2024/01/07/uprising-in-russia/"


def test_drafts_and_scheduled_stories_are_404_for_readers(client):
    draft = make_article("Draft story", status="draft", published_at=datetime(2024, 1, 1, tzinfo=UTC))
    scheduled = make_article("Scheduled story", ago=timedelta(hours=-3))
    for story in (draft, scheduled):
        assert client.get(story.get_absolute_url()).status_code == 404
        assert client.get(reverse("articles:preview", args=[story.pk])).status_code == 404
        assert client.post(reverse("articles:beacon", args=[story.pk])).status_code == 404
    for url in ["/", "/latest/", "/section/news/", "/tag/x/"]:
        html = client.get(url).content.decode()
        assert "Draft story" not in html and "Scheduled story" not in html


def test_staff_can_preview_drafts_but_not_count_views(staff_client):
    draft = make_article("Secret draft", status="draft")
    response = staff_client.get(reverse("articles:preview", args=[draft.pk]))
    assert response.status_code == 200
    assert "Secret draft" in response.content.decode()
    assert "noindex" in response.content.decode()
    assert "data-beacon" not in response.content.decode()
    assert "no-cache" in response["Cache-Control"]


def test_lists_show_only_their_stories(client):
    news, sport = make_section("News"), make_section("Sport")
    anna, bo = make_author("Anna"), make_author("Bo")
    make_article("News by Anna", section=news, authors=[anna], tags=["Climate"])
    make_article("Sport by Bo", section=sport, authors=[bo], tags=["Football"])
    make_article("Sport by Anna and Bo", section=sport, authors=[anna, bo], tags=["Football", "Climate"])
    cases = {
        "/section/sport/": {"Sport by Bo", "Sport by Anna and Bo"},
        "/author/anna/": {"News by Anna", "Sport by Anna and Bo"},
        "/tag/climate/": {"News by Anna", "Sport by Anna and Bo"},
    }
    all_headlines = {"News by Anna", "Sport by Bo", "Sport by Anna and Bo"}
    for url, expected in cases.items():
        response = client.get(url)
        assert response.status_code == 200
        main = response.content.decode().split('<div class="rail-inline">')[0].split("<aside")[0]
        assert {h for h in all_headlines if f">{h}</a></h" in main} == expected, url
        for headline in all_headlines - expected:
            assert headline not in main


def test_unknown_section_author_tag_are_404(client):
    for url in ["/section/nope/", "/author/nope/", "/tag/nope/", "/2024/01/01/nope/"]:
        assert client.get(url).status_code == 404


def test_pagination_and_404_past_last_page(client, settings):
    settings.PAGE_SIZE = 20
    make_section("News")
    for i in range(25):
        make_article(f"Story {i}", ago=timedelta(hours=i + 1))
    first = client.get("/section/news/")
    # the first page shows the section's front (a lead and top stories), then the rest of the newest 20
    assert len(first.context["front"].shown) + len(first.context["cards"]) == 20
    assert 'rel="next" href="?page=2"' in first.content.decode()
    second = client.get("/section/news/?page=2")
    assert len(second.context["cards"]) == 5
    assert client.get("/section/news/?page=3").status_code == 404
    assert client.get("/section/news/?page=abc").status_code == 404


def test_home_has_lead_latest_and_section_blocks(client):
    news, sport = make_section("News", menu_order=1), make_section("Sport", menu_order=2)
    for i in range(12):
        make_article(f"News {i}", section=news, ago=timedelta(hours=i + 1))
    for i in range(3):
        make_article(f"Sport {i}", section=sport, ago=timedelta(hours=20 + i))
    response = client.get("/")

    def headlines(cards):
        return [re.search(r'class="card-headline"><a href="[^"]+">([^<]+)</a>', card)[1] for card in cards]

    assert headlines([response.context["lead"]]) == ["News 0"]
    assert 'class="card card--lead' in response.context["lead"]
    assert headlines(response.context["latest"]) == [f"News {i}" for i in range(1, 9)]
    blocks = {section.name: headlines(cards) for section, cards in response.context["section_blocks"]}
    assert blocks == {"News": ["News 9", "News 10", "News 11"], "Sport": ["Sport 0", "Sport 1", "Sport 2"]}


def test_related_stories_prefer_shared_tags(client):
    news, sport = make_section("News"), make_section("Sport")
    story = make_article("Main", section=news, tags=["Climate", "Energy"])
    both = make_article("Both tags", section=sport, tags=["Climate", "Energy"])
    one = make_article("One tag", section=sport, tags=["Energy"])
    same_section = make_article("Same section", section=news)
    make_article("Unrelated", section=sport)
    response = client.get(story.get_absolute_url())
    assert [a.headline for a in response.context["related"]] == [
        both.headline,
        one.headline,
        same_section.headline,
    ]


def test_related_stories_come_from_the_stories_published_around_it(client, monkeypatch):
    from articles import views

    monkeypatch.setattr(views, "RELATED_NEIGHBOURS", 2)
    news = make_section("News")
    story = make_article("Main", section=news, tags=["Climate"], ago=timedelta(days=10))
    far = make_article("Far back, same tag", section=news, tags=["Climate"], ago=timedelta(days=30))
    for i in range(2):  # the two stories just before and the two just after
        make_article(f"Before {i}", section=news, ago=timedelta(days=11 + i))
        make_article(f"After {i}", section=news, ago=timedelta(days=9 - i))
    make_article("Scheduled", section=news, tags=["Climate"], ago=timedelta(hours=-2))
    related = [a.headline for a in client.get(story.get_absolute_url()).context["related"]]
    assert related == ["After 1", "After 0", "Before 0", "Before 1"]
    assert far.headline not in related
    monkeypatch.setattr(views, "RELATED_NEIGHBOURS", 5)  # now reaching back to the story sharing a tag
    freshness.changed(f"s{story.pk}")
    related = [a.headline for a in client.get(story.get_absolute_url()).context["related"]]
    assert related[0] == far.headline and "Scheduled" not in related


def test_a_story_without_tags_is_related_to_its_sections_neighbours(client):
    news, sport = make_section("News"), make_section("Sport")
    story = make_article("Main", section=news, ago=timedelta(days=3))
    make_article("Newer news", section=news, ago=timedelta(days=2))
    make_article("Older news", section=news, ago=timedelta(days=4))
    make_article("Sport, tagged", section=sport, tags=["Climate"], ago=timedelta(days=3, hours=1))
    make_article("Draft news", section=news, status="draft")
    make_article("Scheduled news", section=news, ago=timedelta(hours=-1))
    related = [a.headline for a in client.get(story.get_absolute_url()).context["related"]]
    assert related == ["Newer news", "Older news"]


def test_beacon_answers_404_once_a_counted_story_is_taken_down(client):
    story = make_article("Read me")
    url = reverse("articles:beacon", args=[story.pk])
    assert client.post(url, HTTP_USER_AGENT="Mozilla/5.0 Firefox/140.0").status_code == 204
    story.status = "draft"
    story.save()
    assert client.post(url, HTTP_USER_AGENT="Mozilla/5.0 Firefox/140.0").status_code == 404


def test_trending_now_is_rendered_again_when_the_list_changes(client, settings, monkeypatch):
    from articles import trending

    settings.TRENDING_SIZE = 1
    first, second = make_article("First story"), make_article("Second story", ago=timedelta(hours=2))
    trending.record_view(second.pk, count=5)

    def sidebar(url):
        html = client.get(url).content.decode()
        return html[html.index('<section class="trending"') :]

    assert "Second story" in sidebar("/latest/")
    trending.record_view(first.pk, count=50)
    monkeypatch.setattr(freshness.clock, "offset", settings.TRENDING_CACHE_SECONDS + 1)  # its lifetime is up
    assert "First story" in sidebar("/latest/")  # the same cached page, its Trending Now filled in afresh


def build_newsroom(n):
    sections = [make_section(f"Section {i}") for i in range(3)]
    authors = [make_author(f"Author {i}") for i in range(4)]
    photo = make_photo()
    stories = []
    for i in range(n):
        stories.append(
            make_article(
                f"Story {i}",
                section=sections[i % 3],
                authors=authors[: 1 + i % 3],
                tags=[f"tag{i % 5}", f"tag{(i + 1) % 5}"],
                lead_photo=photo,
                ago=timedelta(hours=i + 1),
            )
        )
    return stories


def count_queries(client, url):
    """Queries for one request with cold caches (trending, sections and cards recomputed)."""
    for alias in ("default", "local"):
        caches[alias].clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize("size", [5, 50])
def test_each_page_costs_a_fixed_number_of_queries(client, size):
    stories = build_newsroom(size)
    story = stories[size // 2]
    # lists: the count (kept till the list changes), a page of ids, their cards and bylines; section, author
    # and tag pages look up their section, author or tag first; author and tag pages count all stories too,
    # to choose how to find theirs (see ArticleListView.members_only); the home page: its front (articles/
    # fronts.py: the front, every candidate story in one statement), cards, bylines; a section page too
    pages = {
        "/": 4,
        "/latest/": 4,
        "/section/section-1/": 7,
        "/author/author-0/": 6,
        "/tag/tag1/": 6,
        story.get_absolute_url(): 4,  # the story, its bylines, its tags, the related stories
    }
    # the next moment (3 queries, once the cache is empty: stories going live, pins, banners), the sections
    # (1 query, for the menu and the home page), the banner (1), Trending Now (3 queries: the hourly roll-up,
    # this hour's counts, the latest stories), the sidebar's "Just in" (1) and the footer's pages (1) come
    # from the cache on all but the first request
    cold = {url: count_queries(client, url) - 10 for url in pages}
    assert cold == pages


@pytest.mark.parametrize("size", [1, 30])
def test_a_story_page_reads_corrections_only_for_a_story_that_has_some(client, size):
    story = build_newsroom(size)[0]
    url = story.get_absolute_url()
    assert count_queries(client, url) - 10 == 4  # as above: the site-wide parts apart
    Correction.objects.create(article=story, note="The harbour reopened on Monday, not Tuesday.")
    assert count_queries(client, url) - 10 == 5  # and its corrections
    assert "reopened on Monday, not Tuesday" in client.get(url).content.decode()


def walked(ctx):
    """Whether the page's stories were found by walking all stories (an EXISTS in the story query)."""
    story_queries = [
        q["sql"] for q in ctx.captured_queries if q["sql"].startswith('SELECT "articles_article"')
    ]
    return any("EXISTS" in sql for sql in story_queries)


@pytest.mark.parametrize("kind", ["tag", "author"])
def test_tag_and_author_lists_are_the_same_whichever_plan_finds_them(client, kind):
    """A common tag is found by walking all stories newest first, a rare one by a join: the same lists."""
    section, common, rare = make_section(), make_author("Common Writer"), make_author("Rare Writer")
    stories = [
        make_article(
            f"Story {i}",
            section=section,
            authors=[common, rare] if i == 3 else [common],
            tags=["common", "rare"] if i == 3 else ["common"],
            ago=timedelta(hours=i + 1),
        )
        for i in range(30)
    ]
    make_article(
        "Draft with both", section=section, authors=[common, rare], tags=["common", "rare"], status="draft"
    )
    urls = {
        "tag": ("/tag/common/", "/tag/rare/"),
        "author": ("/author/common-writer/", "/author/rare-writer/"),
    }
    plans = []
    for url, expected in zip(urls[kind], (stories, [stories[3]]), strict=True):
        for page, shown in ((1, expected[:20]), (2, expected[20:])):
            if not shown:
                continue
            with CaptureQueriesContext(connection) as ctx:
                html = (
                    client.get(f"{url}?page={page}")
                    .content.decode()
                    .split('<div class="rail-inline">')[0]
                    .split("<aside")[0]
                )
            found = html.split('class="card-headline"')[1:]
            assert [f">{s.headline}<" in f for s, f in zip(shown, found, strict=True)] == [True] * len(shown)
            plans.append(walked(ctx))
    assert plans == [True, True, False]  # both pages of the common list walked; the rare one joined


def test_deep_pages_of_a_common_tag_are_joined_not_walked(client, monkeypatch):
    from articles import views

    monkeypatch.setattr(views, "WALK_PAGES", 1)
    section = make_section()
    stories = [
        make_article(f"Story {i}", section=section, tags=["common"], ago=timedelta(hours=i + 1))
        for i in range(25)
    ]
    for page, walk, shown in ((1, True, stories[:20]), (2, False, stories[20:])):
        with CaptureQueriesContext(connection) as ctx:
            html = (
                client.get(f"/tag/common/?page={page}")
                .content.decode()
                .split('<div class="rail-inline">')[0]
                .split("<aside")[0]
            )
        assert walked(ctx) == walk
        found = html.split('class="card-headline"')[1:]
        assert [f">{s.headline}<" in f for s, f in zip(shown, found, strict=True)] == [True] * len(shown)


@pytest.mark.parametrize("kind", ["embargoed", "scheduled", "draft"])
def test_tag_and_author_pages_are_404_until_a_published_story_uses_them(client, kind):
    when = {
        "embargoed": {"embargo_until": timezone.now() + timedelta(hours=2)},
        "scheduled": {"ago": timedelta(hours=-2)},
        "draft": {"status": "draft"},
    }
    make_article(
        "Not yet", authors=[make_author("Ghost", bio="Joins us soon.")], tags=["Secret"], **when[kind]
    )
    for url in ["/author/ghost/", "/tag/secret/"]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Ghost" not in response.content.decode() and "Joins us soon" not in response.content.decode()
    if kind != "draft":
        with mock.patch("django.utils.timezone.now", return_value=timezone.now() + timedelta(hours=3)):
            for url in ["/author/ghost/", "/tag/secret/"]:
                assert client.get(url).status_code == 200, url


def test_sections_stay_public_without_stories(client):
    make_section("Weather", description="Forecasts.")
    response = client.get("/section/weather/")
    assert response.status_code == 200 and "Forecasts." in response.content.decode()
