import logging
import random
import uuid
from datetime import timedelta

import pytest
from django.urls import reverse

from articles import trending
from articles.freshness.redis import redis_breaker
from articles.models import HourlyViews
from tests.conftest import make_article

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
WINDOW = 48


@pytest.fixture(autouse=True)
def closed_breaker():
    redis_breaker.down, redis_breaker.retry_at = False, 0.0
    yield
    redis_breaker.down, redis_breaker.retry_at = False, 0.0


@pytest.fixture
def redis_backend(redis_url, monkeypatch):
    """The Redis backend on the real server, in REDIS_URL's database under a prefix of its own. This run
    flushes that database only between tests; another database could be another run's, flushed any time."""
    backend = trending.RedisBackend(redis_url, prefix=f"test:trending:{uuid.uuid4().hex}")
    monkeypatch.setattr(trending, "backend", lambda: backend)
    yield backend
    keys = list(backend.client.scan_iter(f"{backend.prefix}:*"))
    if keys:
        backend.client.delete(*keys)


def test_same_events_give_the_same_ranking_in_both_backends(redis_backend):
    stories = [make_article(f"Story {i}") for i in range(30)]
    hidden = [make_article("Draft", status="draft"), make_article("Later", ago=timedelta(hours=-3))]
    now = trending.hour_of()
    database = trending.DatabaseBackend()
    rng = random.Random(6)
    for _ in range(2000):
        story = rng.choice(stories + hidden)
        hour = now - min(int(rng.expovariate(1 / 20)), 70)  # some fall outside the window
        database.record(story.pk, hour)
        redis_backend.record(story.pk, hour)
    for a, b in ((stories[0], stories[1]), (stories[2], stories[3])):  # exact ties break by id in both
        for hour in (now, now - 5):
            database.record(a.pk, hour)
            redis_backend.record(a.pk, hour)
            database.record(b.pk, hour)
            redis_backend.record(b.pk, hour)

    expected = database.full_ranking(25, now - WINDOW + 1, now)
    assert len(expected) == 25
    assert {pk for pk, _score, _views in expected}.isdisjoint(h.pk for h in hidden)
    assert redis_backend.full_ranking(25, now - WINDOW + 1, now) == expected
    assert database.ranking(25, WINDOW, now) == expected
    assert redis_backend.ranking(25, WINDOW, now) == expected
    assert redis_backend.ranking(3, 10, now) == database.ranking(3, 10, now)


@pytest.mark.parametrize("rollup_size", [2, 5, 12])
def test_the_hourly_rollup_plus_this_hour_equals_summing_the_window(redis_backend, monkeypatch, rollup_size):
    """However short the roll-up, stories rising this hour and stories just below it are ranked exactly."""
    monkeypatch.setattr(trending, "ROLLUP_SIZE", rollup_size)
    stories = [make_article(f"Story {i}") for i in range(40)]
    now = trending.hour_of()
    database = trending.DatabaseBackend()
    rng = random.Random(rollup_size)
    for _ in range(1500):
        story = rng.choice(stories[:30])
        hour = now - rng.randint(1, WINDOW - 1)
        database.record(story.pk, hour)
        redis_backend.record(story.pk, hour)
    for story in stories[25:]:  # a burst this hour, mostly on stories little read before
        for _ in range(rng.randint(1, 60)):
            database.record(story.pk, now)
            redis_backend.record(story.pk, now)
    for backend in (database, redis_backend):
        for n in (1, 5, 10):
            assert backend.ranking(n, WINDOW, now) == backend.full_ranking(n, now - WINDOW + 1, now)


def test_top_is_the_same_list_with_either_backend(redis_backend):
    a, b, c = make_article("A"), make_article("B"), make_article("C")
    now = trending.hour_of()
    for story, count, hours_ago in ((a, 10, 0), (b, 30, 1), (c, 100, 40)):
        HourlyViews.objects.create(article=story, hour=now - hours_ago, views=count)
        redis_backend.record(story.pk, now - hours_ago, count)
    from_redis = trending.top(3)
    assert [item["headline"] for item in from_redis] == ["B", "C", "A"]
    assert [item["views"] for item in from_redis] == [30, 100, 10]
    assert trending.DatabaseBackend().ranking(3, WINDOW, now) == redis_backend.ranking(3, WINDOW, now)


