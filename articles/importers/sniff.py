"""Tell a source's format from its first bytes (the file name only breaks a tie)."""

import json
import re
from pathlib import PurePath

FORMATS = ("text", "wxr", "ninjs", "jsonl", "feed")
_WXR = re.compile(rb"https?://wordpress\.org/export/")
_FEED = re.compile(rb"<(rss|feed|rdf:RDF)\b")
_EXTENSIONS = {
    ".txt": "text",
    ".text": "text",
    ".wxr": "wxr",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".rss": "feed",
    ".atom": "feed",
    ".json": "ninjs",
}


def sniff(head: bytes, name: str = "") -> str | None:
    """The format of a source whose first bytes (64 KB is plenty) are `head`, or None if unknown."""
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16: look at the characters, not the bytes
        head = head.decode("utf-16", errors="ignore").encode()
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith(b"<"):
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


def _json_kind(start: bytes) -> str:
    """Our JSON Lines has an "id" and no "uri"/"guid"; anything else in JSON is read as ninjs."""
    first_line = start.split(b"\n", 1)[0]
    try:
        obj = json.loads(first_line)
    except ValueError:
        return "ninjs"  # a pretty-printed object spans lines: ninjs; our JSON Lines never does
    if isinstance(obj, dict) and "id" in obj and "uri" not in obj and "guid" not in obj:
        return "jsonl"
    return "ninjs"
