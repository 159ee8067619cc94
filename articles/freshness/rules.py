"""Whether readers see a story: the one rule, shared by published() callers, Article.save() and freshness.

Imports nothing of the models, so that models.py may use it.
"""

from articles.freshness.clock import clock


def public(status, published_at, embargo_until, now) -> bool:
    """The instance's view of `Article.objects.published()`."""
    return (
        status == "published"
        and published_at is not None
        and published_at <= now
        and (embargo_until is None or embargo_until <= now)
    )


def was_public(article) -> bool:
    """Whether `article` was public as last loaded or saved (Article keeps that state in `_loaded`)."""
    loaded = getattr(article, "_loaded", None)
    if not loaded:
        return False
    return public(loaded["status"], loaded["published_at"], loaded.get("embargo_until"), clock.now())


def is_public(article) -> bool:
    return public(article.status, article.published_at, article.embargo_until, clock.now())


def ever_published(article) -> bool:
    """Published now or as loaded, even if scheduled or embargoed: its go-live moment matters to readers."""
    before = (getattr(article, "_loaded", None) or {}).get("status")
    return "published" in (article.status, before)


def moves_schedule(article, *, deleted=False) -> bool:
    """Whether a save may move a go-live moment: a new or deleted story, or another status or time."""
    loaded = getattr(article, "_loaded", None)
    if deleted or not loaded:
        return True
    return any(
        loaded.get(name) != getattr(article, name) for name in ("status", "published_at", "embargo_until")
    )
