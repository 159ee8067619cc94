from datetime import timedelta

import pytest
from django.core.cache import cache, caches
from django.test import Client, RequestFactory

from articles import freshness
from articles.freshness import changes, clock, pages
from articles.models import Article
from tests.conftest import make_article, make_author, make_section

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["/", "/latest/", "/section/news/", "/author/anna/", "/tag/harbour/", "/search/?q=harbour"]


def main(response):
    """The page without its Trending Now sidebar."""
    return response.content.decode().split('<div class="rail-inline">')[0].split("<aside")[0]


@pytest.fixture
def story():
    return make_article(
        "Harbour reopens", section=make_section("News"), authors=[make_author("Anna")], tags=["Harbour"]
    )


def test_public_pages_are_cacheable_by_shared_caches(client, story, settings):
    for url in [*PUBLIC_PAGES, story.get_absolute_url(), "/feeds/rss/", "/sitemap.xml", "/api/ninjs/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert directives == {
            "public",
            f"max-age={settings.PAGE_MAX_AGE}",
            f"s-maxage={settings.PAGE_SHARED_MAX_AGE}",
        }
        assert response["ETag"].startswith('"') and response["Last-Modified"].endswith("GMT")
        assert "Cookie" not in response.get("Vary", ""), url
        assert not response.cookies, url


def test_second_request_is_served_from_the_cache_without_queries(client, story, django_assert_num_queries):
    first = client.get(story.get_absolute_url())
    with django_assert_num_queries(0):
        second = client.get(story.get_absolute_url())
    assert second.content == first.content and second["ETag"] == first["ETag"]


def test_matching_etag_gets_304_and_a_stale_one_gets_the_page(client, story):
    etag = client.get("/").headers["ETag"]
    not_modified = client.get("/", headers={"if-none-match": etag})
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert not_modified["ETag"] == etag and "public" in not_modified["Cache-Control"]
    assert client.get("/", headers={"if-none-match": '"something-else"'}).status_code == 200


def test_if_modified_since_gets_304_until_the_page_changes(client, story):
    last_modified = client.get("/").headers["Last-Modified"]
    assert client.get("/", headers={"if-modified-since": last_modified}).status_code == 304
    story.headline = "Harbour closes again"
    story.save()
    changed = client.get("/", headers={"if-modified-since": "Thu, 01 Jan 1970 00:00:00 GMT"})
    assert changed.status_code == 200 and "Harbour closes again" in changed.content.decode()


def test_publishing_refreshes_every_page_at_once(client, story):
    draft = make_article(
        "Storm warning",
        section=story.section,
        authors=[story.authors.get()],
        tags=["Harbour"],
        status="draft",
    )
    pages = PUBLIC_PAGES[:-1]
    before = {url: main(client.get(url)) for url in pages}
    assert not any("Storm warning" in html for html in before.values())
    assert "No stories found" in client.get("/search/?q=storm").content.decode()
    draft.status = Article.Status.PUBLISHED
    draft.save()
    for url in pages:  # Trending Now aside, which takes new stories in within its own lifetime
        assert "Storm warning" in main(client.get(url)), url
    assert "No stories found" not in client.get("/search/?q=storm").content.decode()


def test_editing_refreshes_the_story_page_and_lists(client, story):
    url = story.get_absolute_url()
    assert "Harbour reopens" in client.get(url).content.decode()
    assert "Harbour reopens" in client.get("/").content.decode()
    story.headline = "Harbour reopens after the storm"
    story.save()
    assert "Harbour reopens after the storm" in client.get(url).content.decode()
    assert "Harbour reopens after the storm" in client.get("/").content.decode()


def test_unpublishing_removes_the_story_everywhere_at_once(client, story):
    url = story.get_absolute_url()
    assert client.get(url).status_code == 200
    assert "Harbour reopens" in client.get("/feeds/rss/").content.decode()
    story.status = Article.Status.DRAFT
    story.save()
    assert client.get(url).status_code in (404, 410)
    for page in [*PUBLIC_PAGES, "/feeds/rss/", "/sitemap-articles.xml", "/api/ninjs/"]:
        assert "Harbour reopens" not in client.get(page).content.decode(), page


@pytest.mark.parametrize("change", ["section", "author", "tag"])
def test_renaming_a_section_author_or_tag_refreshes_pages(client, story, change):
    assert client.get(story.get_absolute_url()).status_code == 200
    thing = {"section": story.section, "author": story.authors.get(), "tag": story.tags.get()}[change]
    thing.name = "Renamed thing"
    thing.save()
    assert "Renamed thing" in client.get(story.get_absolute_url()).content.decode()


