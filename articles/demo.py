"""Load a small, realistic newsroom for `make run`: sections, authors, tagged stories with photos, views.

Idempotent: every object is found by its slug or by (source="demo", external_id) before it is created,
so loading twice changes nothing.
"""

import io
from datetime import datetime, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from PIL import Image, ImageDraw, ImageFont

from articles import demo_pictures, trending
from articles.demo_content import AUTHORS, PAGES, SECTIONS, STORIES
from articles.demo_seed import SEED_AUTHOR, SEED_STORY
from articles.models import Article, Author, Byline, Photo, Section, Tag
from pages.models import Page

SOURCE = "demo"


def make_image(colour: str, label: str, size=(1200, 800)) -> bytes:
    """A calm placeholder photo: a vertical gradient of `colour` with a label, as JPEG bytes."""
    width, height = size
    base = Image.new("RGB", size, colour)
    shade = Image.linear_gradient("L").resize(size)
    dark = Image.new("RGB", size, (20, 20, 24))
    image = Image.composite(dark, base, shade.point(lambda v: v * 0.55))
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=64)
    box = draw.textbbox((0, 0), label, font=font)
    draw.text(
        ((width - (box[2] - box[0])) / 2, (height - (box[3] - box[1])) / 2), label, fill="white", font=font
    )
    out = io.BytesIO()
    image.save(out, "JPEG", quality=82, optimize=True)
    return out.getvalue()


def demo_photo(spec: dict, key: str) -> Photo:
    """A library photo painted from `spec` (caption, credit, alt, scene, colour); `key` varies the picture."""
    photo = Photo(caption=spec["caption"], credit=spec["credit"], alt_text=spec["alt"])
    picture = demo_pictures.make_picture(spec["scene"], key, spec["colour"])
    photo.image.save(f"{key}.jpg", ContentFile(picture), save=False)
    photo.save()
    return photo


def body_html(blocks, key: str = "") -> str:
    """A body from (kind, content) blocks: text, and what an editor's toolbar inserts (articles/body.py): a
    library photo, a gallery, a pull quote, a fact box (its title, then its paragraphs)."""
    tags = {"p": "<p>{}</p>", "h2": "<h2>{}</h2>", "quote": "<blockquote><p>{}</p></blockquote>"}
    html = []
    for n, (kind, content) in enumerate(blocks):
        if kind == "photo":
            html.append(f'<figure data-photo="{demo_photo(content, f"{key}-{n}").pk}"></figure>')
        elif kind == "gallery":
            ids = " ".join(
                str(demo_photo(spec, f"{key}-{n}-{i}").pk) for i, spec in enumerate(content["photos"])
            )
            html.append(f'<figure data-gallery="{ids}" data-caption="{escape(content["caption"])}"></figure>')
        elif kind == "pullquote":
            html.append(f'<blockquote class="pullquote"><p>{escape(content)}</p></blockquote>')
        elif kind == "factbox":
            title, *lines = content
            paragraphs = "".join(f"<p>{escape(line)}</p>" for line in lines)
            html.append(f'<aside class="factbox"><h3>{escape(title)}</h3>{paragraphs}</aside>')
        else:
            html.append(tags[kind].format(escape(content)))
    return "\n".join(html)


def find_tag(name: str) -> Tag:
    tag = Tag.objects.filter(name__iexact=name).first()
    return tag or Tag.objects.create(name=name)


def add_story(data: dict, sections: dict, authors: dict, now: datetime) -> Article | None:
    if Article.objects.filter(source=SOURCE, external_id=data["key"]).exists():
        return None
    status = data.get("status", "published")
    if "published" in data:
        published_at = datetime.fromisoformat(data["published"])
    else:
        published_at = now - timedelta(hours=data["hours_ago"])
    photo = demo_photo(data["photo"], data["key"]) if data.get("photo") else None
    article = Article.objects.create(
        headline=data["headline"],
        dek=data.get("dek", ""),
        body=body_html(data["body"], data["key"]),
        section=sections[data["section"]],
        dateline_place=data.get("dateline_place", ""),
        lead_photo=photo,
        status=Article.Status.DRAFT if status == "draft" else Article.Status.PUBLISHED,
        published_at=None if status == "draft" else published_at,
        source=SOURCE,
        external_id=data["key"],
    )
    for position, (slug, role) in enumerate(data["bylines"]):
        Byline.objects.create(article=article, author=authors[slug], position=position, role=role)
    article.tags.set([find_tag(name) for name in data["tags"]])
    if status == "published" and data.get("views"):
        add_views(article, data["views"], now)
    return article


