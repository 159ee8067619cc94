"""Fast public pages: whole responses in Django's cache, validators for browsers, headers for shared caches.

Every cached page is keyed on one global content version. Saving or deleting anything readers see (a
story, section, author, tag, photo, byline, correction...) bumps the version, so every page is rendered
afresh at once; saving a draft or a story in review (nor its bylines, tags or notes) bumps nothing. Entries
of older versions are never read again and expire. The version also remembers when the next scheduled or
embargoed story goes live and moves on by itself then (no save happens at that time). Pages expire after
PAGE_CACHE_SECONDS, which keeps Trending Now fresh.

Every page also names what it shows as surrogate keys (articles/surrogates.py: `xkey`, `Surrogate-Key`,
`Cache-Tag`), kept with the cached entry; with an HTTP cache in front (HTTP_CACHE_PURGE), a save purges just
the keys it changed there, and pages tell it to keep them until the next go-live at the latest.

Staff who logged in (a session cookie naming a live session of an active staff user) bypass the cache both
ways and are marked uncacheable. Anyone else, with a made-up cookie too, is served the cached page: a reader
sends no session cookie and so never loads the session, which keeps readers' pages free of `Vary: Cookie`
(it would make every reader's copy different for shared caches).

A page is keyed on its address with only the query parameters it reads (`page`, `q`...), in a fixed order;
the view sees only those too, so `?utm_source=...` or a random key shares the plain page's entry instead of
rendering a new one per request. Public pages are read-only: OPTIONS is answered without rendering, any
method but GET, HEAD and OPTIONS (TRACE included) is refused with 405.

Each worker process also keeps what it read last in its own memory, so a cached page costs no network round
trip: the content version for CONTENT_VERSION_POLL_SECONDS, and the pages it served (LOCAL_PAGE_ENTRIES, each
until it expires in the shared cache too). A change made in this process is seen here at once, one made in
another process (an editor's save on another app server) within the poll interval.
"""

import hashlib
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Min
from django.db.models.functions import Coalesce, Greatest
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, QueryDict
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, get_conditional_response, patch_cache_control
from django.utils.http import http_date, urlencode
from django.views.defaults import page_not_found

from articles import surrogates
from articles.models import Article, Byline, Correction, Section, TaggedArticle

VERSION_KEY = "pages:version"
WATCHED_APPS = {"articles", "taggit"}
# View counters change with every reader; Trending Now has its own short cache instead.
IGNORED_MODELS = {"articles.hourlyviews"}
# Public pages are read-only: OPTIONS answers with these, anything else (TRACE, POST...) gets 405.
PAGE_METHODS = ("GET", "HEAD", "OPTIONS")
_batch = threading.local()  # inside refresh_once(): saves leave the version alone, their purge keys pile up


def new_version() -> str:
    return str(time.time_ns())


class Local:
    """What this worker process remembers between requests: the version it read last, and pages."""

    def __init__(self):
        self.lock = threading.Lock()
        self.render_locks = [threading.RLock() for _ in range(64)]  # striped: bounded, whatever the URLs
        self.forget()

    def forget(self) -> None:
        self.state, self.read_at = None, 0.0
        self.pages = OrderedDict()
        self.fragments = {}

    def version(self) -> str | None:
        state = self.state
        if state is None or time.monotonic() - self.read_at >= settings.CONTENT_VERSION_POLL_SECONDS:
            return None
        if state["due"] is not None and state["due"] <= time.time():
            return None
        return state["version"]

    def remember(self, state: dict) -> None:
        with self.lock:
            if self.state is None or self.state["version"] != state["version"]:
                self.pages.clear()  # pages and fragments of an older version are never asked for again
                self.fragments = {}
            self.state, self.read_at = state, time.monotonic()

    def page(self, key: str) -> dict | None:
        entry = self.pages.get(key)
        if entry is not None and entry["rendered_at"] + settings.PAGE_CACHE_SECONDS > time.time():
            return entry
        return None

    def rendering(self, key: str) -> threading.RLock:
        """A lock for rendering `key`: a worker's threads asking for one missing page render it once."""
        return self.render_locks[hash(key) % len(self.render_locks)]

    def keep_page(self, key: str, entry: dict) -> None:
        with self.lock:
            self.pages[key] = entry
            while len(self.pages) > settings.LOCAL_PAGE_ENTRIES:
                self.pages.popitem(last=False)


local = Local()