def test_tagging_a_story_refreshes_the_tag_page(client, story):
    from articles.models import Tag

    make_article("Other story", section=story.section, tags=["Climate"])
    assert "Harbour reopens" not in main(client.get("/tag/climate/"))
    story.tags.add(Tag.objects.get(name="Climate"))
    assert "Harbour reopens" in main(client.get("/tag/climate/"))


def test_staff_get_fresh_private_pages_and_never_fill_the_cache(client, staff_client, story):
    response = staff_client.get("/")
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert "ETag" not in response
    assert cache.get(pages.page_key(RequestFactory().get("/"))) is None
    client.get("/")  # an anonymous reader fills the cache
    Article.objects.filter(pk=story.pk).update(headline="Changed behind the cache")
    assert "Changed behind the cache" in staff_client.get("/").content.decode()
    assert "Changed behind the cache" not in client.get("/").content.decode()


def test_previews_are_never_cached(staff_client):
    draft = make_article("Secret", status="draft")
    response = staff_client.get(f"/preview/{draft.pk}/")
    assert "no-cache" in response["Cache-Control"] and "ETag" not in response


def test_errors_and_redirects_are_not_kept_and_carry_short_lifetimes(client, story, settings):
    settings.PAGE_ERROR_SHARED_MAX_AGE = 7
    missing = client.get("/section/nope/")
    assert missing.status_code == 404
    make_section("Nope")
    assert client.get("/section/nope/").status_code == 200
    wrong_date = client.get("/1999/01/01/" + story.slug + "/")
    assert wrong_date.status_code == 301
    story.status = "draft"
    story.save()
    gone = client.get(story.get_absolute_url())
    assert gone.status_code == 410
    for response in (missing, wrong_date, gone):  # browsers ask again every time; shared caches briefly
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert {"max-age=0", "s-maxage=7"} <= directives, response.status_code


def test_a_scheduled_story_appears_on_time_without_any_save(client, monkeypatch):
    make_article("Soon", ago=timedelta(seconds=-60))
    assert "Soon" not in main(client.get("/latest/"))
    monkeypatch.setattr(clock, "offset", 61)  # no save, no cron: the first request after the moment
    assert "Soon" in main(client.get("/latest/"))


def test_an_embargo_lifting_shows_the_story_on_its_lists_on_time(client, monkeypatch):
    section = make_section("News")
    make_article("Old news", section=section, tags=["Harbour"])
    make_article(
        "Embargoed", section=section, tags=["Harbour"], embargo_until=clock.now() + timedelta(minutes=5)
    )
    for url in ("/", "/section/news/", "/tag/harbour/"):
        assert "Embargoed" not in main(client.get(url)), url
    monkeypatch.setattr(clock, "offset", 301)
    for url in ("/", "/section/news/", "/tag/harbour/"):
        assert "Embargoed" in main(client.get(url)), url


def test_after_a_cold_start_a_scheduled_story_still_appears_on_time(client, monkeypatch):
    make_article("Soon", ago=timedelta(seconds=-60))
    cache.clear()  # e.g. a restarted Redis: the next go-live time is forgotten
    assert "Soon" not in main(client.get("/latest/"))
    monkeypatch.setattr(clock, "offset", 61)
    assert "Soon" in main(client.get("/latest/"))


def test_a_save_costs_the_cache_no_query_so_imports_stay_fast(story, django_assert_num_queries):
    with django_assert_num_queries(1):  # the UPDATE itself
        freshness.changed(f"s{story.pk}", "list")
        with freshness.batch():
            story.headline = "Harbour reopens again"
            story.save(update_fields=["headline"])  # the UPDATE itself, and no query for freshness


def test_trending_now_is_filled_into_cached_pages_and_is_at_most_its_own_lifetime_old(
    client, settings, monkeypatch, django_assert_num_queries
):
    from articles import trending

    settings.TRENDING_SIZE = 1
    first = make_article("First story")
    second = make_article("Second story", ago=timedelta(hours=2))
    trending.record_view(second.pk, count=5)
    page = client.get(first.get_absolute_url())
    assert "Second story" in page.content.decode().split("<aside")[1]
    trending.record_view(first.pk, count=50)
    monkeypatch.setattr(clock, "offset", settings.TRENDING_CACHE_SECONDS - 1)
    with django_assert_num_queries(0):
        assert client.get(first.get_absolute_url()).content == page.content
    monkeypatch.setattr(clock, "offset", settings.TRENDING_CACHE_SECONDS + 1)
    with django_assert_num_queries(4):  # the right column alone (Trending Now 3, "Just in" 1): page kept
        again = client.get(first.get_absolute_url())
    assert "First story" in again.content.decode().split("<aside")[1]
    assert main(again) == main(page) and again["ETag"] != page["ETag"]


