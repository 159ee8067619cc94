"""Build a large newsroom for benchmarks: stories, authors, sections, tags, photos and a week of reader views.

    python bench/generate.py                      # 100,000 stories into DATABASE_URL (default: var/ SQLite)
    python bench/generate.py --stories 1000       # a small one
    python bench/generate.py --views-only         # refresh the week of views (they are relative to now)

Rows go in with executemany (SQLite) or COPY (PostgreSQL), not through model saves: 100,000 stories take
about a minute instead of an hour. Every run starts from empty tables. Values that models fill in themselves
(defaults) come from the model fields, so new fields with defaults need no change here.

Views: `--events` reader views over the last 7 days, mostly on the week's new stories (a few stories take most
of them, as on a real site), the rest spread over the archive. They are counted into HourlyViews rows the way
the beacon does (one row per story per hour) and, when REDIS_URL is set, sent to Redis one ZINCRBY per view.
"""

import argparse
import io
import json
import os
import random
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, models, transaction  # noqa: E402
from django.utils.text import slugify  # noqa: E402

from articles import trending  # noqa: E402
from articles.models import (  # noqa: E402
    Article,
    Author,
    Byline,
    HourlyViews,
    Photo,
    Section,
    Tag,
    TaggedArticle,
)

WORDS = (
    "council budget river election minister harbour strike storm court hospital school railway "
    "bridge market energy prices winter festival museum police mayor parliament union farmers "
    "drought flood border trade airport housing rents tram bank coalition vote summit treaty "
    "ceasefire refinery grain port reform pension tax inflation wages factory climate forest "
    "wildfire coast fishing ferry tunnel stadium league cup final theatre orchestra library archive "
    "census survey protest strike talks deal plan report inquiry verdict"
).split()
PLACES = [
    "Berlin",
    "Moscow",
    "Kyiv",
    "Paris",
    "Brussels",
    "Warsaw",
    "Vienna",
    "Riga",
    "Tallinn",
    "Vilnius",
    "",
]
SECTIONS = (
    "World Europe Politics Business Economy Technology Science Health Climate Culture "
    "Books Film Music Sport Football Opinion Analysis Investigations Local Travel"
).split()


def sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize()


def paragraph(rng: random.Random) -> str:
    return "<p>" + ". ".join(sentence(rng, rng.randint(8, 18)) for _ in range(rng.randint(3, 6))) + ".</p>"


def insert(model, rows: list[dict]) -> None:
    """Insert rows fast, unset fields taking the model's defaults (executemany, or COPY on PostgreSQL)."""
    if not rows:
        return
    given = set(rows[0])
    # An id not given is left to the database.
    fields = [f for f in model._meta.concrete_fields if f.attname in given or not f.primary_key]
    defaults = {}
    for f in fields:
        if f.attname in given:
            continue
        if isinstance(f, models.DateTimeField) and (f.auto_now or f.auto_now_add):
            defaults[f.attname] = datetime.now(UTC)
        elif f.has_default() or f.null or f.blank:
            defaults[f.attname] = f.get_default()
        else:
            raise SystemExit(f"{model.__name__}.{f.attname} has no default; teach bench/generate.py a value")
    columns = [f.column for f in fields]
    values = [
        [f.get_db_prep_save(row.get(f.attname, defaults.get(f.attname)), connection) for f in fields]
        for row in rows
    ]
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            buffer = io.StringIO()
            for value_row in values:
                buffer.write("\t".join(copy_text(v) for v in value_row) + "\n")
            buffer.seek(0)
            cursor.cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)
        else:
            marks = ", ".join(["%s"] * len(columns))
            quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
            cursor.executemany(f"INSERT INTO {table} ({quoted}) VALUES ({marks})", values)


def copy_text(value) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if hasattr(value, "adapted"):  # psycopg2's Json wrapper for JSONField
        value = value.dumps(value.adapted)
    text = value.isoformat() if isinstance(value, datetime) else str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def empty_tables() -> None:
    for model in (HourlyViews, TaggedArticle, Byline, Article, Tag, Author, Photo, Section):
        model.objects.all()._raw_delete(connection.alias)


def reset_sequences() -> None:
    sql = connection.ops.sequence_reset_sql(
        __import__("django.core.management.color", fromlist=["no_style"]).no_style(),
        [Section, Photo, Author, Tag, Article, Byline, TaggedArticle, HourlyViews],
    )
    with connection.cursor() as cursor:
        for statement in sql:
            cursor.execute(statement)


