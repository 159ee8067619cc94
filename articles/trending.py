"""Trending Now: count reader views per story per hour, rank recent views with recency weighting.

Callers use a few functions; where the counts live is a backend's business:
    count_view(article_id, ...)       count a reader's view: deduplicated, limited per address, bots ignored
    record_view(article_id, at=None)  count one view
    ranking(n)                        up to n (article_id, score, views) of published stories, best first
    top(n=None)                       the n trending published stories, as plain dicts, cached briefly
    prune(keep_hours)                 drop old counters

Backends (settings.TRENDING_BACKEND): "database" keeps HourlyViews rows; "redis" (the default when REDIS_URL
is set) keeps one sorted set per hour, so the beacon never writes to the database. Both rank the same events
the same way: a view weighs 1 in the oldest hour of the window, up to `window` in the current one.

Views cannot be bought cheaply (security review #17, finding 9): a reader is an address and a browser
(User-Agent), counted once per story per TRENDING_DEDUP_SECONDS; an address counts at most
TRENDING_ADDRESS_VIEWS views per TRENDING_ADDRESS_SECONDS whatever User-Agents it sends (an IPv6 address is
taken as its /64, which one subscriber holds whole); bots and HTTP libraries, named by crawlerdetect's list
or not calling themselves Mozilla, are never counted.
"""

import hashlib
import ipaddress
import logging
import time
from abc import ABC, abstractmethod
from datetime import datetime
from functools import lru_cache

from crawlerdetect import CrawlerDetect
from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.template.loader import get_template

from articles import freshness
from articles.freshness.redis import redis_breaker
from articles.models import Article, HourlyViews

logger = logging.getLogger(__name__)

# JayBizzle's Crawler-Detect list (about 1,500 patterns, kept up to date by its users), in its Python port.
CRAWLERS = CrawlerDetect()

Ranking = list[tuple[int, int, int]]


