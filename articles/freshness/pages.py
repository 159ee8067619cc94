"""Whole public pages in the cache: validators for browsers, lifetimes and surrogate keys for shared caches.

A page is kept (default cache, shared by every worker, and this worker's local cache) with the keys it
shows and when its rendering started; it is served while none of those keys changed since. A worker
trusts a page it checked for CONTENT_VERSION_POLL_SECONDS unless it changed something itself meanwhile, so
a cached page usually costs no network trip; a change saved on another app server shows within that time.

Parts that change on their own schedule, not with the content (Trending Now), are holes: the kept page
holds a marker, filled at every answer from a fragment with its own short lifetime. Behind Varnish (which
says so in `Surrogate-Capability`) the marker becomes an ESI include instead, fetched and kept apart.

Staff who logged in (a session cookie naming a live session of an active staff user) bypass the cache both
ways and are marked uncacheable. Anyone else, with a made-up cookie too, is served the cached page: a reader
sends no session cookie and so never loads the session, which keeps readers' pages free of `Vary: Cookie`.

A page is keyed on its address with only the query parameters it reads (`page`, `q`...), in a fixed order;
the view sees only those too, so `?utm_source=...` shares the plain page's entry. Public pages are
read-only: OPTIONS is answered without rendering, any method but GET, HEAD and OPTIONS is refused with 405.
"""

import hashlib
import math
import os
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, HttpResponseNotFound, QueryDict
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, get_conditional_response, patch_cache_control
from django.utils.http import http_date, urlencode
from django.utils.safestring import mark_safe
from django.views.defaults import page_not_found

from articles.freshness import changes, purge
from articles.freshness import keys as keynames
from articles.freshness.clock import clock

# Public pages are read-only: OPTIONS answers with these, anything else (TRACE, POST...) gets 405.
PAGE_METHODS = ("GET", "HEAD", "OPTIONS")

# Holes: name -> make. `make()` returns the part's HTML; it is kept as a fragment for its own lifetime.
HOLES: dict = {}


def register_hole(name: str, make) -> None:
    """Declare a part of pages with a lifetime of its own (TRENDING_CACHE_SECONDS); /fragments/<name>/."""
    HOLES[name] = make


def hole(name: str):
    """The part `name` of a page: a marker while a cached page is rendered, else its HTML."""
    render = changes.current()
    if render is not None and render.holes:
        return mark_safe(marker(name))
    return mark_safe(hole_part(name)["html"])


def marker(name: str) -> str:
    return f"<!--hole:{name}-->"


def hole_part(name: str, changed_here: float | None = None) -> dict:
    """The hole's HTML, keys and when it was made, kept in this worker for TRENDING_CACHE_SECONDS at most.

    Checked against its keys like a page: trusted for CONTENT_VERSION_POLL_SECONDS after a check unless this
    process changed something since (`changed_here`), so a cached page still costs no network trip.
    """
    now, local = clock.time(), changes.local()
    if changed_here is None:
        changed_here = local.get(changes.CHANGED_HERE, 0.0)
    part = live_part(local.get(HOLE.format(name)), now)
    if part is not None and trusted(part, now, changed_here):
        return part
    if part is not None and changes.fresh(part["keys"], part["started"]):
        return keep_part(name, {**part, "checked_at": now})
    return make_part(name, now)


HOLE = "hole:{}"  # a hole's part, in the local alias


def live_part(part: dict | None, now: float) -> dict | None:
    """`part` unless its own lifetime (TRENDING_CACHE_SECONDS) is over."""
    if part is None or now >= part["started"] + settings.TRENDING_CACHE_SECONDS:
        return None
    return part


def keep_part(name: str, part: dict) -> dict:
    changes.local().set(HOLE.format(name), part, settings.TRENDING_CACHE_SECONDS)
    return part


def make_part(name: str, now: float) -> dict:
    with changes.recording() as render:  # its keys are the hole's, not the page's
        html = HOLES[name]()
    part = {"html": html, "keys": frozenset(render.keys), "started": render.started, "checked_at": now}
    part["id"] = os.urandom(6).hex()  # which making of the part a page was answered with (see `answer`)
    return keep_part(name, part)


