"""Keep pages answering while Redis is away: a circuit breaker, and a cache backend that misses, not fails.

Django's RedisCache raises on every call when Redis is down, which turns a cache outage into an error page.
Here a failed call opens the breaker: for `COOLDOWN` seconds every cache call (and the Redis trending backend)
skips Redis at once, then one call tries again. One warning is logged per outage and process, not per request.
"""

import logging
import time

import redis
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger("newsroom.redis")

COOLDOWN = 5.0


class Breaker:
    """Skip a failing service for a few seconds after an error; log one warning per outage."""

    def __init__(self, name: str, cooldown: float = COOLDOWN):
        self.name = name
        self.cooldown = cooldown
        self.down = False
        self.retry_at = 0.0

    def is_open(self) -> bool:
        return self.down and time.monotonic() < self.retry_at

    def failed(self, error: Exception) -> None:
        if not self.down:
            logger.warning(
                "%s is unavailable (%s); carrying on without it until it answers again.", self.name, error
            )
        self.down = True
        self.retry_at = time.monotonic() + self.cooldown

    def succeeded(self) -> None:
        if self.down:
            self.down = False
            logger.warning("%s answers again.", self.name)


redis_breaker = Breaker("Redis")


def _tolerant(name, fallback=None):
    method = getattr(RedisCache, name)

    def call(self, *args, **kwargs):
        if redis_breaker.is_open():
            return fallback() if callable(fallback) else fallback
        try:
            result = method(self, *args, **kwargs)
        except redis.RedisError as error:
            redis_breaker.failed(error)
            return fallback() if callable(fallback) else fallback
        redis_breaker.succeeded()
        return result

    call.__name__ = name
    return call


class TolerantRedisCache(RedisCache):
    """Django's RedisCache, answering a miss (and storing nothing) while Redis is unavailable."""

    def get(self, key, default=None, version=None):
        if redis_breaker.is_open():
            return default
        try:
            result = super().get(key, default, version)
        except redis.RedisError as error:
            redis_breaker.failed(error)
            return default
        redis_breaker.succeeded()
        return result

    get_many = _tolerant("get_many", dict)
    add = _tolerant("add", False)
    set = _tolerant("set")
    set_many = _tolerant("set_many", list)
    touch = _tolerant("touch", False)
    has_key = _tolerant("has_key", False)
    delete = _tolerant("delete", False)
    delete_many = _tolerant("delete_many")
    clear = _tolerant("clear", False)
