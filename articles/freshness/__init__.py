"""Freshness: what a page or fragment shows, when it is stale, and how it is purged. One owner.

Every public page and fragment records the keys of what it shows (`depends_on`): stories, sections,
authors, tags, photos, the lists stories join, fronts, the banner (names in `freshness.keys`; the same names
are the surrogate keys of an HTTP cache in front). A save of a row readers can see calls `changed(*keys)` by
signal: each key's token (the time of its last change, in the shared cache) moves on, so exactly the pages
and fragments showing it are stale, and the keys are purged from Varnish, Fastly or Cloudflare once the
transaction commits. A draft or a story in review changes nothing. Moments when something changes with no
save (a scheduled story goes live, an embargo lifts, a pin ends) are known in advance; the first request
after one makes its changes, with no cron. See docs/freshness.md.

The API other concerns use:

    depends_on(*keys)            what is being rendered shows these (outside a public page: nothing)
    changed(*keys)               after a write that sends no signal (`update()`, raw SQL, a command);
    changed_everything()           or when you cannot say which keys (a migration, a bulk repair)
    register_schedule(fn, *keys) fn(now) -> the next moment (aware datetime) after `now` at which `keys`
                                   change by themselves, or None; e.g. a front pin's start or end
    shown_everywhere(*keys)      keys every public page shows (menu, banner, footer): their change times are
                                   read in the one round trip a render starts with
    clock.now(), clock.time()    the one clock (tests move it: `monkeypatch.setattr(clock, "offset", 61)`)

A model of the `articles` app that readers see (a front, a banner) names what its saves change with a
`freshness_keys(self)` method returning keys (e.g. `{"front-home"}`); a model without one changes everything.

and, for views and templates:

    public_page(view, query)     serve a view's page from the cache (urls.py)
    fragment(parts, make, ...)   a part kept apart from the page (its keys are those `make` names)
    read_ahead(*parts)           the change times of several kept fragments a page shows, in one round trip
    cards(wanted), all_sections(), list_count(name, queryset, *keys)
    register_hole(name, make)    a part with its own short lifetime, filled into cached pages at each answer
    hole(name)                     (Trending Now); behind Varnish an ESI include of /fragments/<name>/
    batch()                      changes inside are applied once at the end (imports)

Per-worker memory is Django's "local" cache alias (a LocMemCache with MAX_ENTRIES and timeouts); nothing
else is kept between requests in a process.
"""

from articles.freshness.changes import (
    batch,
    changed,
    changed_everything,
    depends_on,
    register_schedule,
    shown_everywhere,
)
from articles.freshness.clock import clock
from articles.freshness.fragments import all_sections, cards, fragment, list_count, read_ahead
from articles.freshness.keys import EVERYTHING, lists_of, story_keys
from articles.freshness.pages import hole, hole_view, is_staff_request, public_page, register_hole
from articles.freshness.rules import is_public, was_public
from articles.freshness.signals import connect_signals

__all__ = [
    "EVERYTHING",
    "all_sections",
    "batch",
    "cards",
    "changed",
    "changed_everything",
    "clock",
    "connect_signals",
    "depends_on",
    "fragment",
    "hole",
    "hole_view",
    "is_public",
    "is_staff_request",
    "list_count",
    "lists_of",
    "public_page",
    "read_ahead",
    "register_hole",
    "register_schedule",
    "shown_everywhere",
    "story_keys",
    "was_public",
]
