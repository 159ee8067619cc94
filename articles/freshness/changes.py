"""When things changed: one token per key in the shared cache, the render being recorded, scheduled moments.

A key's token is the time (freshness's clock) of its last change, kept in the default cache with no expiry.
A page or fragment records the keys it shows and when its rendering started; it is fresh while every one of
its keys (and EVERYTHING) last changed before that start. Tokens have no expiry: give Redis a
`maxmemory-policy` of `volatile-lru` (or none), so that only entries with a lifetime are ever evicted.
Timestamps from several app servers compare only as well as their clocks agree (NTP: milliseconds).
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction

from articles.freshness import keys as keynames
from articles.freshness import purge
from articles.freshness.clock import clock

TOKEN = "fresh:{}"
DUE = "fresh:due"  # {"at": the next moment something changes by itself (or None), "since": the last one}
CHANGED_HERE = "fresh:changed-here"  # in the local alias: when this process last changed something
# Keys of what every public page shows (the menu, the banner, the footer's pages): `shown_everywhere`.
EVERYWHERE: set[str] = set()


def local():
    """This process's own cache (the "local" alias, a LocMemCache): entries expire, none outlives a change."""
    return caches["local"]


@dataclass
class Render:
    """What the page or fragment being rendered shows, and the tokens read meanwhile."""

    started: float = field(default_factory=clock.time)
    keys: set = field(default_factory=set)
    tokens: dict = field(default_factory=dict)
    holes: bool = False  # a public page kept in the cache: per-request parts are left as holes
    first: float = 0.0  # when the outermost render started


_render: ContextVar[Render | None] = ContextVar("freshness_render", default=None)


@contextmanager
def recording(holes: bool = False) -> Iterator[Render]:
    """Record what is rendered inside (nested: the inner keys count for the outer render too)."""
    outer = _render.get()
    render = Render(holes=holes)
    render.first = render.started
    if outer is not None:
        render.tokens, render.first = outer.tokens, outer.first  # read once per request
    token = _render.set(render)
    try:
        if outer is None:  # the cache's birth, before anything made here is kept; and the furniture's
            tokens([keynames.EVERYTHING, *sorted(EVERYWHERE)])
        yield render
    finally:
        _render.reset(token)
        if outer is not None:
            outer.keys |= render.keys


def shown_everywhere(*keys: str) -> None:
    """Declare keys that every public page shows (the menu, the banner, the footer's pages).

    A render reads their change times with `all`'s, in the one round trip it starts with, instead of one
    round trip per fragment that shows them.
    """
    EVERYWHERE.update(keys)


def current() -> Render | None:
    return _render.get()


def depends_on(*keys: str) -> None:
    """Note that what is being rendered shows what `keys` stand for; outside a render, nothing."""
    render = _render.get()
    if render is not None:
        render.keys.update(keys)


def tokens(names: Iterable[str], also: dict | None = None) -> dict[str, float]:
    """The time of the last change of each key (one get_many; 0 for a key never changed).

    The EVERYTHING key doubles as the shared cache's birth: missing (a cold or flushed cache), it is set
    to now, so nothing recorded before the flush passes for fresh with its keys' tokens gone. `also` names
    more entries of the shared cache to read in the same round trip: their values (or None) are put in it.
    """
    render = _render.get()
    memo = render.tokens if render is not None else {}
    wanted = [name for name in names if name not in memo]
    if also:
        found = cache.get_many([*(TOKEN.format(name) for name in wanted), *also])
        also.update((name, found.get(name)) for name in also)
    if wanted:
        if not also:
            found = cache.get_many([TOKEN.format(name) for name in wanted])
        for name in wanted:
            token = found.get(TOKEN.format(name))
            if token is None:
                token = 0.0
                if name == keynames.EVERYTHING:  # just before this render, which may then be kept
                    token = (render.first if render is not None else clock.time()) - 1e-6
                    if not cache.add(TOKEN.format(name), token, None):
                        token = cache.get(TOKEN.format(name), token)
            memo[name] = token
    return {name: memo[name] for name in names}


def fresh(keys: Iterable[str], started: float) -> bool:
    """Whether nothing `keys` stand for (nor everything) changed since `started`."""
    return all(token < started for token in tokens({*keys, keynames.EVERYTHING}).values())


# Changes ---------------------------------------------------------------------------------------------------


@dataclass
class Batch:
    keys: set = field(default_factory=set)
    reschedule: bool = False


_batch: ContextVar[Batch | None] = ContextVar("freshness_batch", default=None)
BATCH_MAX_KEYS = 1000  # more changed keys than this at the end of a batch: everything changed


