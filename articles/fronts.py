"""Fronts: the home page and each section's page as editors arrange them, and the breaking-news banner.

A front (models.Front) is ordered zones (models.Zone). A zone shows `size` stories: first those editors
placed in it (models.Placement, in their order, each only between its start and end), then the newest by
the zone's rule (latest, latest in a section, latest with a tag, most read). A story appears once on a page
unless its zone allows repeats; placed stories are reserved first, so a rule never takes a story an editor
put further down. Every story, placed or not, comes through `Article.objects.published()`: a placed story
that is a draft, scheduled or embargoed is not shown and its slot fills itself.

A page costs a fixed number of queries however many zones, placements and stories it holds: the front's
zones and placements are read once until the front changes (3 queries), every candidate story in one UNION
ALL statement (each part walks the story indexes and stops after its limit), the cards as freshness.cards
renders them (2, or 3 with a picture override).

Freshness keys (articles/freshness): a page's front is `front-home` or `front-sec<id>` (what a save of its
front, zones or placements changes: `freshness_keys()` in models.py); `fronts`, which every front depends
on, changes when a pin starts or ends; `banner` when a banner is saved, starts or ends. Those moments come
with no save: they are registered with `freshness.register_schedule` at the end of this module.
"""

from dataclasses import dataclass, field, replace
from datetime import datetime

from django.conf import settings
from django.db import connections
from django.db.models import Min, Q

from articles import freshness, trending
from articles.freshness import clock
from articles.models import Article, Banner, Front, Placement, Section, Zone, front_key, path

# What a front shows before an editor arranged anything: the home page as it always was (a lead, the
# latest, a block per section), a section page as a lead and its top stories above its list.
DEFAULT_ZONES = {
    "home": [
        {"kind": Zone.Kind.LEAD, "size": 1},
        {"kind": Zone.Kind.TOP, "size": 8, "title": "Latest"},
        {"kind": Zone.Kind.SECTIONS, "size": 4},
    ],
    "section": [
        {"kind": Zone.Kind.LEAD, "size": 1},
        {"kind": Zone.Kind.TOP, "size": 4, "title": "Top stories"},
    ],
}
# The card each zone shows (includes/card.html): `variant` for the newspaper look, the older flags for
# today's card.
CARD_OPTIONS = {
    Zone.Kind.LEAD: {"variant": "lead", "is_lead": True, "show_section": True, "level": "2"},
    Zone.Kind.TOP: {"variant": "top", "show_section": True, "compact": True},
    Zone.Kind.SECTIONS: {"variant": "compact", "compact": True},
    Zone.Kind.RIVER: {"variant": "standard", "show_section": True},
}


@dataclass
class Plan:
    """A front as saved, or as an editor is about to save it (the admin's preview)."""

    front: Front
    zones: list[Zone]
    placements: list[Placement]


@dataclass
class ShownZone:
    zone: Zone
    title: str = ""
    url: str = ""
    stories: list = field(default_factory=list)  # (story id, card options)
    blocks: list = field(default_factory=list)  # section blocks: (section, [(story id, card options)])
    cards: list = field(default_factory=list)  # rendered
    block_cards: list = field(default_factory=list)  # rendered: (section, [card html])

    @property
    def kind(self):
        return self.zone.kind


@dataclass
class Page:
    front: Front
    zones: list[ShownZone]
    shown: set[int]  # every story on the page, for a list below it to leave out

    def zone(self, kind) -> ShownZone | None:
        return next((z for z in self.zones if z.kind == kind), None)


# Reading a front ------------------------------------------------------------------------------------------


def default_zones(front: Front) -> list[Zone]:
    specs = DEFAULT_ZONES["section" if front.section_id else "home"]
    return [Zone(front=front, position=i, **spec) for i, spec in enumerate(specs)]


def load(section: Section | None = None) -> Plan:
    """The front of the home page (`section` None) or of a section, read again only once it changed."""
    return freshness.fragment(("front", section.pk if section else 0), lambda: read(section))


def read(section: Section | None) -> Plan:
    freshness.depends_on(front_key(section.pk if section else None))
    front = Front.objects.filter(section=section).prefetch_related("zones", "placements").first()
    if front is None:
        front = Front(section=section)
        return Plan(front, default_zones(front), [])
    zones = list(front.zones.all()) or default_zones(front)
    return Plan(front, zones, list(front.placements.all()))


def ensure(section: Section | None = None) -> Front:
    """The saved front of a page, made with its default zones if it has none (the admin, the demo)."""
    front, _ = Front.objects.get_or_create(section=section)
    if not front.zones.exists():
        for zone in default_zones(front):
            zone.save()
    return front


def is_live(item, at: datetime) -> bool:
    """Whether a placement or banner is within its start and end at `at`."""
    return (item.starts_at is None or item.starts_at <= at) and (item.ends_at is None or item.ends_at > at)


def next_moment(model, at: datetime) -> datetime | None:
    """The next moment after `at` when a row of `model` (Placement, Banner) starts or ends, or None."""
    moments = model.objects.aggregate(
        start=Min("starts_at", filter=Q(starts_at__gt=at)), end=Min("ends_at", filter=Q(ends_at__gt=at))
    ).values()
    moments = [moment for moment in moments if moment is not None]
    return min(moments) if moments else None