clock = time.monotonic  # what fragments' lifetimes are measured with; tests move it instead of sleeping


def recall(key: tuple):
    """What `keep` stored under `key` in this worker for the current content version, or None."""
    kept = local.fragments.get((content_version(), *key))
    if kept is None or kept[1] <= clock():
        return None
    return kept[0]


def keep(key: tuple, value) -> None:
    """Keep `value` in this worker until the content changes (a story card, the sections): no network trip.

    Everything kept is content, so the version is the whole key: any save makes all of it stale at once,
    as it does pages. A write that sends no signal (a queryset's update(), raw SQL) moves no version, so each
    entry also expires after LOCAL_FRAGMENT_SECONDS; call `bump_version()` after such a write to show it at
    once.
    """
    if len(local.fragments) >= settings.LOCAL_FRAGMENT_ENTRIES:
        local.fragments = {}
    local.fragments[(content_version(), *key)] = (value, clock() + settings.LOCAL_FRAGMENT_SECONDS)


def remembered(key: tuple, make):
    """`make()`, called once per content version in this worker."""
    value = recall(key)
    if value is None:
        value = make()
        keep(key, value)
    return value


def all_sections() -> dict:
    """Every section by id, in menu order: read once per content version in each worker."""
    return remembered(("sections",), lambda: {section.pk: section for section in Section.objects.all()})


def content_version() -> str:
    """The current content version; moves on by itself when a scheduled or embargoed story goes live."""
    version = local.version()
    if version is None:
        state = shared_state()
        local.remember(state)
        version = state["version"]
    return version


def shared_state() -> dict:
    """The version and next go-live time in the shared cache, moved on if that time has come."""
    state = cache.get(VERSION_KEY)
    if state is None:
        # Cold cache (first start, or Redis restarted): a new version, the next go-live time looked up now.
        # Put off for PAGE_CACHE_SECONDS, that lookup moved every worker on to another version half a minute
        # after a start, re-rendering every page and card under load (cached pages: p99 0.2 s in the bench).
        cold = {"version": new_version(), "due": next_due()}
        if cache.add(VERSION_KEY, cold, None):
            return cold
        # Neither written nor read: the shared cache does not answer (Redis timed out or is down). Keep the
        # version this worker knows; a new one at every poll threw away every page and card it remembered,
        # each second, while Redis was away.
        state = cache.get(VERSION_KEY) or local.state or cold
    if state["due"] is not None and state["due"] <= time.time():
        # Every process that sees the time come moves on to the same next version, so racing workers agree
        # (with a random one each, they would overwrite each other and render every page once per winner).
        following = hashlib.md5(f"{state['version']}|{state['due']}".encode(), usedforsecurity=False)
        state = {"version": following.hexdigest(), "due": next_due()}
        cache.set(VERSION_KEY, state, None)
    return state


def next_due() -> float | None:
    """When the next scheduled or embargoed story becomes public, or a front's pin or the banner starts or
    ends (a timestamp), or None."""
    from articles import fronts  # fronts reads through this module

    at = timezone.now()
    goes_live = Greatest("published_at", Coalesce("embargo_until", "published_at"))
    due = (
        Article.objects.filter(status=Article.Status.PUBLISHED)
        .annotate(goes_live=goes_live)
        .filter(goes_live__gt=at)
        .aggregate(due=Min("goes_live"))["due"]
    )
    moments = [moment for moment in (due, fronts.next_change(at)) if moment is not None]
    return min(moments).timestamp() if moments else None


def bump_version() -> None:
    """Make every cached page stale at once; the next request looks up the next go-live time.

    No query here: an importer saving thousands of rows pays one cache write per row.
    """
    state = {"version": new_version(), "due": 0}
    cache.set(VERSION_KEY, state, None)
    local.remember(state)


@contextmanager
def refresh_once() -> Iterator[None]:
    """Refresh pages once at the end instead of after every saved row (imports save thousands)."""
    _batch.depth = getattr(_batch, "depth", 0) + 1
    if _batch.depth == 1:
        _batch.keys = set()
    try:
        yield
    finally:
        _batch.depth -= 1
        if not _batch.depth:
            bump_version()
            surrogates.purge_after_commit(_batch.keys)