def test_posts_are_never_served_from_the_cache(client, story):
    client.get("/")
    assert client.post("/").status_code == 405


def test_readers_on_other_hosts_get_their_own_copy(client, story, settings):
    settings.ALLOWED_HOSTS = ["testserver", "news.example.com"]
    client.get("/")
    other = client.get("/", headers={"host": "news.example.com"})
    assert 'href="http://news.example.com/"' in other.content.decode()


@pytest.mark.redis
def test_pages_are_cached_in_the_real_redis(redis_url, settings, story, django_assert_num_queries):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "test-pages",
        },
    }
    redis_cache = caches["default"]
    redis_cache.clear()
    assert type(redis_cache).__name__ == "RedisCache"
    client = Client()
    url = story.get_absolute_url()
    first = client.get(url)
    key = pages.page_key(first.wsgi_request)
    client_for_key = redis_cache._cache.get_client(key)
    assert client_for_key.exists(redis_cache.make_and_validate_key(key))
    assert 0 < client_for_key.ttl(redis_cache.make_and_validate_key(key)) <= settings.PAGE_CACHE_SECONDS
    with django_assert_num_queries(0):
        assert client.get(url).content == first.content
    assert client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 304
    story.headline = "Harbour closes"
    story.save()  # its key's token moves on in Redis
    assert "Harbour closes" in client.get(url).content.decode()
    story.status = Article.Status.DRAFT
    story.save()
    assert client.get(url).status_code in (404, 410)
    assert "Harbour closes" not in client.get("/").content.decode()
    redis_cache.clear()


def test_a_worker_answers_a_cached_page_from_its_own_memory(client, story, monkeypatch):
    url = story.get_absolute_url()
    first = client.get(url)
    shared_reads = []
    monkeypatch.setattr(cache, "get", lambda *args, **kwargs: shared_reads.append(args))
    monkeypatch.setattr(cache, "get_many", lambda *args, **kwargs: shared_reads.append(args) or {})
    second = client.get(url)
    assert second.content == first.content and second["ETag"] == first["ETag"]
    assert shared_reads == []  # neither the page nor its keys' tokens came over the network


def test_a_change_saved_by_another_process_shows_within_the_poll_interval(
    client, story, settings, monkeypatch
):
    settings.CONTENT_VERSION_POLL_SECONDS = 1
    url = story.get_absolute_url()
    assert "Harbour reopens" in main(client.get(url))
    # Another app server saves: the row changes and the story's token moves on; this process is not told.
    Article.objects.filter(pk=story.pk).update(headline="Harbour closes")
    cache.set(changes.TOKEN.format(f"s{story.pk}"), clock.time(), None)
    assert "Harbour reopens" in main(client.get(url))
    monkeypatch.setattr(clock, "offset", 1.1)
    assert "Harbour closes" in main(client.get(url))


def test_story_cards_are_rendered_once_until_their_story_changes(client, story, django_assert_num_queries):
    client.get("/section/news/")
    with django_assert_num_queries(2):  # the section and the page of ids: the card itself is remembered
        assert "Harbour reopens" in main(client.get("/section/news/?page=1"))  # another address: a miss
    story.headline = "Harbour closes"
    story.save()
    assert "Harbour closes" in main(client.get("/section/news/"))
    assert "Harbour closes" in main(client.get("/tag/harbour/"))


def test_a_write_that_sends_no_signal_shows_on_lists_within_the_fragments_lifetime(
    client, story, settings, monkeypatch
):
    settings.PAGE_CACHE_SECONDS = 0  # pages are not kept: only the remembered cards are under test
    settings.LOCAL_FRAGMENT_SECONDS = 300
    assert "Harbour reopens" in main(client.get("/section/news/"))
    Article.objects.filter(pk=story.pk).update(headline="Harbour closes")  # no signal, no change noted
    monkeypatch.setattr(clock, "offset", 299)
    assert "Harbour reopens" in main(client.get("/section/news/"))  # the card is still remembered
    monkeypatch.setattr(clock, "offset", 301)
    assert "Harbour closes" in main(client.get("/section/news/"))


def test_the_documented_call_after_a_signal_less_write_shows_it_at_once(client, story):
    assert "Harbour reopens" in main(client.get("/section/news/"))
    Article.objects.filter(pk=story.pk).update(headline="Harbour closes")
    freshness.changed(f"s{story.pk}")
    assert "Harbour closes" in main(client.get("/section/news/"))
    Article.objects.filter(pk=story.pk).update(headline="Harbour closes again")
    freshness.changed_everything()
    assert "Harbour closes again" in main(client.get("/section/news/"))