def next_pin_change(at: datetime) -> datetime | None:
    """The next moment a pin starts or ends (every front's `fronts` key changes then)."""
    return next_moment(Placement, at)


def next_banner_change(at: datetime) -> datetime | None:
    """The next moment a banner starts or ends (the `banner` key changes then)."""
    return next_moment(Banner, at)


def next_change(at: datetime) -> datetime | None:
    """The next moment after `at` when a placement or banner starts or ends."""
    moments = [moment for moment in (next_pin_change(at), next_banner_change(at)) if moment is not None]
    return min(moments) if moments else None


# Arranging a front ----------------------------------------------------------------------------------------


def candidates(parts: dict[tuple, int], placed: set[int]) -> dict[tuple, list[tuple[int, int]]]:
    """For each part ("latest", section id) / ("section", id) / ("tag", id), up to its limit of the newest
    published stories as (id, section id); under ("placed",) those of `placed` that are published.

    One statement: each part is published() compiled by the ORM, wrapped so SQLite accepts its LIMIT.
    """
    public = Article.objects.published()
    queries = []
    if placed:
        queries.append((("placed",), public.filter(pk__in=placed).values_list("pk", "section_id")))
    for part, limit in parts.items():
        kind, value = part
        stories = public
        if kind in ("latest", "section") and value:
            stories = stories.filter(section_id=value)
        elif kind == "tag":
            stories = stories.filter(tagged_items__tag_id=value)
        queries.append(
            (part, stories.order_by("-published_at", "-pk").values_list("pk", "section_id")[:limit])
        )
    found = {part: [] for part, _ in queries}
    if not queries:
        return found
    connection = connections[public.db]
    sql, params = [], []
    for i, (_part, query) in enumerate(queries):
        text, values = query.query.get_compiler(connection=connection).as_sql()
        sql.append(f"SELECT {i} AS part, p{i}.* FROM ({text}) AS p{i}")
        params.extend(values)
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(sql), params)
        rows = cursor.fetchall()
    for i, pk, section_id in rows:
        found[queries[i][0]].append((pk, section_id))
    return found


def rule_part(zone: Zone, front: Front) -> tuple | None:
    if zone.rule == Zone.Rule.LATEST:
        return ("latest", front.section_id)
    if zone.rule == Zone.Rule.SECTION and zone.rule_section_id:
        return ("section", zone.rule_section_id)
    if zone.rule == Zone.Rule.TAG and zone.rule_tag_id:
        return ("tag", zone.rule_tag_id)
    return None


def zone_title(zone: Zone, front: Front, sections: dict) -> tuple[str, str]:
    """A zone's heading and where it links."""
    title = zone.title
    if zone.rule == Zone.Rule.SECTION and zone.rule_section_id in sections:
        section = sections[zone.rule_section_id]
        return title or section.name, section.get_absolute_url()
    if zone.rule == Zone.Rule.LATEST and zone.kind == Zone.Kind.TOP and not front.section_id:
        return title, path("articles:latest")
    return title, ""


def options_for(zone: Zone, placement: Placement | None = None) -> dict:
    options = dict(CARD_OPTIONS[zone.kind])
    if placement is not None:
        if placement.headline:
            options["headline"] = placement.headline
        if placement.dek:
            options["dek"] = placement.dek
        if placement.photo_id:
            options["photo_id"] = placement.photo_id
    return options


