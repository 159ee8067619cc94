"""Newsroom's own JSON Lines: one story per line, the schema export_articles writes (docs/importing.md).

Streamed line by line, so a file of any size is read in constant memory.
"""

import io
import json
from collections.abc import Iterator
from typing import Any, BinaryIO

from articles.importers import elements
from articles.importers.dates import parse_iso
from articles.importers.records import (
    MAX_JSON_DEPTH,
    ArticleRecord,
    BadItem,
    BylineRecord,
    Item,
    PhotoRecord,
    SourceError,
    too_deep,
)

SOURCE = "jsonl"
SCHEMA = "newsroom-article/1"
STATUSES = {"draft", "published"}


def parse(source: bytes | BinaryIO, *, name: str) -> Iterator[Item]:
    """Yield one record (or one BadItem naming the line) per non-blank line."""
    stream = io.BytesIO(source) if isinstance(source, bytes) else source
    seen_any = False
    for number, raw in enumerate(stream, start=1):
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if not raw.strip():
            continue
        seen_any = True
        where = f"{name}: line {number}"
        try:
            obj = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError as error:
            yield BadItem(where, f"not UTF-8 at byte {error.start}")
            continue
        except json.JSONDecodeError as error:
            yield BadItem(where, f"invalid JSON at column {error.colno}: {error.msg}")
            continue
        except RecursionError:
            yield BadItem(where, f"JSON nested more than {MAX_JSON_DEPTH} levels deep")
            continue
        # a line with fewer brackets than the limit cannot nest deeper, and is not walked
        if raw.count(b"[") + raw.count(b"{") > MAX_JSON_DEPTH and too_deep(obj):
            yield BadItem(where, f"JSON nested more than {MAX_JSON_DEPTH} levels deep")
            continue
        yield record(obj, where)
    if not seen_any:
        raise SourceError(f"{name}: empty file")


def _text(obj: dict, key: str) -> str:
    value = obj.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"{key!r} must be a string")
    return value


def _list(obj: dict, key: str) -> list:
    """A list of names; one name ("authors": "Jane Doe") is a list of one, not of its letters."""
    value = obj.get(key)
    if value is None or value == "":
        return []
    if isinstance(value, str | dict):
        return [value]
    if not isinstance(value, list):
        raise ValueError(f"{key!r} must be a list")
    return value


def _named(value: Any, key: str) -> tuple[str, str]:
    """("name", "slug") from "Name" or {"name": ..., "slug": ...}."""
    if isinstance(value, str):
        return " ".join(value.split()), ""
    if isinstance(value, dict) and isinstance(value.get("name"), str):
        return " ".join(value["name"].split()), str(value.get("slug") or "")
    raise ValueError(f"{key!r} entries must be strings or objects with a name")


def record(obj: Any, where: str) -> Item:
    if not isinstance(obj, dict):
        return BadItem(where, f"expected a JSON object, got {type(obj).__name__}")
    story_id = obj.get("id")
    if story_id is None or str(story_id).strip() == "":
        return BadItem(where, "no id")
    story_id = str(story_id).strip()
    try:
        headline = " ".join(_text(obj, "headline").split())
        if not headline:
            return BadItem(f"{where} (id {story_id})", "no headline", story_id)
        result = ArticleRecord(
            source=_text(obj, "source").strip() or SOURCE,
            external_id=story_id,
            headline=headline,
            where=f"{where} (id {story_id})",
            body=_text(obj, "body"),
            dek=_text(obj, "dek"),
            slug=_text(obj, "slug"),
            dateline_place=_text(obj, "dateline_place"),
            seo_title=_text(obj, "seo_title"),
            seo_description=_text(obj, "seo_description"),
        )
        status = obj.get("status")
        if status is not None and status not in STATUSES:
            raise ValueError(f"status must be 'draft' or 'published', not {status!r}")
        result.status = status
        for key in ("published_at", "revised_at"):
            value = obj.get(key)
            if value in (None, ""):
                continue
            parsed = parse_iso(str(value))
            if parsed is None:
                raise ValueError(f"{key} {value!r} is not an ISO 8601 date-time")
            setattr(result, key, parsed)
        if obj.get("section"):
            result.section, result.section_slug = _named(obj["section"], "section")
        for author in _list(obj, "authors"):
            name, slug = _named(author, "authors")
            role = author.get("role", "") if isinstance(author, dict) else ""
            result.bylines.append(BylineRecord(name=name, role=str(role or ""), slug=slug))
        for tag in _list(obj, "tags"):
            name, slug = _named(tag, "tags")
            result.tags.append(name)
            if slug:
                result.tag_slugs[name] = slug
        photo = obj.get("lead_photo")
        if isinstance(photo, dict):
            result.lead_photo = PhotoRecord(
                **{k: str(photo.get(k) or "") for k in ("caption", "credit", "alt_text", "url", "file")}
            )
        elif photo is not None:
            raise ValueError("lead_photo must be an object or null")
        result.body_photos = elements.parse_photos(obj.get("body_photos"))
    except ValueError as error:
        return BadItem(f"{where} (id {story_id})", str(error), story_id)
    return result
