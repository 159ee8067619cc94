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

from articles.importers import elements
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


def _problem(problem: Exception | None, lines_added: int) -> str:
    """What feedparser found wrong, in one line, naming the feed's line where the XML reader stopped."""
    if problem is None:
        return "no items"
    if hasattr(problem, "getLineNumber"):  # the XML reader's error
        line = problem.getLineNumber() - lines_added
        return f"line {line}, column {problem.getColumnNumber()}: {problem.getMessage()}"
    return " ".join(str(problem).split())


def parse(data: bytes, *, name: str) -> Iterator[Item]:
    """Yield every entry of a feed; feed items count as published."""
    if not data.strip():
        raise SourceError(f"{name}: empty file")
    data, recovered = _declaration_first(data)
    if recovered:
        yield Recovered(name, recovered)
    if _ENTITY_DECLARATION.search(data[:65536]):  # feeds never need them; they are how entity bombs start
        raise SourceError(f"{name}: refused: the feed declares XML entities")
    parsed = feedparser.parse(_captions_hidden(data), sanitize_html=False, resolve_relative_uris=False)
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if isinstance(problem, HARMLESS):
        problem = None
    # feedparser puts an XML declaration of its own on a line before a feed that has none
    reason = _problem(problem, lines_added=0 if data.lstrip().startswith(b"<?xml") else 1)
    if not parsed.entries:
        raise SourceError(f"{name}: not a readable RSS or Atom feed ({reason})")
    if problem is not None:
        # feedparser reads a feed that is not well-formed as feed readers do, guessing its way past the
        # error: every story is kept, but as a draft, for a guess must not go live by itself
        count = len(parsed.entries)
        yield Recovered(
            name,
            f"not well-formed XML ({reason}): read as feed readers read it, with feedparser's lenient "
            f"parser; {'its story' if count == 1 else f'its {count} stories'} kept as "
            f"{'a draft' if count == 1 else 'drafts'} for an editor to check",
        )
    feed_author = parsed.feed.get("author", "")
    media = _media(data, len(parsed.entries)) if b"mrss" in data or b"enclosure" in data else None
    for index, entry in enumerate(parsed.entries, start=1):
        record = _entry(entry, f"{name}: item {index}", feed_author)
        if isinstance(record, ArticleRecord):
            if problem is not None:
                record.status = "draft"
                record.warnings.append(
                    "from a feed that is not well-formed: kept as a draft; check it, publish it"
                )
            pictures, notes = media[index - 1] if media is not None else _feedparser_pictures(entry)
            record.warnings += notes
            if pictures:
                record.lead_photo = pictures[0]
                _extra_pictures(record, pictures[1:])
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


# feedparser reads a media:description as a description (its Media RSS handler is the RSS one): of an item's
# description and captions, the first became the summary and the next the content, so a caption could become
# the body or the dek. Their tags are renamed for feedparser to an element it keeps nothing of; the captions
# are read from the XML tree (_media).
_MRSS_PREFIX = re.compile(rb"""xmlns:([A-Za-z_][\w.-]*)\s*=\s*["']https?://search\.yahoo\.com/mrss/?["']""")


def _captions_hidden(data: bytes) -> bytes:
    """The feed with its media:description tags renamed, whatever prefix stands for Media RSS."""
    prefixes = set(_MRSS_PREFIX.findall(data))
    if not prefixes:
        return data
    tags = re.compile(rb"<(/?)(" + b"|".join(map(re.escape, prefixes)) + rb"):description(?=[\s/>])")
    return tags.sub(rb"<\1\2:caption-not-description", data)


MRSS = re.compile(r"^\{https?://search\.yahoo\.com/mrss/?\}")
_ATOM_LINK = "{http://www.w3.org/2005/Atom}link"
_ITEMS = ("item", "{http://www.w3.org/2005/Atom}entry", "{http://purl.org/rss/1.0/}item")


def _mrss(element, name: str) -> bool:
    return MRSS.match(element.tag) is not None and element.tag.endswith("}" + name)


def _address(media) -> str:
    return (media.get("url") or media.get("href") or "").strip()


def _is_image(media) -> bool:
    """Whether a media:content or an enclosure is a picture: its medium says, else its type, else (neither
    given) its file name. A video typed video/mp4 with no medium is no photo (#16)."""
    medium, kind = media.get("medium") or "", media.get("type") or ""
    if medium or kind:
        return medium == "image" if medium else kind.startswith("image/")
    return elements.is_image(_address(media))


