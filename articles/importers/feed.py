"""RSS 0.9x/2.0 and Atom feeds, read by feedparser (encodings, dialects and dates in the wild)."""

import calendar
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from html import escape, unescape

import feedparser
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring
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
    pictures = _pictures(data, len(parsed.entries)) if b"mrss" in data or b"<enclosure" in data else []
    for index, entry in enumerate(parsed.entries, start=1):
        media = descriptions[index - 1] if descriptions else []
        record = _entry(entry, f"{name}: item {index}", feed_author, media)
        if pictures and isinstance(record, ArticleRecord):
            _extra_pictures(record, pictures[index - 1])
        yield record


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


MRSS = re.compile(r"^\{https?://search\.yahoo\.com/mrss/?\}")
_ITEMS = ("item", "{http://www.w3.org/2005/Atom}entry", "{http://purl.org/rss/1.0/}item")


def _mrss(element, name: str) -> bool:
    return MRSS.match(element.tag) is not None and element.tag.endswith("}" + name)


def _is_image(content) -> bool:
    medium, kind = content.get("medium", ""), content.get("type", "")
    return medium == "image" or kind.startswith("image/") or (not medium and not kind)


def _pictures(data: bytes, count: int) -> list[list[PhotoRecord]]:
    """Each item's pictures, in order, each once: a media:group is one picture (its copies in several sizes),
    so is a media:content, or an image enclosure; two addresses that differ only in their query (Guardian's
    ?w=140 and ?w=460) are one picture too. The largest copy is kept. [] when the feed cannot be read so."""
    try:
        root = fromstring(data, forbid_dtd=True)
    except (ParseError, DefusedXmlException, ValueError):
        return []
    items = [element for element in root.iter() if element.tag in _ITEMS]
    if len(items) != count:  # not the entries feedparser found: no extra picture rather than a wrong one
        return []
    found = []
    for item in items:
        pictures: dict[str, PhotoRecord] = {}
        widths: dict[str, int] = {}
        description, credit = _texts(item)
        for child in item:
            if _mrss(child, "group"):
                copies = [c for c in child if _mrss(c, "content") and _is_image(c) and c.get("url")]
                texts = _texts(child)
            elif _mrss(child, "content") and _is_image(child) and child.get("url"):
                copies, texts = [child], _texts(child)
            elif child.tag == "enclosure" and child.get("type", "").startswith("image/") and child.get("url"):
                copies, texts = [child], ("", "")
            else:
                continue
            largest = max(
                copies, key=lambda c: int(c.get("width") or 0) if (c.get("width") or "").isdigit() else 0
            )
            url = largest.get("url", "").strip()
            same = url.split("?", 1)[0]
            width = int(largest.get("width")) if (largest.get("width") or "").isdigit() else 0
            if same in pictures and widths[same] >= width:
                continue
            widths[same] = width
            pictures[same] = PhotoRecord(
                url=url,
                caption=texts[0] or (description if not pictures else ""),
                credit=texts[1] or credit,
                label=f"picture {url}",
            )
        found.append(list(pictures.values()))
    return found


def _texts(element) -> tuple[str, str]:
    """The media:description and media:credit directly under `element`."""
    description = credit = ""
    for child in element:
        if _mrss(child, "description") and not description:
            description = (
                strip_tags(unescape(child.text or ""))
                if child.get("type") == "html"
                else " ".join((child.text or "").split())
            )
        elif _mrss(child, "credit") and not credit:
            credit = " ".join((child.text or "").split())
    return description, credit


def _extra_pictures(record: ArticleRecord, pictures: list[PhotoRecord]) -> None:
    """The item's pictures beyond the lead photo at the end of its body: a photo, or a gallery (#14)."""
    lead = record.lead_photo.url.split("?", 1)[0] if record.lead_photo else ""
    others = [
        p for p in pictures if p.url.split("?", 1)[0] != lead and escape(p.url, quote=True) not in record.body
    ]
    if not others:
        return
    record.body_photos = {str(number): photo for number, photo in enumerate(others, start=1)}
    kind = "photo" if len(others) == 1 else "gallery"
    record.body = f'{record.body}\n<figure data-{kind}="{" ".join(record.body_photos)}"></figure>'


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
