"""Small HTML helpers for the parsers (the sanitizer itself is articles.html.sanitize, run by the loader)."""

import re
from html import escape, unescape

_TAG = re.compile(r"<[^>]*>")
# Tags that end a line or a block: they part words. Inline ones (<b>₹</b>4,000) do not, so they leave nothing.
_BREAKING_TAG = re.compile(
    r"</?(?:br|p|div|li|ul|ol|h[1-6]|td|th|tr|table|blockquote|figure|figcaption|section|article|hr|dd|dt)\b[^>]*>",
    re.IGNORECASE,
)


def strip_tags(html: str) -> str:
    """Plain text of a bit of HTML (for deks and captions), whitespace collapsed."""
    html = html or ""
    if "<" in html:
        html = _TAG.sub("", _BREAKING_TAG.sub(" ", html))
    return " ".join(unescape(html).split())


def text_to_html(text: str) -> str:
    """Paragraphs from plain text: blank lines (or, if none, single line breaks) separate them."""
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        return ""
    blocks = re.split(r"\n\s*\n", text) if "\n\n" in text else text.split("\n")
    return "\n".join(f"<p>{escape(' '.join(b.split()), quote=False)}</p>" for b in blocks if b.strip())


_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.IGNORECASE | re.DOTALL)
_DROP = re.compile(r"<(head|h1|script|style|title)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)


def body_fragment(html: str) -> str:
    """The inside of <body> when a whole document is given, without <head>, <h1> (the headline) or scripts."""
    match = _BODY.search(html or "")
    return _DROP.sub("", match.group(1) if match else (html or "")).strip()