def trusted(entry: dict, now: float, changed_here: float) -> bool:
    """Checked against its keys less than CONTENT_VERSION_POLL_SECONDS ago, and this process changed
    nothing since: used without asking Redis."""
    checked = entry["checked_at"]
    return checked > changed_here and now < checked + settings.CONTENT_VERSION_POLL_SECONDS


def page_key(request) -> str:
    """The cache key of `request`'s page; call `keep_query` first so that ignored parameters are gone.

    The address as `build_absolute_uri()` gives it, less its escaping and checks (a cached hit pays for this).
    """
    query = request.META.get("QUERY_STRING", "")
    address = f"{request.scheme}://{request.get_host()}{request.path}{'?' if query else ''}{query}"
    return f"page:{hashlib.md5(address.encode(), usedforsecurity=False).hexdigest()}"


def keep_query(request, names: tuple[str, ...]) -> None:
    """Drop every query parameter but `names` (last value each, sorted): the view renders what the key says.

    Rewriting the request rather than only the key keeps a page rendered for `?page=2&utm_source=x` free of
    `utm_source` (in its canonical link, say) before it is served to everyone asking for `?page=2`.
    """
    if not request.META.get("QUERY_STRING"):
        return
    query = urlencode([(name, request.GET[name]) for name in sorted(names) if name in request.GET])
    request.GET = QueryDict(query)
    request.META["QUERY_STRING"] = query


def is_staff_request(request) -> bool:
    """Whether the request comes from an active staff user's live session (not just any session cookie).

    A reader sends no session cookie and costs nothing here. Only with the cookie is the session loaded
    (`request.user`: Django checks the session exists and has not expired, the user is active, and the
    password has not changed since): a made-up cookie costs one lookup of the session by its key, then is
    served the cached page like a reader.
    """
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_active and user.is_staff)


def entry_for(response) -> dict | None:
    """What the cache keeps of a response, or None when it must not be shared."""
    if response.status_code != 200 or response.streaming or response.cookies or response.has_header("Vary"):
        return None
    if hasattr(response, "render"):
        response.render()
    return {
        "content": response.content,
        "content_type": response["Content-Type"],
        "etag": hashlib.md5(response.content, usedforsecurity=False).hexdigest(),
        "rendered_at": int(clock.time()),
        "holes": [name for name in HOLES if marker(name).encode() in response.content],
        "csp": getattr(response, "_csp_config", None),  # a page's own policy (one with embeds: frame-src)
    }


def view_or_404(view, request, *args, **kwargs):
    """The view's response, or the site's 404 page for Http404 (so that its headers can be set here)."""
    try:
        return view(request, *args, **kwargs)
    except Http404 as exception:
        return page_not_found(request, exception)


def with_short_lifetime(response):
    """404, 410 and redirects of public pages: browsers ask again every time, shared caches keep them briefly.

    Without a lifetime, Chromium kept a 410 after the story was published again and a 301 after a new story
    took the old address (heuristic freshness; permanent redirects are kept until told otherwise).
    """
    if response.status_code != 200 and not response.has_header("Cache-Control"):
        patch_cache_control(response, public=True, max_age=0, s_maxage=settings.PAGE_ERROR_SHARED_MAX_AGE)
    return response


def shared_max_age(due: float | None, now: float) -> int:
    """How long shared caches may keep a page: PAGE_SHARED_MAX_AGE, or with purging on a longer
    PAGE_PURGED_SHARED_MAX_AGE, cut short to the next moment something changes by itself (no save happens
    then, so nothing is purged: the cache must drop the pages by itself)."""
    if not settings.HTTP_CACHE_PURGE:
        return settings.PAGE_SHARED_MAX_AGE
    age = settings.PAGE_PURGED_SHARED_MAX_AGE
    if due:
        age = min(age, max(1, math.ceil(due - now)))
    return age


