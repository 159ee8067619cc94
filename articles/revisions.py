"""Readable differences between saved versions of a story (django-reversion keeps the versions)."""

import difflib
import html

from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe

DIFF_FIELDS = (("headline", "Headline"), ("dek", "Standfirst"), ("body", "Body"))


def plain_words(value: str) -> list[str]:
    """The words of a field, with HTML tags turned into paragraph breaks."""
    text = strip_tags((value or "").replace("</p>", "</p>\n").replace("</h2>", "</h2>\n"))
    return html.unescape(text).split()


def word_diff(old: str, new: str) -> SafeString:
    """`new` as HTML with removed words in <del> and added words in <ins>."""
    a, b = plain_words(old), plain_words(new)
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op in ("replace", "delete"):
            parts.append(f"<del>{html.escape(' '.join(a[i1:i2]))}</del>")
        if op in ("replace", "insert"):
            parts.append(f"<ins>{html.escape(' '.join(b[j1:j2]))}</ins>")
        if op == "equal":
            words = b[j1:j2]
            # long unchanged stretches are shortened to their ends
            text = " ".join(words) if len(words) <= 16 else " ".join([*words[:6], "…", *words[-6:]])
            parts.append(html.escape(text))
    return mark_safe(" ".join(parts))


def changes(old: dict, new: dict) -> list[tuple[str, SafeString]]:
    """[(label, diff html)] for the story fields that differ between two versions' field dicts."""
    return [
        (label, word_diff(old.get(name, ""), new.get(name, "")))
        for name, label in DIFF_FIELDS
        if (old.get(name) or "") != (new.get(name) or "")
    ]
