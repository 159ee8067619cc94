"""Purging the HTTP cache in front by key: Varnish (xkey), Fastly (Surrogate-Key), Cloudflare (Cache-Tag).

The backend is chosen by HTTP_CACHE_PURGE: "" (none), "varnish", "fastly" or "cloudflare"; a failed purge is
logged, never raised into the editor's save. `freshness.changed()` calls `after_commit(keys)`.
"""

import json
import logging
import threading
import urllib.request
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction

log = logging.getLogger(__name__)


def headers(keys: Iterable[str]) -> dict[str, str]:
    """`keys` as Varnish's xkey, Fastly's Surrogate-Key and Cloudflare's Cache-Tag, with `all` (every page
    carries it, so that `changed_everything()` purges everything). A kept page keeps these with it."""
    keys = sorted({*keys, "all"})
    spaced = " ".join(keys)
    return {"xkey": spaced, "Surrogate-Key": spaced, "Cache-Tag": ",".join(keys)}


def set_headers(response, keys: Iterable[str]) -> None:
    for name, value in headers(keys).items():
        response[name] = value


def after_commit(keys: Iterable[str]) -> None:
    """Purge `keys` once the current transaction commits (at once outside one)."""
    keys = set(keys)
    if keys and settings.HTTP_CACHE_PURGE:
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