def unseen_by_readers(instance) -> bool:
    """Whether a saved row belongs to a story that neither is nor was published: a draft, a story in review.

    A newsroom saves drafts all day; each save used to make every cached page and card stale at once. A story
    with status "published", even scheduled, still counts: its go-live time is the next version's moment.
    """
    try:
        if isinstance(instance, Byline | Correction):
            instance = instance.article
        elif isinstance(instance, TaggedArticle):
            instance = instance.content_object
    except Article.DoesNotExist:  # its story is gone: say it may have been seen
        return False
    if not isinstance(instance, Article):
        return False
    before = (getattr(instance, "_loaded", None) or {}).get("status")
    return Article.Status.PUBLISHED not in (instance.status, before)


def content_changed(sender, **kwargs):
    """Signal receiver: a row readers may see was saved or deleted."""
    action = kwargs.get("action")
    if action is not None and action.startswith("pre_"):  # m2m_changed fires before and after
        return
    if sender._meta.app_label not in WATCHED_APPS or sender._meta.label_lower in IGNORED_MODELS:
        return
    instance = kwargs.get("instance")
    if unseen_by_readers(instance):  # nothing to refresh here, nothing to purge in front
        return
    m2m = {"reverse": kwargs["reverse"], "pk_set": kwargs["pk_set"]} if action is not None else None
    keys = surrogates.changed(sender, instance, deleted=kwargs.get("signal") is post_delete, m2m=m2m)
    if getattr(_batch, "depth", 0):
        _batch.keys.update(keys)
        return
    surrogates.purge_after_commit(keys)
    bump_version()
    # Again once the transaction commits: a page rendered meanwhile from the old rows is dropped too.
    transaction.on_commit(bump_version)


def connect_signals():
    """Called from the app's ready(), so commands and importers refresh pages too."""
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(content_changed, dispatch_uid=f"articles.caching.{id(signal)}")
    pre_delete.connect(surrogates.forget_before_delete, dispatch_uid="articles.surrogates.pre_delete")


def page_key(request) -> str:
    """The cache key of `request`'s page; call `keep_query` first so that ignored parameters are gone."""
    address = hashlib.md5(request.build_absolute_uri().encode(), usedforsecurity=False).hexdigest()
    return f"page:{content_version()}:{address}"


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
    password has not changed since): a made-up cookie costs one lookup of the session by its key (none
    for a malformed one), then is served the cached page like a reader.
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
        "etag": f'"{hashlib.md5(response.content, usedforsecurity=False).hexdigest()}"',
        "rendered_at": int(time.time()),
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


def shared_max_age() -> int:
    """How long shared caches may keep a page: PAGE_SHARED_MAX_AGE, or with purging on a longer
    PAGE_PURGED_SHARED_MAX_AGE, cut short to when the next scheduled or embargoed story goes live (no save
    happens then, so nothing is purged: the cache must drop the pages by itself)."""
    if not settings.HTTP_CACHE_PURGE:
        return settings.PAGE_SHARED_MAX_AGE
    age = settings.PAGE_PURGED_SHARED_MAX_AGE
    due = local.state and local.state["due"]  # read by content_version() for this very request
    if due:
        age = min(age, max(1, math.ceil(due - time.time())))
    return age


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
        key = page_key(request)
        response, entry = None, local.page(key)
        if entry is None:
            # When the content changes, every thread asks for the same pages at once: one renders, the others
            # wait for it and take its page rather than render the same one four times.
            with local.rendering(key):
                entry = local.page(key) or cache.get(key)
                if entry is None:
                    surrogates.start()
                    try:  # TemplateResponses render in entry_for(): keys are added until then
                        response = view_or_404(view, request, *args, **kwargs)
                        entry = entry_for(response)
                    finally:
                        keys = surrogates.finish()
                    if entry is None:
                        # A 404, 410 or redirect may turn into a story when one is published: `list`.
                        surrogates.set_headers(response, keys | {"list"})
                        return with_short_lifetime(response)
                    entry["keys"] = keys
                    cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
                local.keep_page(key, entry)
        if response is None:
            response = HttpResponse(entry["content"], content_type=entry["content_type"])
        response["ETag"] = entry["etag"]
        response["Last-Modified"] = http_date(entry["rendered_at"])
        surrogates.set_headers(response, entry.get("keys", ()))
        patch_cache_control(response, public=True, max_age=settings.PAGE_MAX_AGE, s_maxage=shared_max_age())
        return get_conditional_response(
            request, etag=entry["etag"], last_modified=entry["rendered_at"], response=response
        )

    return cached_view
