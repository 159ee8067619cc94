"""What a cached hit costs: no query, no Redis round trip within the poll interval, one after it, and the
answer (filled holes, validators, surrogate keys) worked out once per version of the page and its holes.

Behind `bench/run.py`'s cached-page ratio: each of these was a cost paid on every hit before (issue #12's
regression: three round trips per check, the holes filled and the keys sorted on every answer).
"""

from collections import Counter
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.test import Client

from articles import trending
from articles.freshness import clock, pages, purge
from articles.models import Article
from tests.conftest import make_article, make_author, make_section
from tests.test_caching import main

pytestmark = [pytest.mark.django_db, pytest.mark.redis]


@pytest.fixture
def redis_cache(redis_url, settings):
    """The project's own Redis cache backend on the real Redis, its commands counted."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "articles.freshness.redis.TolerantRedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "test-hits",
        },
    }
    shared = caches["default"]
    shared.clear()
    caches["local"].clear()
    client = shared._cache.get_client(write=True)
    assert shared._cache.get_client() is client  # one server: every command goes through this client
    commands = Counter()
    execute = client.execute_command

    def counted(*args, **kwargs):
        commands[args[0]] += 1
        return execute(*args, **kwargs)

    client.execute_command = counted
    yield commands
    del client.execute_command
    shared.clear()


@pytest.fixture
def story():
    return make_article(
        "Harbour reopens", section=make_section("News"), authors=[make_author("Anna")], tags=["Harbour"]
    )


def test_a_cached_hit_asks_redis_nothing_then_once_per_poll_interval(
    redis_cache, story, settings, monkeypatch, django_assert_num_queries
):
    # Long enough for a slow first render on a busy machine; the holes outlive the interval.
    settings.CONTENT_VERSION_POLL_SECONDS, settings.TRENDING_CACHE_SECONDS = 60, 600
    url = story.get_absolute_url()
    client = Client()
    first = client.get(url)
    assert first.status_code == 200 and "Harbour reopens" in first.content.decode()
    redis_cache.clear()
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second.content == first.content and second["ETag"] == first["ETag"]
    assert redis_cache == {}  # this worker checked the page and its holes within the interval
    monkeypatch.setattr(clock, "offset", 61)
    with django_assert_num_queries(0):
        third = client.get(url)
    assert third.content == first.content
    # The change times of the page's keys, its holes' keys and the next moment: one MGET, not one each.
    assert redis_cache == {"MGET": 1}


def test_a_publication_checked_in_that_one_round_trip_shows_at_once(
    redis_cache, story, settings, monkeypatch
):
    settings.CONTENT_VERSION_POLL_SECONDS, settings.TRENDING_CACHE_SECONDS = 60, 600
    client = Client()
    assert "Harbour storm" not in client.get("/").content.decode()
    # Published by another app server: the row and its lists' change times move; this process is not told.
    draft = make_article("Harbour storm", section=story.section, status=Article.Status.DRAFT)
    published_at = clock.now() - timedelta(minutes=5)
    Article.objects.filter(pk=draft.pk).update(status=Article.Status.PUBLISHED, published_at=published_at)
    caches["default"].set_many({f"fresh:{key}": clock.time() for key in ("list", f"s{draft.pk}")}, None)
    assert "Harbour storm" not in client.get("/").content.decode()  # within the interval: not asked yet
    monkeypatch.setattr(clock, "offset", 61)
    assert "Harbour storm" in client.get("/").content.decode()


def test_the_answer_is_worked_out_once_per_version_of_the_page_and_its_holes(
    client, story, settings, monkeypatch
):
    settings.TRENDING_SIZE = 1
    made = Counter()
    headers = purge.headers
    monkeypatch.setattr(purge, "headers", lambda keys: made.update(["answer"]) or headers(keys))
    url = story.get_absolute_url()
    first = client.get(url)
    assert made["answer"] == 1
    for _ in range(3):
        again = client.get(url)
        assert again.content == first.content and again["ETag"] == first["ETag"]
        assert again["xkey"] == first["xkey"] and f"s{story.pk}" in again["xkey"].split()
    assert made["answer"] == 1  # kept with the page: not filled, hashed and sorted again on each hit
    other = make_article("Second story")
    trending.record_view(other.pk, count=50)
    monkeypatch.setattr(clock, "offset", settings.TRENDING_CACHE_SECONDS + 1)
    renewed = client.get(url)
    assert made["answer"] == 2  # Trending Now was made again: the answer with it
    assert "Second story" in renewed.content.decode().split("<aside")[1]
    assert renewed["ETag"] != first["ETag"] and f"s{other.pk}" in renewed["xkey"].split()
    assert client.get(url, headers={"if-none-match": renewed["ETag"]}).status_code == 304
    assert made["answer"] == 2


def test_a_page_whose_html_this_worker_dropped_is_filled_from_redis_or_rendered_again(
    client, story, settings, monkeypatch, django_assert_max_num_queries
):
    settings.TRENDING_SIZE = 1
    url = story.get_absolute_url()
    first = client.get(url)
    key = pages.page_key(first.wsgi_request)
    caches["local"].delete(pages.RAW.format(key))  # evicted (LOCAL_CACHE_ENTRIES)
    monkeypatch.setattr(clock, "offset", settings.TRENDING_CACHE_SECONDS + 1)  # the holes are made again
    with django_assert_max_num_queries(4):  # the right column alone (Trending Now, "Just in"): page in Redis
        again = client.get(url)
    assert again.status_code == 200 and main(again) == main(first)
    caches["local"].delete(pages.RAW.format(key))
    caches["default"].delete(key)  # gone from Redis too: rendered again, not answered with holes unfilled
    monkeypatch.setattr(clock, "offset", 2 * settings.TRENDING_CACHE_SECONDS + 2)
    last = client.get(url)
    assert last.status_code == 200 and main(last) == main(first) and "<!--hole:" not in last.content.decode()


def test_the_cache_control_of_a_kept_page_reads_as_django_writes_it(client, story, settings):
    from django.http import HttpResponse
    from django.utils.cache import patch_cache_control

    response = HttpResponse()
    patch_cache_control(response, public=True, max_age=settings.PAGE_MAX_AGE, s_maxage=123)
    assert pages.cache_control(123) == response["Cache-Control"]
    client.get("/")
    assert client.get("/")["Cache-Control"] == pages.cache_control(pages.shared_max_age(None, clock.time()))


def test_an_uncached_page_reads_the_change_times_of_the_site_furniture_in_one_round_trip(
    redis_cache, story, settings
):
    settings.CONTENT_VERSION_POLL_SECONDS, settings.TRENDING_CACHE_SECONDS = 60, 600
    url = story.get_absolute_url()
    client = Client()
    key = pages.page_key(client.get(url).wsgi_request)  # the menu, banner, footer and holes kept here
    for alias in ("default", "local"):
        caches[alias].delete(key)  # the page alone is gone (a change of its story, its lifetime)
    redis_cache.clear()
    again = client.get(url)
    assert again.status_code == 200 and "Harbour reopens" in again.content.decode()
    # The page (GET), the change times of `all`, the menu's, the banner's and the footer's with it (one
    # MGET; one per fragment before), those of the story's own part and of its related stories (one MGET:
    # they spare the bylines, tags and related stories queries), the page kept (SET).
    assert redis_cache == {"GET": 1, "MGET": 2, "SET": 1}
