"""WordPress eXtended RSS (WXR 1.0-1.2), streamed so memory stays flat on a multi-gigabyte export.

Namespaces come from the document: any http(s)://wordpress.org/export/1.x/ URI is WordPress's, whatever its
prefix; a `wp:` prefix bound to another URI is not. Two passes over the file: the first collects the channel
(site URL, authors) and the attachments (featured images may come after the post that uses them), the second
yields the posts. Entity declarations and external entities are refused (defusedxml; a file with no DOCTYPE
cannot have them and is read by Python's own expat reader, see `_no_doctype`).
"""

import io
import re
from collections.abc import Iterator
from datetime import UTC, datetime, tzinfo
from html import unescape
from pathlib import PurePath
from typing import BinaryIO
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree
from xml.etree.ElementTree import Element, ParseError
from xml.parsers import expat

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse as defused_iterparse

from articles.importers import elements, wordpress
from articles.importers.html import strip_tags
from articles.importers.names import clean
from articles.importers.records import (
    ArticleRecord,
    BadItem,
    BylineRecord,
    Item,
    PhotoRecord,
    Recovered,
    Skipped,
    SourceError,
)

SOURCE = "wxr"
WP_NS = re.compile(r"^https?://wordpress\.org/export/1\.[0-9]+/$")
EXCERPT_NS = re.compile(r"^https?://wordpress\.org/export/1\.[0-9]+/excerpt/$")
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"
VERSIONS = {"1.0", "1.1", "1.2"}
STATUSES = {"publish": "published", "future": "published", "draft": "draft", "pending": "draft",
            "private": "draft", "auto-draft": "draft"}  # fmt: skip

_names: dict[str, str] = {}


def name_of(tag: str) -> str:
    """The tag as wp:post_id (any WordPress export namespace), content:encoded, dc:creator, or plain."""
    known = _names.get(tag)
    if known is not None:
        return known
    name = tag
    if tag.startswith("{"):
        uri, local = tag[1:].split("}", 1)
        if WP_NS.match(uri):
            name = "wp:" + local
        elif EXCERPT_NS.match(uri):
            name = "excerpt:" + local
        elif uri == CONTENT_NS:
            name = "content:" + local
        elif uri == DC_NS:
            name = "dc:" + local
        else:
            name = "other:" + local
    _names[tag] = name
    return name


