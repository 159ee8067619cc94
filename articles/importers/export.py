"""Write stories out: our JSON Lines (which import_articles reads back) or ninjs 3.0 for partners.

JSON Lines is the lossless one: importing it into an empty database recreates the same stories, bylines
(order and roles), tags, sections and photo metadata. The schema is in docs/importing.md.
"""

import json
from collections.abc import Callable, Iterable, Iterator
from typing import TextIO

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from articles import ninjs
from articles.importers import elements
from articles.importers.jsonl import SCHEMA
from articles.models import Article, Byline, out_of_embargo

OWN_SOURCE = "newsroom"  # stories written here (no source of their own) export under this source


def stories(*, everything: bool = False, embargoed: bool = False) -> QuerySet:
    """Published stories (or all of them), with what the export needs fetched in a few queries per chunk.

    Embargoed stories only when asked: a file leaves the newsroom's control, and the schema has no embargo,
    so a re-import would publish them at once.
    """
    queryset = Article.objects.all() if everything else Article.objects.published()
    if not embargoed:
        queryset = queryset.filter(out_of_embargo(timezone.now()))
    return (
        queryset.select_related("section", "lead_photo")
        .prefetch_related(Prefetch("bylines", queryset=Byline.objects.select_related("author")), "tags")
        .order_by("pk")
    )


def _time(value) -> str | None:
    return value.isoformat() if value else None


def record(article: Article) -> dict:
    """One story in the documented JSON Lines schema."""
    photo = article.lead_photo
    return {
        "schema": SCHEMA,
        "id": article.external_id or str(article.pk),
        "source": article.source or OWN_SOURCE,
        "headline": article.headline,
        "slug": article.slug,
        "dek": article.dek,
        "body": article.body,
        "status": article.status,
        "published_at": _time(article.published_at),
        "revised_at": _time(article.revised_at),
        "section": {"name": article.section.name, "slug": article.section.slug},
        "authors": [
            {"name": b.author.name, "slug": b.author.slug, "role": b.role} for b in article.bylines.all()
        ],
        "tags": [
            {"name": tag.name, "slug": tag.slug} for tag in sorted(article.tags.all(), key=lambda t: t.name)
        ],
        "dateline_place": article.dateline_place,
        "lead_photo": None
        if photo is None
        else {
            "caption": photo.caption,
            "credit": photo.credit,
            "alt_text": photo.alt_text,
            "file": photo.image.name if photo.image else "",
        },
        "body_photos": elements.export_photos(article),  # what the body's photo numbers stand for
        "seo_title": article.seo_title,
        "seo_description": article.seo_description,
        "url": article.get_absolute_url(),
    }


def _chunked(queryset: QuerySet) -> Iterator[Article]:
    return queryset.iterator(chunk_size=500)


def write_jsonl(articles: Iterable[Article], out: TextIO) -> int:
    count = 0
    for article in articles:
        out.write(json.dumps(record(article), ensure_ascii=False) + "\n")
        count += 1
    return count


def write_ninjs(articles: Iterable[Article], out: TextIO, absolute: Callable[[str], str]) -> int:
    """ninjs 3.0 documents, one per line (JSON Lines); published stories only: ninjs is for syndication."""
    count = 0
    for article in articles:
        if not article.is_published():
            continue
        out.write(json.dumps(ninjs.story(article, absolute), ensure_ascii=False) + "\n")
        count += 1
    return count


def export(
    out: TextIO, *, fmt: str = "jsonl", everything: bool = False, embargoed: bool = False, base_url: str = ""
) -> int:
    """Write the stories to `out`; return how many were written."""
    articles = _chunked(stories(everything=everything, embargoed=embargoed))
    if fmt == "ninjs":
        return write_ninjs(articles, out, lambda path: base_url.rstrip("/") + path)
    return write_jsonl(articles, out)
