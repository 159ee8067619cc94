"""Surrogate keys: what each public page shows, so that an HTTP cache in front can be purged by tag.

Rendering a public page adds keys to a request-scoped set (`add`); `caching.public_page` keeps them with the
cached entry and sends them as `xkey` (Varnish), `Surrogate-Key` (Fastly) and `Cache-Tag` (Cloudflare).

Keys, by what they stand for:
    s<id>       a story's own page and every card, feed item or list entry of it
    sec<id>     a section's name and description (on its page and on cards that name it)
    a<id>       an author's name, bio and photo (on the author page and on bylines)
    t<id>       a tag's name and description
    p<id>       a photo's caption, credit and alt text
    sections    the menu on every HTML page
    list        which stories are public at all: home, latest, feeds, sitemaps, the API list, search, 404s
    list-sec<id>, list-a<id>, list-t<id>    which stories a section, author or tag page lists
    sitemaps    the sitemaps' lastmod dates of stories, sections, authors and tags
    front:<id>  a front's zones and placements (the home page or a section page; articles/fronts.py)
    banner      the breaking-news banner, on every HTML page

A save purges, once its transaction commits, the keys of what readers can see change (`keys_for_change`):
a draft or a story in review purges nothing. The backend is chosen by HTTP_CACHE_PURGE: "" (none),
"varnish", "fastly" or "cloudflare"; a failed purge is logged, never raised into the editor's save.
"""

import json
import logging
import threading
import urllib.request
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

log = logging.getLogger(__name__)
_collected = threading.local()


def start() -> None:
    """Begin collecting a page's keys (called by public_page before rendering)."""
    _collected.keys = set()


def add(*keys: str) -> None:
    """Note that the page being rendered shows what `keys` stand for; outside a public page, nothing."""
    collected = getattr(_collected, "keys", None)
    if collected is not None:
        collected.update(keys)


def finish() -> frozenset[str]:
    """Stop collecting; the page's keys."""
    keys = getattr(_collected, "keys", None) or set()
    _collected.keys = None
    return frozenset(keys)


def story_keys(story) -> set[str]:
    """A story's card or page: the story, its section, its bylines' authors, its lead photo (no query)."""
    keys = {f"s{story.pk}", f"sec{story.section_id}"}
    if story.lead_photo_id:
        keys.add(f"p{story.lead_photo_id}")
    keys.update(f"a{byline.author_id}" for byline in story.bylines.all())
    return keys


def set_headers(response, keys: Iterable[str]) -> None:
    """`keys` as Varnish's xkey, Fastly's Surrogate-Key and Cloudflare's Cache-Tag."""
    keys = sorted(keys)
    if not keys:
        return
    response["xkey"] = response["Surrogate-Key"] = " ".join(keys)
    response["Cache-Tag"] = ",".join(keys)


# What a save purges ----------------------------------------------------------------------------------------


def was_public(article) -> bool:
    """Whether `article` was public as last loaded or saved (Article keeps that state in `_loaded`)."""
    loaded = getattr(article, "_loaded", None)
    if not loaded or loaded["status"] != article.Status.PUBLISHED or not loaded["published_at"]:
        return False
    now = timezone.now()
    embargo = loaded.get("embargo_until")
    return loaded["published_at"] <= now and (embargo is None or embargo <= now)


def membership_keys(article) -> set[str]:
    """Everything that lists `article`: a story appearing or going changes these pages (two queries)."""
    keys = {f"s{article.pk}", "list", "sitemaps", f"list-sec{article.section_id}"}
    keys.update(f"list-t{pk}" for pk in article.tagged_items.values_list("tag_id", flat=True))
    keys.update(f"list-a{pk}" for pk in article.bylines.values_list("author_id", flat=True))
    return keys


def article_keys(article, *, deleted=False) -> set[str]:
    before, now = was_public(article), (not deleted and article.is_published())
    if not before and not now:
        return set()  # a draft, in review, scheduled or embargoed: no reader has seen it
    if deleted:
        keys = getattr(article, "_lists", None) or {f"s{article.pk}", "list", "sitemaps"}
    elif before != now:
        keys = membership_keys(article)
    else:
        keys = {f"s{article.pk}", "sitemaps"}
    old_section = (getattr(article, "_loaded", None) or {}).get("section_id")
    if old_section and old_section != article.section_id:
        keys.update({f"list-sec{old_section}", f"list-sec{article.section_id}"})
    return keys


def child_keys(article_id, *keys: str) -> set[str]:
    """A byline, tagging or correction of a public story: the story and `keys`; of any other, nothing."""
    from articles.models import Article

    if not Article.objects.published().filter(pk=article_id).exists():
        return set()
    return {f"s{article_id}", *keys}