def kept_page(key: str, now: float) -> tuple[dict | None, dict, float | None, float]:
    """The page kept under `key` if it is still fresh, its holes' parts that are (name -> part or None), the
    next moment something changes by itself, and when this process last changed something.

    One read of this worker's local cache; at most one round trip to Redis for the change times of the page's
    and its holes' keys (and the next moment) together, plus one for the page if this worker does not have
    it. Within CONTENT_VERSION_POLL_SECONDS of the last check, none.
    """
    local = changes.local()
    hole_keys = {name: HOLE.format(name) for name in HOLES}
    found = local.get_many([key, changes.CHANGED_HERE, changes.DUE, *hole_keys.values()])
    changed_here, due_state = found.get(changes.CHANGED_HERE, 0.0), found.get(changes.DUE)
    entry, shared_entry = found.get(key), False
    if entry is None:
        entry, shared_entry = cache.get(key), True
    if entry is not None and now >= entry["started"] + settings.PAGE_CACHE_SECONDS:
        entry = None
    parts = {}
    if entry is not None:
        parts = {name: live_part(found.get(hole_keys[name]), now) for name in entry["holes"]}

    def unchecked(changed_here: float) -> list[tuple[str, dict]]:
        found = [(name, p) for name, p in parts.items() if p and not trusted(p, now, changed_here)]
        if entry is not None and (shared_entry or not trusted(entry, now, changed_here)):
            found.append(("page", entry))
        return found

    to_check, known, shared_due = unchecked(changed_here), {}, changes.NOT_READ
    if to_check:
        also = {changes.DUE: None} if due_state is None else None
        known = changes.tokens(key_names(to_check), also)
        shared_due = also[changes.DUE] if also else shared_due
    due, came = changes.next_due(now, due_state, shared_due)
    if came:  # this process just made the changes of a moment that came: check again what they touch
        changed_here = local.get(changes.CHANGED_HERE, 0.0)
        to_check = unchecked(changed_here)
        known = changes.tokens(key_names(to_check)) if to_check else {}
    for name, kept in to_check:
        fresh = all(known[k] < kept["started"] for k in (*keys_of(kept), keynames.EVERYTHING))
        if name != "page":
            parts[name] = keep_part(name, {**kept, "checked_at": now}) if fresh else None
        elif not fresh:
            entry = None
        elif shared_entry:
            entry = keep_locally(key, entry, now)
        else:
            entry = {**entry, "checked_at": now}
            local.set(key, entry, settings.PAGE_CACHE_SECONDS)
    return entry, parts, due, changed_here


RAW = "{}:raw"  # in the local alias: a kept page's HTML as rendered, its holes as markers


def keep_locally(key: str, entry: dict, checked_at: float) -> dict:
    """This worker's copy of the shared `entry`, checked at `checked_at`: its HTML apart (read only to fill
    its holes again), its keys as one string (a hundred keys load faster so than as a set)."""
    copy = {name: value for name, value in entry.items() if name != "content"}
    copy.update(keys=" ".join(sorted(entry["keys"])), checked_at=checked_at)
    changes.local().set_many({key: copy, RAW.format(key): entry["content"]}, settings.PAGE_CACHE_SECONDS)
    return copy


def keys_of(kept: dict):
    """The keys of a page (this worker's copy holds them as one string) or of a hole's part."""
    keys = kept["keys"]
    return keys.split() if isinstance(keys, str) else keys


def key_names(entries) -> set[str]:
    return {keynames.EVERYTHING}.union(*(keys_of(entry) for _, entry in entries))


def via_esi(request) -> bool:
    """Whether an edge cache that fills ESI includes asks (Varnish, see newsroom/varnish.vcl)."""
    return settings.HTTP_CACHE_PURGE == "varnish" and "ESI/1.0" in request.headers.get(
        "Surrogate-Capability", ""
    )


