"""Trending Now: count reader views per story per hour, rank recent views with recency weighting.

The interface is a few functions, so a Redis backend can sit behind it later:
    count_view(article_id, ...)       count a reader's view, deduplicated, bots ignored
    record_view(article_id, at=None)  count one view
    top(n=None)                       the n trending published stories, as plain dicts, cached briefly
    invalidate()                      forget the cached list (a story was published, edited or unpublished)
"""

import hashlib
import re
import time
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F, Sum

from articles.models import Article, HourlyViews

CACHE_KEY = "trending:top:v1"

BOT_PATTERN = re.compile(
    r"bot|crawl|spider|slurp|preview|fetch|monitor|headless|lighthouse|python-requests|curl|wget|httpx|"
    r"facebookexternalhit|embedly|quora link|whatsapp|scrapy",
    re.IGNORECASE,
)


def hour_of(at: datetime | None = None) -> int:
    """Hours since the epoch (UTC) of `at`, or of now."""
    seconds = at.timestamp() if at is not None else time.time()
    return int(seconds // 3600)


def is_bot(user_agent: str) -> bool:
    return not user_agent or bool(BOT_PATTERN.search(user_agent))


def count_view(article_id: int, *, address: str, user_agent: str, at: datetime | None = None) -> bool:
    """Count a reader's view unless it is a bot or the same reader saw the story in the last half hour."""
    if is_bot(user_agent):
        return False
    reader = hashlib.blake2b(f"{address}|{user_agent}|{article_id}".encode(), digest_size=16).hexdigest()
    if not cache.add(f"trending:seen:{reader}", 1, settings.TRENDING_DEDUP_SECONDS):
        return False
    record_view(article_id, at)
    return True


def record_view(article_id: int, at: datetime | None = None) -> None:
    """Add one view to the story's counter for the hour."""
    hour = hour_of(at)
    updated = HourlyViews.objects.filter(article_id=article_id, hour=hour).update(views=F("views") + 1)
    if updated:
        return
    try:
        with transaction.atomic():
            HourlyViews.objects.create(article_id=article_id, hour=hour, views=1)
    except IntegrityError:  # another request created the row first
        HourlyViews.objects.filter(article_id=article_id, hour=hour).update(views=F("views") + 1)


def ranking(
    n: int, window_hours: int | None = None, now: datetime | None = None
) -> list[tuple[int, int, int]]:
    """Return up to n (article_id, score, views) of published stories, best first.

    A view counts more the more recent its hour: weight 1 for the oldest hour of the window, up to
    `window_hours` for the current one (a linear decay, computed in the database).
    """
    window = window_hours or settings.TRENDING_WINDOW_HOURS
    current = hour_of(now)
    since = current - window + 1
    published_ids = Article.objects.published().values("pk")
    rows = (
        HourlyViews.objects.filter(hour__gte=since, hour__lte=current, article_id__in=published_ids)
        .values("article_id")
        .annotate(score=Sum(F("views") * (F("hour") - since + 1)), total=Sum("views"))
        .order_by("-score", "-article_id")[:n]
    )
    return [(row["article_id"], row["score"], row["total"]) for row in rows]


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
    """The Trending Now list, reused for TRENDING_CACHE_SECONDS."""
    n = n or settings.TRENDING_SIZE
    key = f"{CACHE_KEY}:{n}"
    items = cache.get(key)
    if items is None:
        items = compute(n)
        cache.set(key, items, settings.TRENDING_CACHE_SECONDS)
    return items


def invalidate() -> None:
    cache.delete(f"{CACHE_KEY}:{settings.TRENDING_SIZE}")


def prune(keep_hours: int = 24 * 8) -> int:
    """Delete hourly counters older than `keep_hours`; return how many rows went."""
    deleted, _ = HourlyViews.objects.filter(hour__lt=hour_of() - keep_hours).delete()
    return deleted