def _text(element: Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def _children(item: Element) -> dict[str, Element]:
    """The first direct child of each name (comments and their meta are nested deeper and stay out)."""
    found: dict[str, Element] = {}
    for child in item:
        found.setdefault(name_of(child.tag), child)
    return found


def _meta(item: Element) -> dict[str, str]:
    meta = {}
    for child in item:
        if name_of(child.tag) == "wp:postmeta":
            fields = _children(child)
            key = _text(fields.get("wp:meta_key"))
            if key:
                meta[key] = (fields["wp:meta_value"].text or "") if "wp:meta_value" in fields else ""
    return meta


class _Malformed(SourceError):
    """Malformed XML, with expat's error code so the few a lenient reader gets past can be told apart."""

    def __init__(self, message: str, code: int | None) -> None:
        super().__init__(message)
        self.code = code


UNBOUND_PREFIX, MISPLACED_DECLARATION = 27, 17  # expat's error codes
# What the prefixes old exports use without declaring them mean (exitwp and WordPress's importer read them).
KNOWN_PREFIXES = {
    "atom": "http://www.w3.org/2005/Atom",
    "wp": "http://wordpress.org/export/1.0/",
    "excerpt": "http://wordpress.org/export/1.0/excerpt/",
    "content": CONTENT_NS,
    "dc": DC_NS,
    "wfw": "http://wellformedweb.org/CommentAPI/",
    "media": "http://search.yahoo.com/mrss/",
    "georss": "http://www.georss.org/georss",
    "geo": "http://www.w3.org/2003/01/geo/wgs84_pos#",
    "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
}
_RSS_TAG = re.compile(rb"<rss\b[^>]*?(/?)>")
_DECLARED = re.compile(rb"\bxmlns:([A-Za-z_][\w.-]*)\s*=")
_PREFIXED = re.compile(rb"<([A-Za-z_][\w.-]*):[A-Za-z_]|\s([A-Za-z_][\w.-]*):[A-Za-z_][\w.-]*\s*=")


class _Repaired:
    """A file read with its first `cut` bytes replaced by `head` (iterparse only reads and seeks to 0)."""

    def __init__(self, stream: BinaryIO, head: bytes, cut: int) -> None:
        self.stream, self.head, self.cut = stream, head, cut
        self.seek(0)

    def seek(self, position: int) -> None:
        self.stream.seek(self.cut)
        self.pending = self.head

    def read(self, size: int = -1) -> bytes:
        if not self.pending:
            return self.stream.read(size)
        if size < 0:
            out, self.pending = self.pending + self.stream.read(), b""
            return out
        out, self.pending = self.pending[:size], self.pending[size:]
        return out


def _repair_head(stream: BinaryIO) -> tuple[BinaryIO, list[str]]:
    """The export as WordPress's importer reads it: white space before `<?xml` dropped, undeclared namespace
    prefixes declared on <rss>. No notes (and the stream as it was) when neither is what is wrong."""
    stream.seek(0)
    head = stream.read(65536)
    read = len(head)
    notes = []
    start = len(head) - len(head.lstrip(b" \t\r\n"))
    if start and head[start:].startswith(b"<?xml"):
        lines = head[:start].count(b"\n")
        notes.append(f"{lines or 'white space'} blank line{'s' if lines != 1 else ''} before <?xml removed")
    rss = _RSS_TAG.search(head)
    if rss:  # a blank line first hides an undeclared prefix further on: both are looked for at once
        declared = {m.group(1) for m in _DECLARED.finditer(rss.group(0))} | {b"xml", b"xmlns"}
        used: set[bytes] = set()
        stream.seek(0)
        tail = b""
        while chunk := stream.read(1 << 20):
            block = tail + chunk
            used.update(p for m in _PREFIXED.finditer(block) for p in m.groups() if p)
            tail = block[-256:]
        missing = sorted(p.decode() for p in used - declared)
        if missing:
            declarations = "".join(
                f' xmlns:{p}="{KNOWN_PREFIXES.get(p, "urn:x-undeclared:" + p)}"' for p in missing
            )
            end = rss.end() - 1 - len(rss.group(1))
            head = head[:end] + declarations.encode() + head[end:]
            notes.append(
                f"undeclared namespace prefix{'es' if len(missing) > 1 else ''} "
                f"{', '.join(p + ':' for p in missing)} read as WordPress's importer reads "
                f"{'them' if len(missing) > 1 else 'it'}"
            )
    if not notes:
        return stream, []
    return _Repaired(stream, head[start:], read), notes


class _NestedCData:
    """The export with each "]]>" inside a CDATA section that does not end it escaped (as "]]]]><![CDATA[>").

    Older WordPress versions wrote a post holding "<![CDATA[ ... ]]>" into a CDATA section as it was, which no
    XML reader accepts; WordPress's importer then reads the file with regular expressions, taking the section
    up to the "]]>" before the element's end tag. So does this: a "]]>" ends the section only when an end tag,
    another section or the end of the line follows it. Read line by line; `escaped` counts what was changed.
    """

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.seek(0)

    def seek(self, position: int) -> None:
        self.stream.seek(0)
        self.lines = iter(self.stream.readline, b"")
        self.pending = b""
        self.inside = False
        self.line = 0
        self.escaped = 0
        self.first_line = 0

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self.pending) < size:
            line = next(self.lines, None)
            if line is None:
                break
            self.line += 1
            self.pending += self._escape(line)
        if size < 0:
            size = len(self.pending)
        out, self.pending = self.pending[:size], self.pending[size:]
        return out

    def _escape(self, line: bytes) -> bytes:
        inner = []  # where a "]]>" that does not end its section starts
        at = 0
        while True:
            if not self.inside:
                start = line.find(b"<![CDATA[", at)
                if start < 0:
                    break
                self.inside, at = True, start + 9
                continue
            end = line.find(b"]]>", at)
            if end < 0:
                break
            after = line[end + 3 :].lstrip(b" \t")
            if not after.strip() or after.startswith((b"</", b"<![CDATA[")):
                self.inside = False  # the section's own end
            else:
                inner.append(end)
            at = end + 3
        if not inner:
            return line
        self.escaped += len(inner)
        self.first_line = self.first_line or self.line
        parts, done = [], 0
        for end in inner:
            parts += [line[done:end], b"]]]]><![CDATA[>"]
            done = end + 3
        return b"".join(parts) + line[done:]