def add_views(article: Article, views: int, now: datetime) -> None:
    """Spread `views` over the last few hours, most of them recent, in whichever store Trending Now uses."""
    shares = [0.4, 0.25, 0.15, 0.1, 0.06, 0.04]
    for age, share in enumerate(shares):
        trending.record_view(article.pk, now - timedelta(hours=age), count=max(1, int(views * share)))


def load() -> dict:
    """Create whatever of the demo newsroom is missing; return counts of what was created."""
    now = timezone.now()
    created = {"sections": 0, "authors": 0, "stories": 0, "pages": 0}
    with transaction.atomic():
        sections = {}
        for spec in SECTIONS:
            sections[spec["slug"]], new = Section.objects.get_or_create(slug=spec["slug"], defaults=spec)
            created["sections"] += new
        authors = {}
        for spec in [SEED_AUTHOR, *AUTHORS]:
            authors[spec["slug"]], new = Author.objects.get_or_create(slug=spec["slug"], defaults=spec)
            created["authors"] += new
    for data in [SEED_STORY, *STORIES]:
        with transaction.atomic():
            created["stories"] += add_story(data, sections, authors, now) is not None
    for spec in PAGES:  # about, contact, corrections policy...: the footer's pages
        created["pages"] += Page.objects.get_or_create(slug=spec["slug"], defaults=spec)[1]
    with transaction.atomic():
        created.update(arrange_front(now))
    return created


# The home page as an editor arranged it (keys of STORIES): a lead, two top stories, a pin that lapses
# tonight with its own headline, a scheduled story waiting in its slot until it goes live, and a banner.
FRONT_PLACEMENTS = [
    {"key": "shared-river-draft-deal", "zone": "lead"},
    {"key": "housing-bill-rent-cap", "zone": "top"},
    {"key": "central-bank-holds", "zone": "top"},
    {
        "key": "kessington-by-election-poll",
        "zone": "top",
        "headline": "Kessington votes today: the independent edges ahead in the final poll",
        "ends_in_hours": 12,
    },
    {"key": "voting-age-debate", "zone": "top"},  # scheduled: shown once it goes live
]
BANNER = {
    "text": "Flood warning for Eastmere: the river is expected to peak tonight",
    "key": "eastmere-river-warning",
    "level": "developing",
    "hours": 48,
}


def arrange_front(now: datetime) -> dict:
    """Arrange the home front and put up the banner, unless an editor (or an earlier load) already did."""
    from articles import fronts
    from articles.models import Banner, Placement

    created = {"placed stories": 0, "banners": 0}
    front = fronts.ensure()
    keys = [spec["key"] for spec in FRONT_PLACEMENTS]
    stories = {s.external_id: s for s in Article.objects.filter(source=SOURCE, external_id__in=keys)}
    if not front.placements.exists():
        for position, spec in enumerate(FRONT_PLACEMENTS):
            story = stories.get(spec["key"])
            if story is None:
                continue
            ends = now + timedelta(hours=spec["ends_in_hours"]) if "ends_in_hours" in spec else None
            Placement.objects.create(
                front=front, article=story, zone=spec["zone"], position=position,
                headline=spec.get("headline", ""), ends_at=ends,
            )  # fmt: skip
            created["placed stories"] += 1
    if not Banner.objects.exists():
        story = Article.objects.filter(source=SOURCE, external_id=BANNER["key"]).first()
        Banner.objects.create(
            text=BANNER["text"], level=BANNER["level"], link=story.get_absolute_url() if story else "",
            starts_at=now, ends_at=now + timedelta(hours=BANNER["hours"]),
        )  # fmt: skip
        created["banners"] += 1
    return created
