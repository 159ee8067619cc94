"""Tell a source's format from its first bytes (the file name only breaks a tie)."""

import json
import re
from pathlib import PurePath

FORMATS = ("text", "wxr", "ninjs", "jsonl", "feed", "html")
_WXR = re.compile(rb"https?://wordpress\.org/export/")
_FEED = re.compile(rb"<(rss|feed|rdf:RDF)\b")
_HTML = re.compile(rb"<(?:!doctype\s+html|html|head|meta|title)\b", re.IGNORECASE)
_EXTENSIONS = {
    ".txt": "text",
    ".text": "text",
    ".wxr": "wxr",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".rss": "feed",
    ".atom": "feed",
    ".json": "ninjs",
    ".html": "html",
    ".htm": "html",
}


def sniff(head: bytes, name: str = "") -> str | None:
    """The format of a source whose first bytes (64 KB is plenty) are `head`, or None if unknown."""
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16: look at the characters, not the bytes
        head = head.decode("utf-16", errors="ignore").encode()
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith(b"<"):
        if _is_html(start):
            return "html"
        if _WXR.search(head):
            return "wxr"
        if _FEED.search(head):
            return "feed"
        return _EXTENSIONS.get(PurePath(name).suffix.lower())  # other XML: only the name can tell
    if start.startswith(b"["):
        return "ninjs"
    if start.startswith(b"{"):
        return _json_kind(start)
    return "text"  # the text parser refuses empty and binary files with a clear message


# Keys only one of the two JSON formats has (ninjs's are read case-insensitively: 3.x writes versionCreated).
_NINJS_KEYS = {
    "uri", "guid", "type", "versioncreated", "firstcreated", "pubstatus", "headlines", "bodies", "body_html",
    "body_text", "descriptions", "subjects", "associations", "byline", "located",
}  # fmt: skip
_OUR_KEYS = {
    "id",
    "schema",
    "dek",
    "body",
    "published_at",
    "revised_at",
    "authors",
    "lead_photo",
    "seo_title",
}
_OUR_SCHEMA = re.compile(rb'"schema"\s*:\s*"newsroom-article/')
_NINJS_KEY = re.compile(rb'(?<!\\)"(?:uri|guid)"\s*:')
_ID_KEY = re.compile(rb'(?<!\\)"id"\s*:')


def _json_kind(start: bytes) -> str:
    """Our JSON Lines or ninjs (one object, or one per line), by the keys of every line in `start`.

    Every whole line is read, not just the first (which may lack an id, or be a ninjs line among ours). A
    pretty-printed object has no whole line that parses: ninjs. A first line longer than `start` is told by
    the keys written in it.
    """
    if _OUR_SCHEMA.search(start):  # export_articles writes it on every line
        return "jsonl"
    ours = ninjs = parsed = 0
    for line in start.split(b"\n"):
        try:
            obj = json.loads(line)
        except (ValueError, RecursionError):  # a pretty-printed object's lines, or the line cut at 64 KB
            continue
        if not isinstance(obj, dict):
            continue
        parsed += 1
        keys = {str(key).lower() for key in obj}
        if keys & _NINJS_KEYS:
            ninjs += 1
        elif keys & _OUR_KEYS:
            ours += 1
    if not parsed and b"\n" not in start.rstrip():  # one line longer than what was read
        return "jsonl" if _ID_KEY.search(start) and not _NINJS_KEY.search(start) else "ninjs"
    return "jsonl" if ours > ninjs else "ninjs"


def _is_html(start: bytes) -> bool:
    """Whether a document starts (after an XML declaration and comments) as an HTML page does."""
    if start.startswith(b"<?xml"):
        start = start[start.find(b"?>") + 2 :].lstrip()
    while start.startswith(b"<!--"):  # a loop, not a regex: comments and backtracking multiply
        end = start.find(b"-->")
        if end < 0:
            return False
        start = start[end + 3 :].lstrip()
    return bool(_HTML.match(start))
