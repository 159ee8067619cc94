"""RSS 0.9x/2.0 and Atom feeds, read by feedparser (encodings, dialects and dates in the wild)."""

import calendar
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from html import escape, unescape

import feedparser
from django.utils.text import slugify

from articles.importers.html import strip_tags, text_to_html
from articles.importers.names import split_bylines
from articles.importers.records import (
    ArticleRecord,
    BadItem,
    BylineRecord,
    Item,
    PhotoRecord,
    Recovered,
    SourceError,
)

SOURCE = "feed"
HARMLESS = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
_CONTINUE_READING = re.compile(r"\s*<a\b[^>]*>\s*(continue reading|read more)[^<]*</a>\s*$", re.IGNORECASE)


def parse(data: bytes, *, name: str) -> Iterator[Item]:
    """Yield every entry of a feed; feed items count as published."""
    if not data.strip():
        raise SourceError(f"{name}: empty file")
    data, recovered = _declaration_first(data)
    if recovered:
        yield Recovered(name, recovered)
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
    descriptions = _media_descriptions(data) if b"description" in data else []
    if len(descriptions) != len(
        parsed.entries
    ):  # items the regex miscounted: no caption rather than a wrong one
        descriptions = []
    for index, entry in enumerate(parsed.entries, start=1):
        media = descriptions[index - 1] if descriptions else []
        yield _entry(entry, f"{name}: item {index}", feed_author, media)


def _declaration_first(data: bytes) -> tuple[bytes, str]:
    """The feed with what comes before `<?xml` removed, as browsers and feed readers do, and what was done.

    XML allows nothing before its declaration; a blank line there (a PHP file's stray newline) is common.
    """
    bom = data.startswith(b"\xef\xbb\xbf")
    body = data[3:] if bom else data
    stripped = body.lstrip(b" \t\r\n")
    if stripped is body or not stripped.startswith(b"<?xml"):
        return data, ""
    lines = body[: len(body) - len(stripped)].count(b"\n")
    what = f"{lines} blank line{'s' if lines != 1 else ''}" if lines else "white space"
    return (
        b"\xef\xbb\xbf" if bom else b""
    ) + stripped, f"{what} before <?xml removed (read as a browser does)"


_ITEM = re.compile(rb"<(item|entry)\b.*?</\1\s*>", re.DOTALL)
_MEDIA_DESCRIPTION = re.compile(rb"<media:description\b[^>]*>(.*?)</media:description\s*>", re.DOTALL)
_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.DOTALL)


def _media_descriptions(data: bytes) -> list[list[str]]:
    """Each item's media:description texts (feedparser reads them as content, losing the caption)."""
    found = []
    for item in _ITEM.finditer(data):
        texts = []
        for match in _MEDIA_DESCRIPTION.finditer(item.group(0)):
            raw = match.group(1).decode("utf-8", errors="replace")
            if "<![CDATA[" in raw:
                raw = _CDATA.sub(lambda m: escape(m.group(1), quote=False), raw)
            text = strip_tags(unescape(raw))
            if text:
                texts.append(text)
        found.append(texts)
    return found


def _when(entry: dict, key: str) -> datetime | None:
    # dict.get: feedparser's get() answers "updated" with the published time, and warns, when none is given
    parsed: time.struct_time | None = dict.get(entry, f"{key}_parsed")
    return datetime.fromtimestamp(calendar.timegm(parsed), UTC) if parsed else None


def _entry(entry: dict, where: str, feed_author: str, media_descriptions: list[str]) -> Item:
    key = (entry.get("id") or entry.get("link") or "").strip()
    title = " ".join(strip_tags(entry.get("title", "")).split())
    where = f"{where} ({key})" if key else where
    if not key:
        return BadItem(where, "no guid or link")
    if not title:
        return BadItem(where, "no title", key)
    record = ArticleRecord(source=SOURCE, external_id=key, headline=title, where=where, status="published")
    content = [
        c for c in entry.get("content") or [] if strip_tags(c.get("value", "")) not in media_descriptions
    ]
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
    record.bylines = [BylineRecord(name=n, affiliation=a) for n, a in split_bylines(byline)]
    record.published_at = _when(entry, "published") or _when(entry, "updated")
    updated = _when(entry, "updated")
    if record.published_at and updated and updated > record.published_at:
        record.revised_at = updated
    if record.published_at is None and entry.get("published"):
        record.warnings.append(f"date {entry['published']!r} could not be read")
    record.tags = _tags(entry.get("tags") or [])
    record.lead_photo = _photo(entry, media_descriptions)
    return record


_SLUG_LIKE = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")


def _tags(terms: list[dict]) -> list[str]:
    """Distinct category names; a feed listing each category by name and again by slug gives one tag each.

    "iPhone/iPad" is one tag: a slash is part of a name, not a path.
    """
    tags: dict[str, str] = {}  # slug -> name as shown
    for tag in terms:
        term = " ".join((tag.get("label") or tag.get("term") or "").split())
        key = slugify(term)
        if not term or not key:
            continue
        shown = tags.get(key)
        if shown is None:
            tags[key] = term
        elif _SLUG_LIKE.match(shown) and not _SLUG_LIKE.match(term):
            tags[key] = term  # the name beats the slug that came first
    return list(tags.values())


def _photo(entry: dict, media_descriptions: list[str]) -> PhotoRecord | None:
    media = [
        m for m in entry.get("media_content") or [] if m.get("medium", "image") == "image" and m.get("url")
    ]
    enclosures = [e for e in entry.get("enclosures") or [] if str(e.get("type", "")).startswith("image/")]
    credits = [c.get("content", "") for c in entry.get("media_credit") or [] if c.get("content")]
    if not media and not enclosures:
        return None
    largest = max(media, key=lambda m: int(m.get("width") or 0), default=None)
    url = largest["url"] if largest else enclosures[0].get("href", "")
    caption = (
        media_descriptions[0] if media_descriptions else strip_tags(entry.get("media_description", "") or "")
    )
    return PhotoRecord(url=url, credit=credits[0] if credits else "", caption=caption)