class _Prolog(Exception):
    pass


def _no_doctype(stream: BinaryIO) -> bool:
    """Whether expat finds the root's start tag with no DOCTYPE before it (what WordPress writes).

    Without a DOCTYPE nothing can declare an entity or name an external one, so Python's own expat reader,
    which builds the tree in C, reads the file; anything else goes to defusedxml's, which refuses entity
    declarations but calls Python for every element (about 4x the parse time, docs/benchmarks.md). Both are
    expat: the same errors, lines and repairs. Stops at the root's start tag."""
    parser = expat.ParserCreate()
    found = []

    def doctype(*_):
        found.append(True)
        raise _Prolog

    def root(*_):
        raise _Prolog

    parser.StartDoctypeDeclHandler, parser.StartElementHandler = doctype, root
    stream.seek(0)
    try:
        while chunk := stream.read(65536):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _Prolog:
        return not found
    except expat.ExpatError:
        pass  # malformed before the root: defusedxml's reader names the error, as ever
    return False


def _items(stream: BinaryIO, name: str) -> Iterator[tuple[str, Element]]:
    """Yield ("item", element) per <item>, ("channel-field", element) per other child of the channel."""
    iterparse = ElementTree.iterparse if _no_doctype(stream) else defused_iterparse
    stream.seek(0)
    channel = None
    depth = 0
    try:
        for event, element in iterparse(stream, events=("start", "end")):
            if event == "start":
                depth += 1
                if depth == 2 and element.tag == "channel":
                    channel = element
                continue
            depth -= 1
            if depth == 2 and channel is not None:
                kind = "item" if element.tag == "item" else "channel-field"
                yield kind, element
                channel.remove(element)  # keeps memory flat: nothing read stays in the tree
            elif depth == 0 and channel is None:
                raise SourceError(f"{name}: not a WordPress export (no <rss><channel>)")
    except ParseError as error:
        raise _Malformed(f"{name}: malformed XML: {error}", getattr(error, "code", None)) from None
    except DefusedXmlException as error:
        raise SourceError(
            f"{name}: refused: {type(error).__name__} (entity declarations are not allowed)"
        ) from None


class Channel:
    def __init__(self) -> None:
        self.version = ""
        self.site = ""
        self.logins: dict[str, str] = {}  # login -> display name
        self.attachments: dict[str, PhotoRecord] = {}
        # post id -> its attached images as (menu order, attachment id): what a [gallery] without ids shows
        self.attached: dict[str, list[tuple[int, int]]] = {}


