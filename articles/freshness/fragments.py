"""Fragments: parts of pages kept apart from the pages that show them (story cards, the menu, list counts).

A fragment is kept with the keys its making depended on and when the making started; it is used again while
none of those keys changed since and its lifetime lasts. Using one adds its keys to the page being rendered.
A story's card is the same HTML on its section, its tags, its authors and the home page, so lists fetch only
story ids and render just the cards they do not have yet, in one query (plus one for bylines).
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.template.loader import get_template

from articles.freshness import changes
from articles.freshness import keys as keynames
from articles.freshness.clock import clock


def name_of(parts: tuple) -> str:
    return "frag:" + hashlib.md5(repr(parts).encode(), usedforsecurity=False).hexdigest()


def usable(entry, known: dict, now: float) -> bool:
    return (
        entry is not None
        and now < entry["until"]
        and all(
            known[key] < entry["started"]
            for key in (*entry["keys"], *entry.get("own", ()), keynames.EVERYTHING)
        )
    )


def fragment(
    parts: tuple,
    make,
    *,
    seconds: int | None = None,
    shared: bool = False,
    fresh: bool = False,
    own: tuple[str, ...] = (),
):
    """`make()`, kept until a key it depended on changes or `seconds` pass (LOCAL_FRAGMENT_SECONDS).

    Kept in this worker's local cache, or with `shared` in the default cache, for every worker (list counts:
    costly to make, cheap to fetch). `make` names its keys with `depends_on`; they count for the page too.
    `own` keys make the fragment stale without counting for the page around it: a story page's related
    stories are chosen again when a story joins its section, but the page kept in the cache is not dropped
    for that. `fresh` (staff, previews): made afresh and not kept.
    """
    if fresh:
        return make()
    store = cache if shared else changes.local()
    name = name_of(parts)
    entry = store.get(name)
    if entry is not None:
        known = changes.tokens({*entry["keys"], *entry.get("own", ()), keynames.EVERYTHING})
        if usable(entry, known, clock.time()):
            changes.depends_on(*entry["keys"])
            return entry["value"]
    seconds = seconds or settings.LOCAL_FRAGMENT_SECONDS
    with changes.recording() as render:
        value = make()
    # Made inside a page, it counts from the page's start: the rows it shows may have been read before
    # it began (a story page's part is made from the row its lookup read); a change since makes it stale.
    started = render.first
    entry = {"value": value, "keys": frozenset(render.keys), "own": own, "started": started}
    store.set(name, {**entry, "until": started + seconds}, seconds)
    return value


def read_ahead(*parts: tuple) -> None:
    """Read the change times of the kept fragments named `parts` in one round trip, before the page uses
    them one by one (each would read its own): a page showing several of its own (a story's page)."""
    entries = [entry for entry in changes.local().get_many([name_of(p) for p in parts]).values() if entry]
    changes.tokens(
        set().union(*(set(entry["keys"]) | set(entry.get("own", ())) for entry in entries))
        | {keynames.EVERYTHING}
    )


changes.shown_everywhere("sections")  # the menu and the footer


def all_sections() -> dict:
    """Every section by id, in menu order."""
    from articles.models import Section

    def read():
        changes.depends_on("sections")
        return {section.pk: section for section in Section.objects.all()}

    return fragment(("sections",), read)


def list_count(name: str, queryset, *keys: str) -> int:
    """How many rows `queryset` has, counted again only when one of `keys` changes (or LIST_COUNT_SECONDS).

    Counting a big section or tag reads every story in it (40-140 ms at 100,000 stories).
    """

    def count():
        changes.depends_on(*keys)
        return queryset.count()

    return fragment(("count", name), count, seconds=settings.LIST_COUNT_SECONDS, shared=True)


def cards(wanted: list[tuple[int, dict]], *, fresh: bool = False) -> list[str | None]:
    """The cards for `wanted` (story id, options of includes/card.html) in order; None for a story gone.

    `fresh` (staff): every card rendered afresh and not kept. An option `photo_id` (a front's picture for
    the story) shows that photo instead of the story's (as `photo`; key `p<id>`), all loaded in one query.
    """
    from articles.models import Article, Photo

    names = [name_of(("card", pk, *sorted(options.items()))) for pk, options in wanted]
    found = {} if fresh else changes.local().get_many(names)
    entries = [found.get(name) for name in names]
    known = changes.tokens(set().union(*(e["keys"] for e in entries if e)) | {keynames.EVERYTHING})
    now = clock.time()
    entries = [entry if usable(entry, known, now) else None for entry in entries]
    missing = {pk for (pk, _), entry in zip(wanted, entries, strict=True) if entry is None}
    if missing:
        started = clock.time()
        stories = Article.objects.published().with_cards().defer("body").in_bulk(missing)
        photo_ids = {
            o["photo_id"] for (_, o), e in zip(wanted, entries, strict=True) if not e and "photo_id" in o
        }
        photos = Photo.objects.in_bulk(photo_ids) if photo_ids else {}
        template = get_template("includes/card.html")
        made = {}
        for i, ((pk, options), name) in enumerate(zip(wanted, names, strict=True)):
            if entries[i] is None and pk in stories:
                story = stories[pk]
                context, keys = {"story": story, **options}, keynames.story_keys(story)
                if options.get("photo_id") in photos:
                    context["photo"] = photos[options["photo_id"]]
                    keys.add(f"p{options['photo_id']}")
                entries[i] = made[name] = {
                    "value": template.render(context),
                    "keys": frozenset(keys),
                    "started": started,
                    "until": started + settings.LOCAL_FRAGMENT_SECONDS,
                }
        if made and not fresh:
            changes.local().set_many(made, settings.LOCAL_FRAGMENT_SECONDS)
    for entry in entries:
        if entry is not None:
            changes.depends_on(*entry["keys"])
    return [entry and entry["value"] for entry in entries]