def test_unpublished_stories_never_trend_even_when_they_lead(redis_backend):
    live = make_article("Live")
    drafts = [make_article(f"Draft {i}", status="draft") for i in range(20)]
    now = trending.hour_of()
    redis_backend.record(live.pk, now, 1)
    for draft in drafts:
        redis_backend.record(draft.pk, now, 100)
    assert redis_backend.ranking(5, WINDOW, now) == [(live.pk, WINDOW, 1)]


def test_the_beacon_counts_in_redis_not_in_the_database(client, redis_backend):
    story = make_article("Read me")
    assert (
        client.post(reverse("articles:beacon", args=[story.pk]), HTTP_USER_AGENT=BROWSER).status_code == 204
    )
    assert not HourlyViews.objects.exists()
    key = redis_backend.key(trending.hour_of())
    assert redis_backend.client.zscore(key, story.pk) == 1
    assert 0 < redis_backend.client.ttl(key) <= (WINDOW + 2) * 3600


def test_the_beacon_counts_a_reader_once_per_half_hour_in_one_round_trip(client, redis_backend, settings):
    story = make_article("Read me")
    url = reverse("articles:beacon", args=[story.pk])
    for address in ("10.0.0.1", "10.0.0.1", "10.0.0.2"):
        assert client.post(url, HTTP_USER_AGENT=BROWSER, REMOTE_ADDR=address).status_code == 204
    assert redis_backend.client.zscore(redis_backend.key(trending.hour_of()), story.pk) == 2
    marks = list(redis_backend.client.scan_iter(f"{redis_backend.prefix}:seen:*"))
    assert len(marks) == 2
    assert 0 < redis_backend.client.ttl(marks[0]) <= settings.TRENDING_DEDUP_SECONDS


def test_a_counted_view_is_one_round_trip_with_its_address_allowance(
    client, redis_backend, settings, monkeypatch
):
    story = make_article("Read me")
    url = reverse("articles:beacon", args=[story.pk])
    client.post(url, HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="198.51.100.7")  # the script is loaded by now
    sent = []
    execute = redis_backend.client.execute_command
    monkeypatch.setattr(
        redis_backend.client,
        "execute_command",
        lambda *args, **kw: sent.append(args[0]) or execute(*args, **kw),
    )
    assert client.post(url, HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="203.0.113.9").status_code == 204
    assert sent == ["EVALSHA"]
    assert redis_backend.client.zscore(redis_backend.key(trending.hour_of()), story.pk) == 2
    allowances = list(redis_backend.client.scan_iter(f"{redis_backend.prefix}:limit:203.0.113.9:*"))
    assert len(allowances) == 1
    assert int(redis_backend.client.get(allowances[0])) == 1
    assert 0 < redis_backend.client.ttl(allowances[0]) <= settings.TRENDING_ADDRESS_SECONDS


def test_redis_down_falls_back_to_the_database_ranking_and_warns_once(monkeypatch, caplog):
    down = trending.RedisBackend("redis://127.0.0.1:1/0")  # nothing listens on port 1
    monkeypatch.setattr(trending, "backend", lambda: down)
    story = make_article("Counted before the outage")
    HourlyViews.objects.create(article=story, hour=trending.hour_of(), views=7)
    with caplog.at_level(logging.WARNING, logger="newsroom.redis"):
        down.record(story.pk, trending.hour_of())
        ranked = [trending.ranking(5) for _ in range(3)]
        redis_breaker.retry_at = (
            0.0  # the cool-down is over: the next call tries Redis again, and fails again
        )
        down.record(story.pk, trending.hour_of())
    assert ranked == [[(story.pk, WINDOW * 7, 7)]] * 3
    assert len([r for r in caplog.records if "Redis is unavailable" in r.getMessage()]) == 1


def test_redis_down_with_no_counts_shows_the_latest_stories(monkeypatch):
    monkeypatch.setattr(trending, "backend", lambda: trending.RedisBackend("redis://127.0.0.1:1/0"))
    make_article("Older", ago=timedelta(hours=3))
    make_article("Newest")
    assert [item["headline"] for item in trending.top(2)] == ["Newest", "Older"]


def test_demo_views_go_to_the_redis_backend(redis_backend):
    from django.core.management import call_command

    from articles.models import HourlyViews

    call_command("load_demo")
    ranked = trending.ranking(5)
    assert len(ranked) == 5 and all(views > 0 for _id, _score, views in ranked)
    assert not HourlyViews.objects.exists()