def hour_of(at: datetime | None = None) -> int:
    """Hours since the epoch (UTC) of `at`, or of now."""
    seconds = at.timestamp() if at is not None else time.time()
    return int(seconds // 3600)


# Matching the list costs about 20 microseconds per character it cannot rule out, so a client sending long
# made-up User-Agents could make each beacon cost milliseconds: only the beginning is judged (a browser's,
# exclusions and all, fits; honest bots name themselves early), and the cache holds short keys only.
JUDGED_CHARACTERS = 256


def is_bot(user_agent: str) -> bool:
    """True unless `user_agent` is a browser's: every browser's begins "Mozilla/", no HTTP library's does."""
    return judge_user_agent(user_agent[:JUDGED_CHARACTERS])


@lru_cache(maxsize=4096)
def judge_user_agent(user_agent: str) -> bool:
    # The list is fixed for the installed version, so a verdict is cached per User-Agent: judging a new one
    # costs about 0.1-0.3 ms, a cached one well under a microsecond; readers share a few hundred strings.
    return not user_agent.startswith("Mozilla/") or CRAWLERS.is_crawler(user_agent)


def address_group(address: str) -> str:
    """What the per-address limit counts by: an IPv4 address, or an IPv6 address's /64."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "unknown"  # no address at all: every such request shares one allowance
    if ip.version == 6 and ip.ipv4_mapped:
        return str(ip.ipv4_mapped)
    if ip.version == 6:
        return str(ipaddress.IPv6Address(int(ip) >> 64 << 64))
    return str(ip)


# How many of the finished hours' best stories the hourly roll-up keeps (far more than are shown, so stories
# unpublished since, and stories rising in the current hour, never leave too few).
ROLLUP_SIZE = 200


class Backend(ABC):
    """Ranking shared by both backends: the window's finished hours, rolled up once an hour into the cache,
    plus the current hour's counts, read fresh. Summing the whole window costs ~0.5 s at a million views; the
    current hour alone a few milliseconds. The result is exact, as if the whole window were summed (tests
    compare it with `full_ranking`).
    """

    name = ""

    def record_once(self, reader: str, allowance: str, article_id: int, hour: int) -> bool:
        """Count one view unless `reader` was counted in the last TRENDING_DEDUP_SECONDS or the `allowance`
        (an address's key for this window) is spent; True if counted. Marks and allowances live in the
        shared cache, so every worker and server sees the same."""
        seen = f"trending:seen:{reader}"
        if not cache.add(seen, 1, settings.TRENDING_DEDUP_SECONDS):
            return False
        if not within_allowance(f"trending:{allowance}"):
            cache.delete(seen)  # not counted, so not a duplicate later either
            return False
        self.record(article_id, hour)
        return True

    @abstractmethod
    def full_ranking(self, n: int, since: int, until: int) -> Ranking:
        """Up to n published (id, score, views) over hours since..until, weighted hour - since + 1."""

    @abstractmethod
    def hour_counts(self, hour: int, ids: list[int]) -> dict[int, int]:
        """Views in one hour of the given stories."""

    @abstractmethod
    def hour_leaders(self, hour: int, at_least: int) -> dict[int, int]:
        """Views in one hour of every story read at least `at_least` times in it."""

    @abstractmethod
    def scores_for(self, ids: list[int], since: int, until: int) -> dict[int, tuple[int, int]]:
        """(score, views) over hours since..until for a few stories."""

    def rollup(self, since: int, until: int) -> Ranking:
        key = f"trending:rollup:{self.name}:{since}:{until}:{ROLLUP_SIZE}"
        rolled = cache.get(key)
        if rolled is None:
            rolled = self.full_ranking(ROLLUP_SIZE, since, until)
            cache.set(key, rolled, 2 * 3600)
        return rolled

    def ranking(self, n: int, window: int, current: int) -> Ranking:
        since = current - window + 1
        past = self.rollup(since, current - 1)
        # A story missing from the roll-up scored at most `floor` in the finished hours (0: none is missing).
        floor = past[-1][1] if len(past) >= ROLLUP_SIZE else 0
        live = set(published_among([pk for pk, _score, _views in past]))
        now = self.hour_counts(current, list(live))
        ranked = sorted(
            (
                (pk, score + window * now.get(pk, 0), views + now.get(pk, 0))
                for pk, score, views in past
                if pk in live
            ),
            key=rank_order,
        )
        bar = ranked[n - 1][1] if len(ranked) >= n else 0
        if floor and bar <= floor:
            return self.full_ranking(n, since, current)  # too few certain winners: sum the whole window
        # Stories outside the roll-up that this hour's views could still lift into the top n.
        at_least = max(1, -(-(bar - floor) // window))
        in_rollup = {pk for pk, _score, _views in past}
        rising = {
            pk: views for pk, views in self.hour_leaders(current, at_least).items() if pk not in in_rollup
        }
        contenders = published_among(list(rising))
        known = self.scores_for(contenders, since, current - 1) if floor else {}
        for pk in contenders:
            score, views = known.get(pk, (0, 0))
            ranked.append((pk, score + window * rising[pk], views + rising[pk]))
        ranked.sort(key=rank_order)
        return ranked[:n]


def within_allowance(key: str) -> bool:
    """Take one view from the allowance at `key` (a cache counter expiring with its window)."""
    cache.add(key, 0, settings.TRENDING_ADDRESS_SECONDS)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between the two calls: a new window
        cache.add(key, 1, settings.TRENDING_ADDRESS_SECONDS)
        used = 1
    return used <= settings.TRENDING_ADDRESS_VIEWS


def rank_order(row: tuple[int, int, int]) -> tuple[int, int]:
    return (-row[1], -row[0])


def published_among(ids: list[int]) -> list[int]:
    if not ids:
        return []
    return list(Article.objects.published().filter(pk__in=ids).values_list("pk", flat=True))


class DatabaseBackend(Backend):
    """Counts in HourlyViews rows: one row per story per hour."""

    name = "database"

    def record(self, article_id: int, hour: int, count: int = 1) -> None:
        rows = HourlyViews.objects.filter(article_id=article_id, hour=hour)
        if rows.update(views=F("views") + count):
            return
        try:
            with transaction.atomic():
                HourlyViews.objects.create(article_id=article_id, hour=hour, views=count)
        except IntegrityError:  # another request created the row first
            rows.update(views=F("views") + count)

    def full_ranking(self, n: int, since: int, until: int) -> Ranking:
        published_ids = Article.objects.published().values("pk")
        rows = (
            HourlyViews.objects.filter(hour__gte=since, hour__lte=until, article_id__in=published_ids)
            .values("article_id")
            .annotate(score=Sum(F("views") * (F("hour") - since + 1)), total=Sum("views"))
            .order_by("-score", "-article_id")[:n]
        )
        return [(row["article_id"], row["score"], row["total"]) for row in rows]

    def hour_counts(self, hour: int, ids: list[int]) -> dict[int, int]:
        if not ids:
            return {}
        rows = HourlyViews.objects.filter(hour=hour, article_id__in=ids).values_list("article_id", "views")
        return dict(rows)

    def hour_leaders(self, hour: int, at_least: int) -> dict[int, int]:
        rows = HourlyViews.objects.filter(hour=hour, views__gte=at_least).values_list("article_id", "views")
        return dict(rows)

    def scores_for(self, ids: list[int], since: int, until: int) -> dict[int, tuple[int, int]]:
        if not ids:
            return {}
        rows = (
            HourlyViews.objects.filter(article_id__in=ids, hour__gte=since, hour__lte=until)
            .values("article_id")
            .annotate(score=Sum(F("views") * (F("hour") - since + 1)), total=Sum("views"))
        )
        return {row["article_id"]: (row["score"], row["total"]) for row in rows}

    def prune(self, keep_hours: int) -> int:
        deleted, _ = HourlyViews.objects.filter(hour__lt=hour_of() - keep_hours).delete()
        return deleted


# A reader's view, counted unless already marked or the address's allowance is spent. KEYS: the reader's
# mark, this hour's sorted set, the address's counter for this window; ARGV: the seconds a mark lasts, the
# story's id, when the hour's set expires, the views an address may have counted in a window, the window's
# length in seconds. A duplicate takes nothing from the allowance; a view over it leaves no mark.
COUNT_ONCE = """
if redis.call("EXISTS", KEYS[1]) == 1 then
  return 0
end
local used = redis.call("INCR", KEYS[3])
if used == 1 then
  redis.call("EXPIRE", KEYS[3], ARGV[5])
end
if used > tonumber(ARGV[4]) then
  return 0
end
redis.call("SET", KEYS[1], 1, "EX", ARGV[1])
redis.call("ZINCRBY", KEYS[2], 1, ARGV[2])
redis.call("EXPIREAT", KEYS[2], ARGV[3])
return 1
"""


class RedisBackend(Backend):
    """Counts in Redis: a sorted set per hour (story id -> views) that expires after the window.

    A reader's view is one round trip: a Lua script marks the reader (SET NX EX, for deduplication) and, if
    the mark is new, adds the view (ZINCRBY + EXPIREAT). The roll-up is one weighted ZUNIONSTORE over the
    finished hours; the best ids then go through Article.objects.published(), so drafts and scheduled stories
    never trend.
    While Redis is unavailable, views are dropped and the database backend's ranking is used instead.
    """

    def __init__(self, url: str, prefix: str = "newsroom:trending"):
        import redis  # only needed when this backend is chosen

        self.errors = (redis.RedisError,)
        self.client = redis.Redis.from_url(
            url, socket_connect_timeout=0.5, socket_timeout=0.5, health_check_interval=30
        )
        self.prefix = prefix
        self.name = f"redis:{prefix}"
        self.count_once = self.client.register_script(COUNT_ONCE)

    def key(self, hour: int) -> str:
        return f"{self.prefix}:h:{hour}"

    def expire_at(self, hour: int) -> int:
        """Keep an hour as long as it can be inside the window, plus an hour's grace."""
        return (hour + settings.TRENDING_WINDOW_HOURS + 1) * 3600

    def record_once(self, reader: str, allowance: str, article_id: int, hour: int) -> bool:
        """One round trip to Redis: the reader's mark, the address's allowance and the count go together, or
        none of them (a Lua script)."""
        if redis_breaker.is_open():
            return False
        keys = [f"{self.prefix}:seen:{reader}", self.key(hour), f"{self.prefix}:{allowance}"]
        args = [
            settings.TRENDING_DEDUP_SECONDS,
            article_id,
            self.expire_at(hour),
            settings.TRENDING_ADDRESS_VIEWS,
            settings.TRENDING_ADDRESS_SECONDS,
        ]
        try:
            counted = self.count_once(keys=keys, args=args)
        except self.errors as error:
            redis_breaker.failed(error)
            return False
        redis_breaker.succeeded()
        return bool(counted)

    def record(self, article_id: int, hour: int, count: int = 1) -> None:
        if redis_breaker.is_open():
            return
        expire_at = self.expire_at(hour)
        try:
            pipe = self.client.pipeline(transaction=False)
            pipe.zincrby(self.key(hour), count, article_id)
            pipe.expireat(self.key(hour), expire_at)
            pipe.execute()
        except self.errors as error:
            redis_breaker.failed(error)
            return
        redis_breaker.succeeded()

    def ranking(self, n: int, window: int, current: int) -> Ranking:
        if redis_breaker.is_open():
            return DatabaseBackend().ranking(n, window, current)
        try:
            ranked = super().ranking(n, window, current)
        except self.errors as error:
            redis_breaker.failed(error)
            return DatabaseBackend().ranking(n, window, current)
        redis_breaker.succeeded()
        return ranked

    def full_ranking(self, n: int, since: int, until: int) -> Ranking:
        hours = range(since, until + 1)
        union = f"{self.prefix}:rank:{since}:{until}"
        pipe = self.client.pipeline(transaction=False)
        pipe.zunionstore(union, {self.key(hour): hour - since + 1 for hour in hours})
        pipe.expire(union, 10)
        pipe.execute()
        want = n + 10  # a few spare, since some of the best may be unpublished
        while True:
            rows = self.client.zrevrange(union, 0, want - 1, withscores=True)
            complete = len(rows) < want
            if not complete:  # everything tied with the last row too, so ties break by id as in the database
                rows = self.client.zrevrangebyscore(union, "+inf", rows[-1][1], withscores=True)
            scores = {int(member): int(score) for member, score in rows}
            ranked = sorted(((pk, scores[pk], 0) for pk in published_among(list(scores))), key=rank_order)
            if len(ranked) >= n or complete:
                ranked = ranked[:n]
                views = self.scores_for([pk for pk, _score, _views in ranked], since, until)
                return [(pk, score, views[pk][1]) for pk, score, _views in ranked]
            want *= 4

    def hour_counts(self, hour: int, ids: list[int]) -> dict[int, int]:
        if not ids:
            return {}
        counts = self.client.zmscore(self.key(hour), ids)
        return {pk: int(count) for pk, count in zip(ids, counts, strict=True) if count}

    def hour_leaders(self, hour: int, at_least: int) -> dict[int, int]:
        rows = self.client.zrangebyscore(self.key(hour), at_least, "+inf", withscores=True)
        return {int(pk): int(views) for pk, views in rows}

    def scores_for(self, ids: list[int], since: int, until: int) -> dict[int, tuple[int, int]]:
        if not ids:
            return {}
        pipe = self.client.pipeline(transaction=False)
        for hour in range(since, until + 1):
            pipe.zmscore(self.key(hour), ids)
        scores, views = [0] * len(ids), [0] * len(ids)
        for weight, counts in enumerate(pipe.execute(), start=1):
            for i, count in enumerate(counts or ()):
                scores[i] += weight * int(count or 0)
                views[i] += int(count or 0)
        return {pk: (scores[i], views[i]) for i, pk in enumerate(ids)}

    def prune(self, keep_hours: int) -> int:
        return 0  # hourly sets expire by themselves


_backends: dict[tuple[str, str], DatabaseBackend | RedisBackend] = {}


def backend() -> DatabaseBackend | RedisBackend:
    """The configured backend, one per process (its Redis client keeps a connection pool)."""
    name = settings.TRENDING_BACKEND
    key = (name, settings.REDIS_URL if name == "redis" else "")
    if key not in _backends:
        _backends[key] = RedisBackend(settings.REDIS_URL) if name == "redis" else DatabaseBackend()
    return _backends[key]


def count_view(article_id: int, *, address: str, user_agent: str, at: datetime | None = None) -> bool:
    """Count a reader's view unless it is a bot, the same reader saw the story in the last half hour, or the
    reader's address has had its TRENDING_ADDRESS_VIEWS counted in this window. `address` is the client's,
    as articles.clients.client_address reads it through the trusted proxies."""
    if is_bot(user_agent):
        return False
    # Readers behind one office or university address differ by browser, so the User-Agent is part of who
    # a reader is; a client rotating it gets no further than its address's allowance.
    reader = hashlib.blake2b(f"{address}|{user_agent}|{article_id}".encode(), digest_size=16).hexdigest()
    seconds = at.timestamp() if at is not None else time.time()
    window = int(seconds // settings.TRENDING_ADDRESS_SECONDS)
    allowance = f"limit:{address_group(address)}:{window}"
    return backend().record_once(reader, allowance, article_id, hour_of(at))


def record_view(article_id: int, at: datetime | None = None, count: int = 1) -> None:
    """Add `count` views to the story's counter for the hour of `at` (now by default)."""
    backend().record(article_id, hour_of(at), count)


def ranking(n: int, window_hours: int | None = None, now: datetime | None = None) -> Ranking:
    """Return up to n (article_id, score, views) of published stories, best first.

    A view counts more the more recent its hour: weight 1 for the oldest hour of the window, up to
    `window_hours` for the current one.
    """
    window = window_hours or settings.TRENDING_WINDOW_HOURS
    return backend().ranking(n, window, hour_of(now))


def compute(n: int) -> list[dict]:
    """The trending list as plain dicts; topped up with the latest stories when views are few."""
    ranked = ranking(n)
    views = {article_id: total for article_id, _score, total in ranked}
    order = [article_id for article_id, _score, _total in ranked]
    articles = {a.pk: a for a in Article.objects.published().select_related("section").filter(pk__in=order)}
    items = [articles[pk] for pk in order if pk in articles]
    if len(items) < n:
        seen = set(articles)
        latest = Article.objects.published().select_related("section").latest().exclude(pk__in=seen)
        items += list(latest[: n - len(items)])
    return [
        {
            "id": a.pk,
            "headline": a.headline,
            "url": a.get_absolute_url(),
            "section": a.section.name,
            "views": views.get(a.pk, 0),
        }
        for a in items
    ]


def top(n: int | None = None) -> list[dict]:
    """The Trending Now list, reused for TRENDING_CACHE_SECONDS unless one of its stories changes first (a
    story published meanwhile may join it when that time is up)."""
    n = n or settings.TRENDING_SIZE

    def make():
        items = compute(n)
        freshness.depends_on(*(f"s{item['id']}" for item in items))
        return items

    return freshness.fragment(("trending", n), make, seconds=settings.TRENDING_CACHE_SECONDS, shared=True)


def prune(keep_hours: int = 24 * 8) -> int:
    """Delete hourly counters older than `keep_hours`; return how many went."""
    return backend().prune(keep_hours)


def sidebar() -> str:
    """The Trending Now list's HTML, at the top of the right column (a hole in cached pages, with a lifetime
    of its own: articles/templatetags/look.py)."""
    return get_template("includes/trending.html").render({"trending": top()})
