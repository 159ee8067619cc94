import time
from datetime import timedelta

import pytest
from django.core.cache import cache, caches
from django.db import connections
from django.test import Client, RequestFactory

from articles import caching
from articles.models import Article
from tests.conftest import make_article, make_author, make_section

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["/", "/latest/", "/section/news/", "/author/anna/", "/tag/harbour/", "/search/?q=harbour"]


def main(response):
    """The page without its Trending Now sidebar."""
    return response.content.decode().split("<aside")[0]


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
    before = {url: client.get(url).content.decode() for url in PUBLIC_PAGES}
    assert not any("Storm warning" in html for html in before.values())
    draft.status = Article.Status.PUBLISHED
    draft.save()
    for url in PUBLIC_PAGES:
        assert "Storm warning" in client.get(url).content.decode(), url


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
    assert cache.get(caching.page_key(RequestFactory().get("/"))) is None
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


def test_a_scheduled_story_appears_on_time_without_any_save(client, settings):
    settings.PAGE_CACHE_SECONDS = 300
    make_article("Soon", ago=timedelta(seconds=-1))
    assert "Soon" not in main(client.get("/latest/"))
    time.sleep(1.2)
    assert "Soon" in main(client.get("/latest/"))


def test_after_a_cold_start_pages_still_expire_in_page_cache_seconds(client, settings):
    settings.PAGE_CACHE_SECONDS = 1
    make_article("Soon", ago=timedelta(seconds=-1))
    cache.clear()  # e.g. a restarted Redis: the next go-live time is forgotten
    assert "Soon" not in main(client.get("/latest/"))
    time.sleep(1.2)
    assert "Soon" in main(client.get("/latest/"))


def test_a_save_costs_the_cache_no_query_so_imports_stay_fast(story, django_assert_num_queries):
    before = caching.content_version()
    with django_assert_num_queries(0):
        caching.content_changed(Article)
    assert caching.content_version() != before


def test_trending_now_on_a_cached_page_is_at_most_a_minute_old(settings):
    assert settings.PAGE_CACHE_SECONDS + settings.TRENDING_CACHE_SECONDS <= 60


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
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "test-pages",
        }
    }
    redis_cache = caches["default"]
    redis_cache.clear()
    assert type(redis_cache).__name__ == "RedisCache"
    client = Client()
    url = story.get_absolute_url()
    first = client.get(url)
    key = caching.page_key(first.wsgi_request)
    client_for_key = redis_cache._cache.get_client(key)
    assert client_for_key.exists(redis_cache.make_and_validate_key(key))
    assert 0 < client_for_key.ttl(redis_cache.make_and_validate_key(key)) <= settings.PAGE_CACHE_SECONDS
    with django_assert_num_queries(0):
        assert client.get(url).content == first.content
    assert client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 304
    story.headline = "Harbour closes"
    story.save()  # bumps the version in Redis
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
    second = client.get(url)
    assert second.content == first.content and second["ETag"] == first["ETag"]
    assert shared_reads == []  # neither the content version nor the page came over the network


def test_a_change_saved_by_another_process_shows_within_the_poll_interval(client, story, settings):
    settings.CONTENT_VERSION_POLL_SECONDS = 0.3
    url = story.get_absolute_url()
    assert "Harbour reopens" in main(client.get(url))
    # Another app server saves: the row changes and the shared version moves on; this process is not told.
    Article.objects.filter(pk=story.pk).update(headline="Harbour closes")
    cache.set(caching.VERSION_KEY, {"version": caching.new_version(), "due": None}, None)
    assert "Harbour reopens" in main(client.get(url))
    time.sleep(0.35)
    assert "Harbour closes" in main(client.get(url))


def test_story_cards_are_rendered_once_per_content_version(client, story, django_assert_num_queries):
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
    now = [1000.0]
    monkeypatch.setattr(caching, "clock", lambda: now[0])
    assert "Harbour reopens" in main(client.get("/section/news/"))
    Article.objects.filter(pk=story.pk).update(headline="Harbour closes")  # no signal, no new version
    now[0] += 299
    assert "Harbour reopens" in main(client.get("/section/news/"))  # the card is still remembered
    now[0] += 2
    assert "Harbour closes" in main(client.get("/section/news/"))


def test_the_documented_call_after_a_signal_less_write_shows_it_at_once(client, story):
    assert "Harbour reopens" in main(client.get("/section/news/"))
    Article.objects.filter(pk=story.pk).update(headline="Harbour closes")
    caching.bump_version()
    assert "Harbour closes" in main(client.get("/section/news/"))


def test_saving_drafts_and_stories_in_review_leaves_every_cached_page_alone(client, story):
    ann = make_author("Ann")  # an author and a tag readers may see once a published story uses them
    make_article("Plans", status="draft", tags=["Plans"])
    version = caching.content_version()
    draft = make_article("Secret plan", status="draft", authors=[ann], tags=["Plans"])
    draft.headline = "Secret plan, second draft"
    draft.save()
    draft.status = "review"
    draft.save()
    draft.tags.add("Harbour")
    draft.bylines.first().delete()
    draft.delete()
    assert caching.content_version() == version


def test_publishing_scheduling_editing_and_unpublishing_move_the_version_on(story):
    draft = make_article("Soon", status="draft")
    for change in (
        {"status": "published", "published_at": story.published_at},  # published now
        {"headline": "Soon, edited"},  # a published story edited
        {"status": "draft"},  # taken down
        {"status": "published", "published_at": story.published_at + timedelta(days=1)},  # scheduled
    ):
        version = caching.content_version()
        for field, value in change.items():
            setattr(draft, field, value)
        draft.save()
        assert caching.content_version() != version, change


def test_workers_moving_on_when_a_story_goes_live_agree_on_the_next_version():
    due = {"version": "before", "due": time.time() - 1}
    cache.set(caching.VERSION_KEY, due, None)
    first = caching.shared_state()["version"]
    cache.set(caching.VERSION_KEY, due, None)  # another worker read the same state at the same moment
    assert caching.shared_state()["version"] == first != "before"


def test_threads_asking_for_the_same_missing_page_render_it_once():
    import threading

    from django.http import HttpResponse

    renders = []

    @caching.public_page
    def slow_view(request):
        renders.append(1)
        time.sleep(0.2)
        return HttpResponse("the page")

    answers = []

    def ask():
        try:
            answers.append(slow_view(RequestFactory().get("/same/")).content)
        finally:
            connections.close_all()  # a thread's own database connection (the version may have been due)

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [b"the page"] * 4 and len(renders) == 1


def test_a_worker_keeps_its_version_and_memory_while_the_shared_cache_does_not_answer(
    client, story, settings, monkeypatch
):
    settings.CONTENT_VERSION_POLL_SECONDS = 0
    client.get("/latest/")  # a list card (on the section page the only story is its front's lead)
    version = caching.content_version()
    monkeypatch.setattr(cache, "get", lambda key, default=None, **kwargs: default)  # Redis timing out
    monkeypatch.setattr(cache, "add", lambda *args, **kwargs: False)
    assert caching.content_version() == caching.content_version() == version
    assert caching.recall(("card", story.pk, ("level", "2"), ("show_section", True))) is not None
    # A story going live while Redis is away still moves every worker on, to the same version.
    caching.local.state["due"] = time.time() - 1
    moved = caching.content_version()
    assert moved != version
    assert caching.content_version() == moved