def test_saving_drafts_and_stories_in_review_leaves_every_cached_page_alone(
    client, story, django_assert_num_queries
):
    ann = make_author("Ann")  # an author and a tag readers may see once a published story uses them
    make_article("Plans", status="draft", tags=["Plans"])
    urls = [*PUBLIC_PAGES, story.get_absolute_url(), "/feeds/rss/", "/sitemap.xml"]
    for url in urls:
        client.get(url)
    draft = make_article("Secret plan", status="draft", authors=[ann], tags=["Plans"])
    draft.headline = "Secret plan, second draft"
    draft.save()
    draft.status = "review"
    draft.save()
    draft.tags.add("Harbour")
    draft.bylines.first().delete()
    draft.delete()
    with django_assert_num_queries(0):
        for url in urls:
            assert client.get(url).status_code == 200, url


def test_editing_a_story_leaves_pages_that_do_not_show_it_cached(
    client, story, django_assert_max_num_queries
):
    sport = make_section("Sport")
    match = make_article("Match report", section=sport, tags=["Football"])
    untouched = ["/section/sport/", "/tag/football/", match.get_absolute_url()]
    touched = ["/", "/latest/", "/section/news/", "/tag/harbour/", "/author/anna/", story.get_absolute_url()]
    for url in untouched + touched:
        client.get(url)
    story.headline = "Harbour reopens after the storm"
    story.save()
    with django_assert_max_num_queries(3):  # Trending Now, which shows the story, once; the pages stay cached
        for url in untouched:
            assert "Harbour reopens after the storm" not in main(client.get(url))
    for url in touched:
        assert "Harbour reopens after the storm" in client.get(url).content.decode(), url


def test_publishing_a_story_refreshes_the_lists_it_joins_and_no_others(
    client, story, django_assert_num_queries
):
    sport = make_section("Sport")
    make_article("Match report", section=sport, tags=["Football"])
    draft = make_article("Council votes", section=story.section, tags=["Council"], status="draft")
    client.get("/section/sport/"), client.get("/tag/football/"), client.get("/section/news/")
    draft.status = Article.Status.PUBLISHED
    draft.save()
    client.get("/robots.txt")  # the first request after a go-live time moved looks the next one up
    with django_assert_num_queries(0):
        assert "Council votes" not in main(client.get("/tag/football/"))
    for url in ("/", "/latest/", "/section/news/", "/tag/council/", "/feeds/rss/", "/sitemap-articles.xml"):
        assert f"/{draft.slug}/" in client.get(url).content.decode(), url  # a link, in the sitemap too


def test_a_registered_schedule_changes_its_keys_at_its_moment(client, story, monkeypatch):
    """What fronts and banners do: a pin that ends at a known time, with no save then."""
    ends = clock.now() + timedelta(minutes=10)
    shown = {"text": "Pinned"}

    def pin_html(request):
        freshness.depends_on("front-home")
        from django.http import HttpResponse

        return HttpResponse(shown["text"] if clock.now() < ends else "Unpinned")

    monkeypatch.setattr(changes, "SCHEDULES", [])
    freshness.register_schedule(lambda now: ends if now < ends else None, "front-home")
    page = freshness.public_page(pin_html)
    assert page(RequestFactory().get("/front/")).content == b"Pinned"
    monkeypatch.setattr(clock, "offset", 599)
    assert page(RequestFactory().get("/front/")).content == b"Pinned"  # still kept
    monkeypatch.setattr(clock, "offset", 601)
    assert page(RequestFactory().get("/front/")).content == b"Unpinned"


def test_a_worker_keeps_answering_while_the_shared_cache_does_not(client, story, monkeypatch):
    client.get("/section/news/")
    monkeypatch.setattr(cache, "get", lambda key, default=None, **kwargs: default)  # Redis timing out
    monkeypatch.setattr(cache, "get_many", lambda keys, **kwargs: {})
    monkeypatch.setattr(cache, "add", lambda *args, **kwargs: False)
    assert "Harbour reopens" in main(client.get("/section/news/"))
    assert "Harbour reopens" in main(client.get("/tag/harbour/"))  # rendered afresh without the cache


def test_a_model_names_what_its_saves_change(story):
    """How fronts and banners keep their saves precise: a `freshness_keys()` method."""
    from articles.freshness import keys

    class Front:
        class _meta:  # noqa: N801
            label_lower = "articles.front"

        def freshness_keys(self):
            return {"front-home"}

    assert keys.for_change(Front, Front()) == {"front-home"}
    Front.freshness_keys = None
    del Front.freshness_keys
    assert keys.for_change(Front, Front()) == {"all"}  # unknown: everything, to be safe