def _read_channel(stream: BinaryIO, name: str, *, up_to_error: bool = False) -> Channel:
    """The channel's fields and the attachments. With `up_to_error`, a file that turns malformed after its
    version and at least one whole item is read up to the error; the posts pass then stops there too."""
    channel = Channel()
    link = blog = site = ""
    items = 0
    try:
        for kind, element in _items(stream, name):
            items += kind == "item"
            tag = name_of(element.tag)
            if kind == "channel-field":
                if tag == "wp:wxr_version":
                    channel.version = _text(element)
                elif tag == "link":
                    link = _text(element)
                elif tag == "wp:base_blog_url":
                    blog = _text(element)
                elif tag == "wp:base_site_url":
                    site = _text(element)
                elif tag == "wp:author":
                    fields = _children(element)
                    login = _text(fields.get("wp:author_login"))
                    display = clean(_text(fields.get("wp:author_display_name")))
                    if not display:
                        first, last = (
                            _text(fields.get("wp:author_first_name")),
                            _text(fields.get("wp:author_last_name")),
                        )
                        display = clean(f"{first} {last}")
                    if login:
                        channel.logins[login] = display or login
                continue
            fields = _children(element)
            if _text(fields.get("wp:post_type")) == "attachment":
                meta = _meta(element)
                post_id = _text(fields.get("wp:post_id"))
                photo = channel.attachments[post_id] = PhotoRecord(
                    # the excerpt is the caption; the title is a file label ("IMG_2041"), never shown as one
                    caption=strip_tags(_text(fields.get("excerpt:encoded"))),
                    credit=_serialized_value(meta.get("_wp_attachment_metadata", ""), "credit"),
                    alt_text=meta.get("_wp_attachment_image_alt", "").strip(),
                    url=_text(fields.get("wp:attachment_url")),
                    file=meta.get("_wp_attached_file", "").strip()
                    or _upload_path(_text(fields.get("wp:attachment_url"))),
                    source_id=f"{blog or link or site}:{post_id}",
                    label=f"attachment {post_id}",
                )
                parent = _text(fields.get("wp:post_parent"))
                if (
                    parent not in ("", "0")
                    and post_id.isdigit()
                    and elements.is_image(photo.file or photo.url)
                ):
                    order = _text(fields.get("wp:menu_order"))
                    channel.attached.setdefault(parent, []).append(
                        (int(order) if order.lstrip("-").isdigit() else 0, int(post_id))
                    )
    except _Malformed:
        if not up_to_error or not items or channel.version not in VERSIONS:
            raise
    if not channel.version:
        raise SourceError(f"{name}: not a WordPress export (no wp:wxr_version)")
    if channel.version not in VERSIONS:
        raise SourceError(
            f"{name}: unsupported wp:wxr_version {channel.version!r} (expected 1.0, 1.1 or 1.2)"
        )
    channel.site = (blog or link or site).rstrip("/")
    return channel


def _upload_path(url: str) -> str:
    """ "2013/03/x.jpg" from ".../wp-content/uploads/2013/03/x.jpg" (the layout of an uploads folder copy)."""
    path = unquote(urlsplit(url).path)
    return path.split("/uploads/", 1)[-1].lstrip("/") if "/uploads/" in path else path.lstrip("/")


def _serialized_value(php: str, key: str) -> str:
    """A string value from PHP's serialize() output: s:6:"credit";s:7:"Reuters";."""
    match = re.search(rf's:{len(key)}:"{key}";s:\d+:"([^"]*)"', php)
    return match.group(1).strip() if match else ""


def _term_name(text: str) -> str:
    """A category or tag name as shown: WordPress stores names HTML-escaped and exports them escaped again
    ("Tips &amp;amp; Tricks"), so entities are undone until none is left (three rounds at most)."""
    name = " ".join(text.split())
    for _ in range(3):
        if "&" not in name:
            break
        name, before = unescape(name), name
        if name == before:
            break
    return " ".join(name.split())


def _date(value: str) -> datetime | None:
    if not value or value.startswith("0000"):
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None


def parse(source: bytes | BinaryIO, *, name: str, tz: tzinfo = UTC) -> Iterator[Item]:
    """Yield the posts of a WXR export (pages, menus and revisions are Skipped; attachments feed photos)."""
    stream = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        channel = _read_channel(stream, name)
    except _Malformed as error:
        # Read as WordPress's importer would; what is still malformed then is read up to the error (if the
        # version and a whole item come before it), and the run reports the error and keeps what was read.
        notes = []
        if error.code in (UNBOUND_PREFIX, MISPLACED_DECLARATION):
            stream, notes = _repair_head(stream)
        else:  # an invalid token, or an end tag that seems misplaced, may be a section holding "]]>"
            stream = _NestedCData(stream)
        channel = _read_channel(stream, name, up_to_error=True)
        if isinstance(stream, _NestedCData) and stream.escaped:
            count = stream.escaped
            notes.append(
                f'{count} "]]>" inside CDATA sections (the first on line {stream.first_line}) read as '
                f"WordPress's importer reads {'them' if count > 1 else 'it'}: as part of the text"
            )
        for note in notes:
            yield Recovered(name, note)
    if not channel.site:  # no site URL in the export: the file's name keeps ids apart
        channel.site = PurePath(name).name
    number = 0
    try:
        for kind, element in _items(stream, name):
            if kind != "item":
                continue
            number += 1
            yield _post(element, number, channel, name=name, tz=tz)
    except _Malformed as error:
        raise SourceError(f"{error}: the {number} posts before it were read, nothing after it") from None