def answer(request, key: str, entry: dict, parts: dict, due: float | None, now: float, raw=None):
    """The kept page, its holes filled (or left to the edge as ESI includes), with validators and headers;
    None if the page's HTML is gone from this worker and from Redis meanwhile (render it again).

    What does not change from one answer to the next (the filled page, its ETag, Last-Modified and surrogate
    keys) is worked out once per version of the page and of its holes, and kept with the page in this worker's
    local cache: a cached hit then costs about what a bare Django view does.
    """
    esi = bool(entry["holes"]) and via_esi(request)
    if not esi:
        for name in entry["holes"]:
            if parts.get(name) is None:
                parts[name] = make_part(name, now)
    made = ("esi",) if esi else tuple(parts[name]["id"] for name in entry["holes"])
    ready = entry.get("answer")
    if ready is None or ready["made"] != made:
        raw = raw or changes.local().get(RAW.format(key))
        if raw is None:  # evicted here (MAX_ENTRIES): Redis's copy, if it is the same rendering
            shared = cache.get(key)
            if shared is None or shared["started"] != entry["started"]:
                return None
            raw = shared["content"]
            changes.local().set(RAW.format(key), raw, settings.PAGE_CACHE_SECONDS)
        ready = ready_answer(entry, raw, parts, esi, made)
        changes.local().set(key, {**entry, "answer": ready}, settings.PAGE_CACHE_SECONDS)
    response = HttpResponse(ready["content"], content_type=entry["content_type"])
    if entry.get("csp"):
        response._csp_config = entry["csp"]
    for name, value in ready["headers"].items():
        response[name] = value
    response["Cache-Control"] = cache_control(shared_max_age(due, now))
    if not esi:
        response = get_conditional_response(
            request, etag=ready["etag"], last_modified=ready["last_modified"], response=response
        )
    response.own_headers = dict(response.items())  # what the middleware adds is the rest (see below)
    return response


def ready_answer(entry: dict, content: bytes, parts: dict, esi: bool, made: tuple) -> dict:
    """The page (`content`, as rendered) as answered with these holes' parts: content, validators and
    surrogate keys."""
    etag, keys = entry["etag"], set(keys_of(entry))
    last_modified = entry["rendered_at"]
    for name in entry["holes"]:
        if esi:
            include = f'<esi:include src="{reverse("hole", args=[name])}"/>'
            content = content.replace(marker(name).encode(), include.encode())
            continue
        part = parts[name]
        content = content.replace(marker(name).encode(), part["html"].encode())
        keys |= part["keys"]
        last_modified = max(last_modified, int(part["started"]))
        etag += hashlib.md5(part["html"].encode(), usedforsecurity=False).hexdigest()[:12]
    headers = purge.headers(keys)
    if esi:
        # The page Varnish assembles changes with its include: no validators of the page alone.
        headers["Surrogate-Control"] = 'content="ESI/1.0"'
        return {"made": made, "content": content, "headers": headers, "etag": None, "last_modified": None}
    etag = f'"{etag}"'
    headers.update({"ETag": etag, "Last-Modified": http_date(last_modified)})
    return {
        "made": made,
        "content": content,
        "headers": headers,
        "etag": etag,
        "last_modified": last_modified,
    }


def cache_control(shared_age: int) -> str:
    """Cache-Control of a public page, as `patch_cache_control(public=True, max_age=..., s_maxage=...)`."""
    return f"public, max-age={settings.PAGE_MAX_AGE}, s-maxage={shared_age}"


def fill_holes(response):
    """An error page rendered with hole markers: filled, since it is not kept."""
    if response.streaming or not any(marker(name).encode() in response.content for name in HOLES):
        return
    content = response.content
    for name in HOLES:
        content = content.replace(marker(name).encode(), hole_part(name)["html"].encode())
    response.content = content


def public_page(view, query: tuple[str, ...] = ()):
    """Serve a public page from the cache with ETag, Last-Modified and Cache-Control; never for staff.

    `query` names the query parameters the view reads (e.g. `("page",)`): the only ones it sees and the only
    ones in its cache key.
    """

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        if request.method == "OPTIONS":
            response = HttpResponse()
            response["Allow"] = ", ".join(PAGE_METHODS)
            return response
        if request.method not in PAGE_METHODS:
            return HttpResponseNotAllowed(PAGE_METHODS)
        keep_query(request, query)
        if is_staff_request(request):
            response = view(request, *args, **kwargs)
            add_never_cache_headers(response)
            return response
        key, now = page_key(request), clock.time()
        entry, parts, due, changed_here = kept_page(key, now)
        if entry is not None:
            response = answer(request, key, entry, parts, due, now)
            if response is not None:
                response.kept_version = (key, entry["started"])  # for KeptPageMiddleware, outside
                return response
        with changes.recording(holes=True) as render:
            response = view_or_404(view, request, *args, **kwargs)
            entry = entry_for(response)  # TemplateResponses render here: keys are added until then
        if entry is None:
            if hasattr(response, "render"):
                response.render()
            fill_holes(response)
            # A 404, 410 or redirect may turn into a story when one is published: `list`.
            purge.set_headers(response, render.keys | {"list"})
            return with_short_lifetime(response)
        entry.update(keys=frozenset(render.keys), started=render.started)
        cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
        raw, entry = entry["content"], keep_locally(key, entry, now)
        parts = {name: hole_part(name, changed_here) for name in entry["holes"]}
        return answer(request, key, entry, parts, due, now, raw)

    return cached_view