def keys_for_change(sender, instance, *, deleted=False, m2m=None) -> set[str]:
    """The keys to purge after `instance` (of model `sender`) was saved or deleted.

    `m2m` is m2m_changed's arguments when links changed through a manager (taggit's `story.tags.add()`).
    """
    label = sender._meta.label_lower
    if m2m is not None:
        return links_keys(sender, instance, **m2m)
    if label == "articles.article":
        return article_keys(instance, deleted=deleted)
    if label == "articles.section":
        return {f"sec{instance.pk}", "sections", "sitemaps"}
    if label == "articles.author":
        return {f"a{instance.pk}", "sitemaps"}
    if label == "articles.tag":
        return {f"t{instance.pk}", "sitemaps"}
    if label == "articles.photo":
        return {f"p{instance.pk}"}
    if label == "articles.byline":
        return child_keys(instance.article_id, f"list-a{instance.author_id}", f"a{instance.author_id}")
    if label == "articles.taggedarticle":
        return child_keys(instance.content_object_id, f"list-t{instance.tag_id}", f"t{instance.tag_id}")
    if label in ("articles.correction", "articles.oldslug"):
        return child_keys(instance.article_id)
    if label in ("articles.front", "articles.zone", "articles.placement", "articles.banner"):
        from articles import fronts

        return fronts.surrogate_keys(instance)
    return set()


def links_keys(sender, instance, *, reverse=False, pk_set=None, **kwargs) -> set[str]:
    """Tags or authors linked to or unlinked from stories through a manager."""
    prefix = "list-t" if sender._meta.label_lower == "articles.taggedarticle" else "list-a"
    if reverse:  # `instance` is the tag or author, `pk_set` the stories
        return {f"{prefix}{instance.pk}", *(f"s{pk}" for pk in pk_set or ())}
    # A clear() names no tags: the story's own page is purged, its old tags' lists expire by themselves.
    return child_keys(instance.pk, *(f"{prefix}{pk}" for pk in pk_set or ()))


def forget_before_delete(sender, instance, **kwargs) -> None:
    """pre_delete: a public story's lists, read while its tags and bylines still exist."""
    if settings.HTTP_CACHE_PURGE and sender._meta.label_lower == "articles.article" and was_public(instance):
        instance._lists = membership_keys(instance)


def changed(sender, instance, *, deleted=False, m2m=None) -> set[str]:
    """The keys a save changed (none unless HTTP_CACHE_PURGE is set); caching.content_changed purges them."""
    if not settings.HTTP_CACHE_PURGE or instance is None:
        return set()
    return keys_for_change(sender, instance, deleted=deleted, m2m=m2m)


def purge_after_commit(keys: set[str]) -> None:
    """Purge `keys` once the current transaction commits (at once outside one)."""
    if keys:
        transaction.on_commit(lambda: purge(keys))


# Backends --------------------------------------------------------------------------------------------------


def send(request: urllib.request.Request) -> None:
    try:
        with urllib.request.urlopen(request, timeout=settings.HTTP_CACHE_PURGE_TIMEOUT) as response:
            response.read()
    except OSError as error:  # URLError, HTTPError, timeouts, refused connections
        log.warning("Purging %s %s failed: %s", request.get_method(), request.full_url, error)


def purge_varnish(keys: list[str]) -> None:
    """PURGE / with `xkey-purge: k1 k2 ...` to every Varnish in VARNISH_URLS (comma-separated)."""
    for url in filter(None, (u.strip() for u in settings.VARNISH_URLS.split(","))):
        send(
            urllib.request.Request(
                url.rstrip("/") + "/", method="PURGE", headers={"xkey-purge": " ".join(keys)}
            )
        )


def purge_fastly(keys: list[str]) -> None:
    """Fastly's purge by surrogate key: POST /service/<id>/purge, keys space-separated in Surrogate-Key."""
    url = f"{settings.FASTLY_API_URL.rstrip('/')}/service/{settings.FASTLY_SERVICE_ID}/purge"
    headers = {
        "Fastly-Key": settings.FASTLY_API_TOKEN,
        "Surrogate-Key": " ".join(keys),
        "Accept": "application/json",
    }
    send(urllib.request.Request(url, method="POST", headers=headers))


def purge_cloudflare(keys: list[str]) -> None:
    """Cloudflare's purge by cache tag: POST /client/v4/zones/<id>/purge_cache {"tags": [...]}, 30 a call."""
    url = (
        f"{settings.CLOUDFLARE_API_URL.rstrip('/')}/client/v4/zones/{settings.CLOUDFLARE_ZONE_ID}/purge_cache"
    )
    headers = {"Authorization": f"Bearer {settings.CLOUDFLARE_API_TOKEN}", "Content-Type": "application/json"}
    for i in range(0, len(keys), CLOUDFLARE_TAGS_PER_CALL):
        body = json.dumps({"tags": keys[i : i + CLOUDFLARE_TAGS_PER_CALL]}).encode()
        send(urllib.request.Request(url, data=body, method="POST", headers=headers))


CLOUDFLARE_TAGS_PER_CALL = 30  # Cloudflare's limit of tags in one purge request
BACKENDS = {"varnish": purge_varnish, "fastly": purge_fastly, "cloudflare": purge_cloudflare}


def purge(keys: Iterable[str]) -> None:
    """Purge `keys` from the HTTP cache named by HTTP_CACHE_PURGE; again after HTTP_CACHE_PURGE_AGAIN_SECONDS.

    The second purge covers other app servers: each sees a save within CONTENT_VERSION_POLL_SECONDS, and
    one asked for the page in between would hand the cache the old page to keep.
    """
    backend = BACKENDS.get(settings.HTTP_CACHE_PURGE)
    keys = sorted(keys)
    if backend is None or not keys:
        return
    backend(keys)
    again = settings.HTTP_CACHE_PURGE_AGAIN_SECONDS
    if again > 0:
        timer = threading.Timer(again, backend, (keys,))
        timer.daemon = True
        timer.start()
