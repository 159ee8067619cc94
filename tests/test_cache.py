import logging

import pytest

from articles.freshness.redis import TolerantRedisCache, redis_breaker


@pytest.fixture(autouse=True)
def closed_breaker():
    redis_breaker.down, redis_breaker.retry_at = False, 0.0
    yield
    redis_breaker.down, redis_breaker.retry_at = False, 0.0


def cache_at(url):
    return TolerantRedisCache(url, {"KEY_PREFIX": "test-cache", "OPTIONS": {"socket_connect_timeout": 0.5}})


def test_a_down_redis_answers_misses_and_warns_once(caplog):
    cache = cache_at("redis://127.0.0.1:1/0")  # nothing listens on port 1
    with caplog.at_level(logging.WARNING, logger="newsroom.redis"):
        assert cache.get("page", "missed") == "missed"
        cache.set("page", "html", 30)
        assert cache.add("seen", 1, 30) is False
        assert cache.get_many(["a", "b"]) == {}
        cache.delete("page")
    warnings = [r.getMessage() for r in caplog.records]
    assert len(warnings) == 1
    assert warnings[0].startswith("Redis is unavailable")


def test_the_cache_works_again_when_redis_answers(redis_url, caplog):
    down = cache_at("redis://127.0.0.1:1/0")
    up = cache_at(redis_url)
    with caplog.at_level(logging.WARNING, logger="newsroom.redis"):
        down.get("page")
        redis_breaker.retry_at = 0.0  # the cool-down is over
        up.set("page", "html", 30)
        assert up.get("page") == "html"
    up.delete("page")
    assert [r.getMessage() for r in caplog.records][-1] == "Redis answers again."