SEEN = "seen:{}"  # in the local alias: an address as asked -> its page, and the headers the stack adds


def asked_address(request) -> str | None:
    """The address as a reader asked for it (scheme, Host and X-Forwarded-Host as sent, path, query), hashed;
    None for a request the full stack must see: a method that is not GET or HEAD, or a session cookie."""
    meta = request.META
    if request.method not in ("GET", "HEAD") or settings.SESSION_COOKIE_NAME in request.COOKIES:
        return None
    asked = "\n".join(
        (
            request.scheme,
            meta.get("HTTP_HOST", ""),
            meta.get("HTTP_X_FORWARDED_HOST", ""),
            meta.get("PATH_INFO", ""),
            meta.get("QUERY_STRING", ""),
        )
    )
    return SEEN.format(hashlib.md5(asked.encode(), usedforsecurity=False).hexdigest())


class KeptPageMiddleware:
    """First in MIDDLEWARE: a reader's request for a kept page is answered before the rest of the stack runs.

    The rest (host check, redirects to HTTPS or to a slash, security headers, CSP...) ran in full the last
    time this exact address was asked for and served from the cache; what it decides for a reader without a
    session cookie depends on nothing else the request holds, so its headers were noted with the page's
    version and are added again. A first request, a new version of the page, staff (a session cookie), any
    method but GET and HEAD: the full stack. Freshness is unchanged: the page is checked as in `public_page`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        address = asked_address(request)
        if address is None:
            return self.get_response(request)
        local = changes.local()
        seen = local.get(address)
        if seen is not None:
            response = self.kept(request, seen)
            if response is not None:
                return response
        response = self.get_response(request)
        kept = getattr(response, "kept_version", None)
        if kept is not None and response.status_code == 200:
            outer = added_headers(response)
            if outer is not None:
                key, started = kept
                seen = {"key": key, "started": started, "headers": outer}
                local.set(address, seen, settings.PAGE_CACHE_SECONDS)
        return response

    @staticmethod
    def kept(request, seen: dict):
        now = clock.time()
        entry, parts, due, _ = kept_page(seen["key"], now)
        if entry is None or entry["started"] != seen["started"]:
            return None
        response = answer(request, seen["key"], entry, parts, due, now)
        if response is None:
            return None
        for name, value in seen["headers"]:
            response[name] = str(len(response.content)) if name == "Content-Length" else value
        return response


def added_headers(response) -> list[tuple[str, str]] | None:
    """The headers the middleware added to a kept page's answer, or None if it changed the answer's own (or
    set a cookie, or Vary): then that page always goes through the full stack."""
    own = response.own_headers
    if response.cookies or response.has_header("Vary"):
        return None
    if any(response.get(name) != value for name, value in own.items()):
        return None
    return [(name, value) for name, value in response.items() if name not in own]


def hole_view(request, name):
    """A hole's HTML on its own, for an edge cache filling ESI includes; kept there TRENDING_CACHE_SECONDS.

    Anything else is answered in one plain line, not with the site's 404 page: a made-up name or method must
    cost nothing (the 404 page shows the menu, the banner and Trending Now).
    """
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    if name not in HOLES:
        return HttpResponseNotFound("No such fragment.", content_type="text/plain")
    part = hole_part(name)
    response = HttpResponse(part["html"])
    purge.set_headers(response, part["keys"])
    patch_cache_control(response, public=True, max_age=0, s_maxage=settings.TRENDING_CACHE_SECONDS)
    return response