def zipf_weights(n: int, s: float = 1.1) -> list[float]:
    return [1 / (i + 1) ** s for i in range(n)]


def build(stories: int, authors: int, sections: int, tags: int, seed: int, now: datetime) -> None:
    rng = random.Random(seed)
    started = time.monotonic()
    insert(
        Section,
        [
            {
                "id": i + 1,
                "name": name,
                "slug": slugify(name),
                "description": sentence(rng, 12) + ".",
                "menu_order": i,
            }
            for i, name in enumerate((SECTIONS * (sections // len(SECTIONS) + 1))[:sections])
        ]
        if sections <= len(SECTIONS)
        else [
            {"id": i + 1, "name": f"Section {i + 1}", "slug": f"section-{i + 1}", "menu_order": i}
            for i in range(sections)
        ],
    )
    photo_count = stories // 2 + authors
    insert(
        Photo,
        [
            {
                "id": i + 1,
                "image": "photos/bench/lead.jpg",
                "caption": sentence(rng, 10) + ".",
                "credit": f"Photo: {rng.choice(['Reuters', 'AP', 'AFP', 'Staff'])}",
                "alt_text": sentence(rng, 6),
                "width": 1200,
                "height": 800,
            }
            for i in range(photo_count)
        ],
    )
    insert(
        Author,
        [
            {
                "id": i + 1,
                "name": f"{rng.choice(WORDS).title()} {rng.choice(WORDS).title()}son",
                "slug": f"author-{i + 1}",
                "job_title": rng.choice(["Reporter", "Correspondent", "Editor", "Columnist"]),
                "bio": sentence(rng, 20) + ".",
                "photo_id": stories // 2 + i + 1,
            }
            for i in range(authors)
        ],
    )
    insert(
        Tag,
        [{"id": i + 1, "name": f"{rng.choice(WORDS)} {i + 1}", "slug": f"tag-{i + 1}"} for i in range(tags)],
    )

    paragraphs = [paragraph(rng) for _ in range(400)]
    section_weights = zipf_weights(sections, 0.6)
    author_weights = zipf_weights(authors, 0.8)
    tag_weights = zipf_weights(tags, 1.0)
    span = timedelta(days=5 * 365).total_seconds()
    batch = 5000
    for start in range(0, stories, batch):
        articles, bylines, tagged = [], [], []
        for i in range(start, min(start + batch, stories)):
            pk = i + 1
            # pk order = publication order: the newest story has the highest id, minutes old.
            published = now - timedelta(seconds=span * (stories - i) / stories) - timedelta(minutes=5)
            status = "published"
            roll = rng.random()
            if roll < 0.02:
                status, published = "draft", None
            elif roll < 0.025:
                published = now + timedelta(hours=rng.randint(1, 72))  # scheduled
            headline = sentence(rng, rng.randint(6, 11))
            articles.append(
                {
                    "id": pk,
                    "headline": headline,
                    "slug": f"{slugify(headline)[:80].strip('-')}-{pk}",
                    "dek": sentence(rng, 25) + ".",
                    "body": "\n".join(rng.choice(paragraphs) for _ in range(rng.randint(5, 9))),
                    "section_id": rng.choices(range(1, sections + 1), section_weights)[0],
                    "dateline_place": rng.choice(PLACES),
                    "lead_photo_id": rng.randint(1, stories // 2) if rng.random() < 0.8 else None,
                    "status": status,
                    "published_at": published,
                    "revised_at": published + timedelta(hours=2)
                    if published and rng.random() < 0.1
                    else None,
                    "created_at": published or now,
                    "updated_at": published or now,
                }
            )
            for position, author in enumerate(
                set(rng.choices(range(1, authors + 1), author_weights, k=rng.choice([1, 1, 1, 2, 3])))
            ):
                bylines.append({"article_id": pk, "author_id": author, "position": position, "role": ""})
            for tag in set(rng.choices(range(1, tags + 1), tag_weights, k=rng.randint(2, 6))):
                tagged.append({"content_object_id": pk, "tag_id": tag})
        with transaction.atomic():
            insert(Article, articles)
            insert(Byline, bylines)
            insert(TaggedArticle, tagged)
        print(f"  {min(start + batch, stories):>7} stories  {time.monotonic() - started:6.1f} s", flush=True)
    reset_sequences()


def view_events(events: int, seed: int, now: datetime):
    """Yield (article_id, hour) for reader views over the last 7 days."""
    rng = random.Random(seed + 1)
    week_ago = now - timedelta(days=7)
    rows = list(
        Article.objects.published()
        .filter(published_at__gte=week_ago - timedelta(days=1))
        .order_by("pk")
        .values_list("pk", "published_at")
    )
    archive_max = Article.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    rng.shuffle(rows)  # who gets to be a hit is random, not the newest
    weights = zipf_weights(len(rows), 0.9)
    now_hour = trending.hour_of(now)
    fresh = rng.choices(rows, weights, k=int(events * 0.75)) if rows else []
    for pk, published in fresh:
        first = max(trending.hour_of(published), now_hour - 167)
        # Most reading happens soon after publication.
        yield pk, min(now_hour, first + int(rng.expovariate(1 / 12)))
    for _ in range(events - len(fresh)):
        yield rng.randint(1, archive_max), now_hour - rng.randint(0, 167)


def load_views(events: int, seed: int, now: datetime, redis_url: str) -> dict:
    started = time.monotonic()
    counts = Counter(view_events(events, seed, now))
    HourlyViews.objects.all()._raw_delete(connection.alias)
    with transaction.atomic():
        items = list(counts.items())
        for start in range(0, len(items), 50_000):
            insert(
                HourlyViews,
                [{"article_id": a, "hour": h, "views": v} for (a, h), v in items[start : start + 50_000]],
            )
    result = {
        "events": sum(counts.values()),
        "hourly_rows": len(counts),
        "database_seconds": time.monotonic() - started,
    }
    if redis_url:
        started = time.monotonic()
        backend = trending.RedisBackend(redis_url)
        for key in backend.client.scan_iter(f"{backend.prefix}:*"):
            backend.client.delete(key)
        pipe = backend.client.pipeline(transaction=False)
        sent = 0
        # Raw events, one ZINCRBY each, as the beacon sends them (hour keys expire after the window).
        for (article_id, hour), views in items:
            for _ in range(views):
                pipe.zincrby(backend.key(hour), 1, article_id)
                sent += 1
            if sent >= 20_000:
                pipe.execute()
                sent = 0
        for hour in {hour for _article, hour in counts}:
            pipe.expireat(backend.key(hour), (hour + settings.TRENDING_WINDOW_HOURS + 1) * 3600)
        pipe.execute()
        result["redis_seconds"] = time.monotonic() - started
    return result


def make_photo_file() -> None:
    """One small JPEG that every generated photo row points at, so pages render real <img> tags."""
    from PIL import Image

    path = Path(settings.MEDIA_ROOT) / "photos" / "bench" / "lead.jpg"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        Image.new("RGB", (1200, 800), (90, 110, 130)).save(path, quality=70)


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stories", type=int, default=100_000)
    parser.add_argument("--authors", type=int, default=500)
    parser.add_argument("--sections", type=int, default=20)
    parser.add_argument("--tags", type=int, default=5000)
    parser.add_argument(
        "--events", type=int, help="reader views over the last 7 days (default: 10 per story)"
    )
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--views-only", action="store_true", help="keep the stories, refresh the views")
    parser.add_argument("--json", help="also write the summary to this file")
    args = parser.parse_args(argv)
    events = args.events if args.events is not None else args.stories * 10
    now = datetime.now(UTC)
    print(f"Database: {connection.vendor} {connection.settings_dict['NAME']}", flush=True)
    started = time.monotonic()
    call_command("migrate", verbosity=0, interactive=False)  # with --views-only too, for new tables
    if not args.views_only:
        make_photo_file()
        empty_tables()
        build(
            args.stories,
            min(args.authors, args.stories),
            args.sections,
            min(args.tags, args.stories * 2),
            args.seed,
            now,
        )
    content_seconds = time.monotonic() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    views = load_views(events, args.seed, now, settings.REDIS_URL)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    summary = {"stories": Article.objects.count(), "content_seconds": round(content_seconds, 1), **views}
    made = "kept" if args.views_only else f"made in {content_seconds:.1f} s"
    print(
        f"{summary['stories']} stories {made}; {views['events']} views as "
        f"{views['hourly_rows']} hourly rows in {views['database_seconds']:.1f} s"
        + (f", to Redis in {views['redis_seconds']:.1f} s" if "redis_seconds" in views else ""),
        flush=True,
    )
    if args.json:
        Path(args.json).write_text(json.dumps(summary))
    return summary


if __name__ == "__main__":
    main()