def _enclosure(element) -> bool:
    """An RSS enclosure or an Atom link to one (a podcast's audio too: only pictures are kept)."""
    return element.tag == "enclosure" or (element.tag == _ATOM_LINK and element.get("rel") == "enclosure")


def _left_out(media, element: str = "media:content") -> str:
    kind = media.get("medium") or media.get("type") or ""
    what = f"{element} {_address(media)}" + (f" ({kind})" if kind else "")
    return f"{what} is not a picture; left out of the story"


def _width(media) -> int:
    width = media.get("width") or ""
    return int(width) if str(width).isdigit() else 0


def _media(data: bytes, count: int) -> list[tuple[list[PhotoRecord], list[str]]] | None:
    """Each item's pictures and what was left out (_pictures); None when the feed cannot be read so."""
    try:
        root = fromstring(data, forbid_dtd=True)
    except (ParseError, DefusedXmlException, ValueError):
        return None
    items = [element for element in root.iter() if element.tag in _ITEMS]
    if len(items) != count:  # not the entries feedparser found: feedparser's view rather than a wrong one
        return None
    return [_pictures(item) for item in items]


def _pictures(item) -> tuple[list[PhotoRecord], list[str]]:
    """An item's pictures, in order, each once, and a warning per media:content that is not one.

    A media:group is one picture (its copies in several sizes), so is a media:content, or an image enclosure;
    two addresses that differ only in their query (Guardian's ?w=140 and ?w=460) are one picture too. The
    largest copy is kept, with its own media:description and media:credit, else its group's; the item's own
    go to its first picture (caption) and to all of them (credit).
    """
    pictures: dict[str, PhotoRecord] = {}
    widths: dict[str, int] = {}
    notes: list[str] = []
    description, credit = _texts(item)
    for child in item:
        if _mrss(child, "group"):
            media, shared = [c for c in child if _mrss(c, "content")], _texts(child)
        elif _mrss(child, "content") or _enclosure(child):
            media, shared = [child], ("", "")
        else:
            continue
        media = [m for m in media if _address(m)]
        copies = [m for m in media if _is_image(m)]
        if not copies:  # one note for a group: its copies are one video in several sizes
            notes += (
                [_left_out(media[0], "enclosure" if _enclosure(child) else "media:content")] if media else []
            )
            continue
        largest = max(copies, key=_width)
        url, width = _address(largest), _width(largest)
        same = url.split("?", 1)[0]
        if same in pictures and widths[same] >= width:
            continue
        own, first = _texts(largest), next(iter(pictures), same) == same
        widths[same] = width
        pictures[same] = PhotoRecord(
            url=url,
            caption=own[0] or shared[0] or (description if first else ""),
            credit=own[1] or shared[1] or credit,
            label=f"picture {url}",
        )
    return list(pictures.values()), notes


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
    record.bylines = [BylineRecord(name=n, affiliation=a) for n, a in split_bylines(byline)]
    record.published_at = _when(entry, "published") or _when(entry, "updated")
    updated = _when(entry, "updated")
    if record.published_at and updated and updated > record.published_at:
        record.revised_at = updated
    if record.published_at is None and entry.get("published"):
        record.warnings.append(f"date {entry['published']!r} could not be read")
    record.tags = _tags(entry.get("tags") or [])
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


def _feedparser_pictures(entry: dict) -> tuple[list[PhotoRecord], list[str]]:
    """The lead photo as feedparser sees the item, when the XML tree cannot be read (no caption: feedparser
    cannot tell whose a media:description is)."""
    media = [m for m in entry.get("media_content") or [] if _address(m)]
    images = [m for m in media if _is_image(m)]
    attached = [e for e in entry.get("enclosures") or [] if _address(e)]
    enclosures = [e for e in attached if str(e.get("type", "")).startswith("image/")]
    credits = [c.get("content", "") for c in entry.get("media_credit") or [] if c.get("content")]
    notes = [_left_out(m) for m in media if not _is_image(m)]
    notes += [_left_out(e, "enclosure") for e in attached if e not in enclosures]
    if not images and not enclosures:
        return [], notes
    url = _address(max(images, key=_width)) if images else _address(enclosures[0])
    return [PhotoRecord(url=url, credit=credits[0] if credits else "")], notes