@contextmanager
def batch() -> Iterator[Batch]:
    """Apply the changes made inside once, at the end (an import saves thousands of rows)."""
    if _batch.get() is not None:  # already inside one: the outer applies them
        yield _batch.get()
        return
    collected = Batch()
    token = _batch.set(collected)
    try:
        yield collected
    finally:
        _batch.reset(token)
        if collected.reschedule:
            reschedule()
        if len(collected.keys) > BATCH_MAX_KEYS:
            collected.keys = {keynames.EVERYTHING}
        if collected.keys:
            changed(*collected.keys)


def in_batch() -> bool:
    return _batch.get() is not None


def changed(*keys: str) -> None:
    """Say that what `keys` stand for changed: pages and fragments showing them are stale, here and in front.

    Saves of models call this by signal; call it yourself after a write that sends none (`update()`, raw
    SQL): `freshness.changed(*keys.lists_of(story))`, or `changed_everything()` when you cannot say.
    """
    if not keys:
        return
    collecting = _batch.get()
    if collecting is not None:
        collecting.keys.update(keys)
        return
    _mark(keys)
    purge.after_commit(keys)
    # Again once the transaction commits: a page rendered meanwhile from the old rows is stale too.
    transaction.on_commit(lambda: _mark(keys))


def changed_everything() -> None:
    """Every page and fragment is stale (after a migration, a bulk repair, a restored backup)."""
    changed(keynames.EVERYTHING)


def _mark(keys: Iterable[str]) -> None:
    now = clock.time()
    cache.set_many({TOKEN.format(key): now for key in keys}, None)
    local().set(CHANGED_HERE, now, None)  # pages this process checked before now are checked again


# Moments when something changes by itself ------------------------------------------------------------------

# (fn, keys): fn(now) gives the next moment after `now` at which `keys` change, or None.
SCHEDULES: list[tuple] = []


def register_schedule(fn, *keys: str) -> None:
    """Declare moments when something changes with no save (a pin ending, a banner starting).

    `fn(now)` returns the next such moment after `now` (an aware datetime) or None; when it comes, `keys`
    (default: `list`) change, with no cron: the first request after it notices.
    """
    SCHEDULES.append((fn, keys or ("list",)))


def next_moment(now) -> float | None:
    moments = [keynames.next_go_live(now), *(fn(now) for fn, _ in SCHEDULES)]
    moments = [moment.timestamp() for moment in moments if moment is not None]
    return min(moments) if moments else None


def reschedule() -> None:
    """A go-live time may have changed: the next request works the next moment out again."""
    if in_batch():
        _batch.get().reschedule = True
        return
    state = cache.get(DUE)
    if state is not None:
        state = {**state, "at": 0, "id": clock.time()}
        cache.set(DUE, state, None)
        local().set(DUE, state, settings.CONTENT_VERSION_POLL_SECONDS)


NOT_READ = object()


def due(now: float, state: dict | None = None) -> float | None:
    """The next moment something changes by itself; if one has come, its changes are made first.

    `state` is what the local alias holds under DUE, when the caller has read it already.
    """
    return next_due(now, state)[0]


def next_due(now: float, state: dict | None = None, shared=NOT_READ) -> tuple[float | None, bool]:
    """`due()`, and whether this process made the changes of a moment that came. `shared` is what the
    shared cache holds under DUE (None: nothing) when the caller has read it already."""
    if state is None:
        state = local().get(DUE)
    if state is None:
        state = cache.get(DUE) if shared is NOT_READ else shared
        if state is None:
            state = {"at": next_moment(clock.now()), "since": now, "id": now}
            if not cache.add(DUE, state, None):
                state = cache.get(DUE) or state
        local().set(DUE, state, settings.CONTENT_VERSION_POLL_SECONDS)
    came = state["at"] is not None and state["at"] <= now
    if came:
        state = moment_came(state, now)
        local().set(DUE, state, settings.CONTENT_VERSION_POLL_SECONDS)
    return state["at"], came


def moment_came(state: dict, now: float) -> dict:
    """Make the changes of the moments in (since, now]: the first process to see them does, once."""
    if not cache.add(f"fresh:moment:{state['id']}:{state['at']}", 1, 60):
        return cache.get(DUE) or state  # another process is at it
    from datetime import UTC, datetime

    since = datetime.fromtimestamp(state["since"], tz=UTC)
    until = datetime.fromtimestamp(now, tz=UTC)
    keys = keynames.went_live(since, until)
    for fn, changing in SCHEDULES:
        moment = fn(since)
        if moment is not None and moment <= until:
            keys.update(changing)
    if keys:
        _mark(keys)
        purge.after_commit(keys)
    following = {"at": next_moment(until), "since": now, "id": now}
    cache.set(DUE, following, None)
    return following
