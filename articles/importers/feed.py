"""RSS 0.9x/2.0 and Atom feeds, read by feedparser (encodings, dialects and dates in the wild)."""

import calendar
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import feedparser

from articles.importers.html import strip_tags, text_to_html
from articles.importers.names import split_names
from articles.importers.records import ArticleRecord, BadItem, BylineRecord, Item, PhotoRecord, SourceError

SOURCE = "feed"
HARMLESS = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
_CONTINUE_READING = re.compile(r"\s*<a\b[^>]*>\s*(continue reading|read more)[^<]*</a>\s*$", re.IGNORECASE)


def parse(data: bytes, *, name: str) -> Iterator[Item]:
    """Yield every entry of a feed; feed items count as published."""
    if not data.strip():
        raise SourceError(f"{name}: empty file")
    if _ENTITY_DECLARATION.search(data[:65536]):  # feeds never need them; they are how entity bombs start
        raise SourceError(f"{name}: refused: the feed declares XML entities")
    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if isinstance(problem, HARMLESS):
        problem = None
    if problem is not None or not parsed.entries:
        # feedparser would guess its way through broken XML; a half-read item must not go live
        reason = " ".join(str(problem).split()) if problem is not None else "no items"
        raise SourceError(f"{name}: not a readable RSS or Atom feed ({reason})")
    feed_author = parsed.feed.get("author", "")
    for index, entry in enumerate(parsed.entries, start=1):
        yield _entry(entry, f"{name}: item {index}", feed_author)


def _when(entry: dict, key: str) -> datetime | None:
    parsed: time.struct_time | None = entry.get(f"{key}_parsed")
    return datetime.fromtimestamp(calendar.timegm(parsed), UTC) if parsed else None


def _entry(entry: dict, where: str, feed_author: str) -> Item:
    key = (entry.get("id") or entry.get("link") or "").strip()
    title = " ".join(strip_tags(entry.get("title", "")).split())
    where = f"{where} ({key})" if key else where
    if not key:
        return BadItem(where, "no guid or link")
    if not title:
        return BadItem(where, "no title", key)
    record = ArticleRecord(source=SOURCE, external_id=key, headline=title, where=where, status="published")
    content = entry.get("content") or []
    chosen = next((c for c in content if "html" in c.get("type", "")), content[0] if content else None)
    if chosen is None and entry.get("summary"):
        chosen = entry.get("summary_detail") or {"value": entry["summary"], "type": "text/html"}
    if chosen is not None:
        value = chosen.get("value", "")
        html = value if "html" in chosen.get("type", "text/html") else text_to_html(value)
        record.body = _CONTINUE_READING.sub("", html)
    if content and entry.get("summary"):
        record.dek = strip_tags(entry["summary"])[:1000]
    names = [a.get("name", "") for a in entry.get("authors") or [] if a.get("name")]
    byline = ", ".join(names) or entry.get("author", "") or feed_author
    record.bylines = [BylineRecord(name=n) for n in split_names(byline)]
    record.published_at = _when(entry, "published") or _when(entry, "updated")
    updated = _when(entry, "updated")
    if record.published_at and updated and updated > record.published_at:
        record.revised_at = updated
    if record.published_at is None and entry.get("published"):
        record.warnings.append(f"date {entry['published']!r} could not be read")
    for tag in entry.get("tags") or []:
        term = " ".join((tag.get("label") or tag.get("term") or "").split())
        if term and "/" not in term.strip("/") and term not in record.tags:
            record.tags.append(term)
    record.lead_photo = _photo(entry)
    return record


def _photo(entry: dict) -> PhotoRecord | None:
    media = [
        m for m in entry.get("media_content") or [] if m.get("medium", "image") == "image" and m.get("url")
    ]
    enclosures = [e for e in entry.get("enclosures") or [] if str(e.get("type", "")).startswith("image/")]
    credits = [c.get("content", "") for c in entry.get("media_credit") or [] if c.get("content")]
    if not media and not enclosures:
        return None
    largest = max(media, key=lambda m: int(m.get("width") or 0), default=None)
    url = largest["url"] if largest else enclosures[0].get("href", "")
    caption = strip_tags(entry.get("media_description", "") or "")
    return PhotoRecord(url=url, credit=credits[0] if credits else "", caption=caption)