def arrange(plan: Plan, at: datetime | None = None) -> Page:
    """Which stories each zone shows at `at` (the clock by default), as (story id, card options)."""
    at = at or clock.now()
    front = plan.front
    zones = sorted(plan.zones, key=lambda z: (z.position, z.pk or 0))
    kinds = {zone.kind for zone in zones}
    pins = [p for p in sorted(plan.placements, key=lambda p: (p.position, p.pk or 0)) if p.zone in kinds]
    pins = [p for p in pins if is_live(p, at)]
    sections = freshness.all_sections() if any(z.kind == Zone.Kind.SECTIONS for z in zones) else {}

    # How many of the newest each rule needs: its slots, plus as many as the zones before it and the pins
    # could have taken already.
    parts, before = {}, 0
    for zone in zones:
        slots = zone.size * (len(sections) if zone.kind == Zone.Kind.SECTIONS else 1)
        if zone.kind == Zone.Kind.SECTIONS:
            for section_id in sections:
                part = ("section", section_id)
                parts[part] = max(parts.get(part, 0), zone.size + before + len(pins))
        elif (part := rule_part(zone, front)) is not None:
            parts[part] = max(parts.get(part, 0), zone.size + before + len(pins))
        before += slots
    # What the arrangement shows: which stories each rule's list holds, whether each pinned story is public.
    freshness.depends_on("fronts", *(list_key(part) for part in parts), *(f"s{p.article_id}" for p in pins))
    found = candidates(parts, {p.article_id for p in pins})
    public = dict(found.get(("placed",), []))
    most_read = []
    if any(z.rule == Zone.Rule.MOST_READ and z.kind != Zone.Kind.SECTIONS for z in zones):
        most_read = [(item["id"], None) for item in trending.top(before + len(pins))]

    shown = [ShownZone(zone, *zone_title(zone, front, sections)) for zone in zones]
    used: set[int] = set()

    def fits(zone, pk, taken):
        return pk not in taken and (zone.allow_repeats or pk not in used)

    # Placed stories first, in zone order, so that no rule takes a story an editor put lower on the page.
    blocks: dict[int, list] = {}
    for item in shown:
        zone = item.zone
        if zone.kind == Zone.Kind.SECTIONS:
            blocks = {section_id: [] for section_id in sections}
        for pin in (p for p in pins if p.zone == zone.kind and p.article_id in public):
            pk = pin.article_id
            target = blocks.get(public[pk]) if zone.kind == Zone.Kind.SECTIONS else item.stories
            if target is None or len(target) >= zone.size or not fits(zone, pk, {s for s, _ in target}):
                continue
            target.append((pk, options_for(zone, pin)))
            used.add(pk)
        if zone.kind == Zone.Kind.SECTIONS:
            item.blocks = [(sections[section_id], stories) for section_id, stories in blocks.items()]
    # Then each zone's rule fills what is left.
    for item in shown:
        zone = item.zone
        if zone.kind == Zone.Kind.SECTIONS:
            targets = [(stories, found.get(("section", section.pk), [])) for section, stories in item.blocks]
        elif zone.rule == Zone.Rule.MOST_READ:
            targets = [(item.stories, most_read)]
        else:
            part = rule_part(zone, front)
            targets = [(item.stories, found.get(part, []) if part else [])]
        for stories, pool in targets:
            taken = {pk for pk, _ in stories}
            for pk, _section_id in pool:
                if len(stories) >= zone.size:
                    break
                if fits(zone, pk, taken):
                    stories.append((pk, options_for(zone)))
                    taken.add(pk)
                    used.add(pk)
    for item in shown:  # a section block leads with a picture, then headlines
        for _section, stories in item.blocks:
            if stories:
                pk, options = stories[0]
                stories[0] = (pk, {**options, "variant": "standard", "compact": False})
    return Page(front, shown, used)


def list_key(part: tuple) -> str:
    """The freshness key of the list a rule's part reads: ("latest", None) is every public story."""
    kind, value = part
    if kind == "tag":
        return f"list-t{value}"
    return f"list-sec{value}" if value else "list"


def render(request, page: Page, also=()) -> tuple[Page, list]:
    """`page` with every zone's cards rendered in one go (freshness.cards), and the cards `also` wanted below
    the front; a story gone meanwhile is left out. `page` itself is left as it was (workers share it)."""
    wanted = []
    for item in page.zones:
        wanted += item.stories
        for _section, stories in item.blocks:
            wanted += stories
    html = iter(freshness.cards(wanted + list(also), fresh=freshness.is_staff_request(request)))

    def take(n):
        return [card for card in (next(html) for _ in range(n)) if card is not None]

    zones = []
    for item in page.zones:
        shown = replace(item, cards=take(len(item.stories)))
        shown.block_cards = [(section, take(len(stories))) for section, stories in item.blocks]
        shown.block_cards = [(section, done) for section, done in shown.block_cards if done]
        zones.append(shown)
    return replace(page, zones=zones), list(html)


def arranged(plan: Plan | None = None, section: Section | None = None) -> Page:
    """The front of the home page or `section` as arranged now; a saved one kept until what it shows changes
    (its front, a list a rule reads, a pinned story, a pin starting or ending: the `fronts` key). A most-read
    zone follows Trending Now's lifetime."""
    if plan is not None:  # the admin's preview
        return arrange(plan)

    saved = load(section)

    def make():
        freshness.depends_on(front_key(section.pk if section else None))
        return arrange(saved)

    most_read = any(zone.rule == Zone.Rule.MOST_READ for zone in saved.zones)
    seconds = settings.TRENDING_CACHE_SECONDS if most_read else None
    return freshness.fragment(("front-page", section.pk if section else 0), make, seconds=seconds)


def resolve(request, plan: Plan | None = None, *, section: Section | None = None) -> Page:
    """The front of the home page or `section` as readers see it now, rendered."""
    return render(request, arranged(plan, section))[0]


# The banner -----------------------------------------------------------------------------------------------


def live_banners() -> list[Banner]:
    """Banners not ended yet, newest first, read again once one is saved, starts or ends."""

    def read_banners():
        freshness.depends_on("banner")
        return list(Banner.objects.exclude(ends_at__lte=clock.now()))

    return freshness.fragment(("banners",), read_banners)


def current_banner(at: datetime | None = None) -> Banner | None:
    """The banner to show at `at`: the one that started last among those within their times."""
    at = at or clock.now()
    freshness.depends_on("banner")
    return next((banner for banner in live_banners() if is_live(banner, at)), None)


# Moments nobody saves: a pin starting or ending changes every front, a banner starting or ending the banner.
freshness.register_schedule(next_pin_change, "fronts")
freshness.register_schedule(next_banner_change, "banner")
freshness.shown_everywhere("banner")