def _post(item: Element, number: int, channel: Channel, *, name: str, tz: tzinfo) -> Item:
    fields = _children(item)
    post_id = _text(fields.get("wp:post_id"))
    title = " ".join(_text(fields.get("title")).split())
    where = (
        f"{name}: item {number}"
        + (f" (post {post_id})" if post_id else "")
        + (f" {title[:60]!r}" if title else "")
    )
    post_type = _text(fields.get("wp:post_type")) or "post"
    if post_type == "attachment":
        return Skipped(where, "attachment (used as a photo, not a story)")
    if post_type != "post":
        return Skipped(where, f"post_type {post_type!r} is not a story")
    guid = _text(fields.get("guid"))
    if post_id:
        external_id = f"{channel.site}/?p={post_id}"
    elif guid:
        external_id = guid
    else:
        return BadItem(where, "no wp:post_id and no guid")
    wp_status = _text(fields.get("wp:status")) or "draft"
    if wp_status not in STATUSES:
        return Skipped(where, f"wp:status {wp_status!r} is not imported", external_id)
    content = (fields["content:encoded"].text or "") if "content:encoded" in fields else ""
    record = ArticleRecord(source=SOURCE, external_id=external_id, headline=title, where=where)
    galleries: list[str] = []
    if "[gallery" in content:  # WordPress attachment ids: the gallery's pictures are items of this export
        content, record.body_photos, galleries = elements.wordpress_galleries(
            content, post_id, channel.attachments, channel.attached
        )
    record.body, record.warnings = wordpress.render(content)
    record.warnings += galleries
    record.status = STATUSES[wp_status]
    if not title:
        words = strip_tags(record.body).split()
        if not words:
            return BadItem(where, "no title and no content", external_id)
        record.headline = " ".join(words[:10]) + (" …" if len(words) > 10 else "")
        # WordPress publishes untitled posts (linked by their date); the theme unit test data has one
        record.warnings.append("no title: headline taken from the first words")
    if _text(fields.get("wp:post_password")):
        record.warnings.append("password-protected in WordPress: imported without a password (check it)")
    record.slug = unquote(_text(fields.get("wp:post_name")))
    record.dek = strip_tags(_text(fields.get("excerpt:encoded")))
    gmt = _date(_text(fields.get("wp:post_date_gmt")))
    if gmt:
        record.published_at = gmt.replace(tzinfo=UTC)
    elif record.status == "published" and (local := _date(_text(fields.get("wp:post_date")))):
        record.published_at = local.replace(tzinfo=tz)
        record.warnings.append(f"no wp:post_date_gmt; wp:post_date read in {tz}")
    authors, tags = [], []
    for child in item:
        if child.tag != "category":
            continue
        domain, label = child.get("domain", ""), _term_name(child.text or "")
        if not label:
            continue
        if domain in ("category", "") and not record.section:
            record.section, record.section_slug = label, unquote(child.get("nicename", ""))
        elif domain in ("post_tag", "category", "") and label not in tags:
            tags.append(label)
            record.tag_slugs[label] = unquote(child.get("nicename", ""))
        elif domain == "author":  # Co-Authors Plus: terms named by login, slug "cap-<login>"
            authors.append(label)
    record.tags = tags
    if not authors and (creator := _text(fields.get("dc:creator")) or _text(fields.get("wp:author"))):
        authors = [creator]
    seen = set()
    for login in authors:
        display = channel.logins.get(login.strip(), login.strip())
        if display.casefold() not in seen:
            seen.add(display.casefold())
            record.bylines.append(BylineRecord(name=display))
    meta = _meta(item)
    if thumbnail := meta.get("_thumbnail_id", "").strip():
        photo = channel.attachments.get(thumbnail)
        if photo is None:
            record.warnings.append(f"featured image {thumbnail} is not in the export")
        else:
            record.lead_photo = PhotoRecord(**vars(photo))
    return record
