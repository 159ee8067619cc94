"""The one HTML sanitizer: the admin, the importers and the model's save() all pass story HTML through it.

Images are kept only from the newsroom's own media (MEDIA_URL): an image from another site in a story body
is a tracking pixel in every reader's feed reader and API client, so it is removed, and the caller is told.
"""

import re
from html import unescape
from html.parser import HTMLParser
from posixpath import normpath
from urllib.parse import unquote, urlsplit

import nh3
from django.conf import settings
from django.http.request import split_domain_port, validate_host

ALLOWED_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "strong",
    "em",
    "b",
    "i",
    "figure",
    "img",
    "figcaption",
    "cite",
    "hr",
    "aside",
}
# The body's structured elements (articles/body.py renders them; docs/story-bodies.md):
#   <figure data-photo="12" data-caption="…"></figure>          a photo from the library
#   <figure data-gallery="12 13 14" data-caption="…"></figure>  a gallery, in order
#   <figure data-embed="https://…" data-provider="YouTube" data-title="…" data-author="…"
#           data-frame="https://…" data-ratio="56.25"></figure>  an embed with its stored oEmbed answer
#   <blockquote class="pullquote">…</blockquote>                  a pull quote
#   <aside class="factbox">…</aside>                              a fact box
ELEMENT_ATTRIBUTES = {
    "data-photo", "data-gallery", "data-caption", "data-embed", "data-provider", "data-title",
    "data-author", "data-frame", "data-ratio",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "blockquote": {"cite"},
    "figure": ELEMENT_ATTRIBUTES,
}
ALLOWED_CLASSES = {"blockquote": {"pullquote"}, "aside": {"factbox"}}
URL_SCHEMES = {"http", "https", "mailto"}

_CLEANER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    allowed_classes=ALLOWED_CLASSES,
    url_schemes=URL_SCHEMES,
    link_rel="noopener noreferrer",
    strip_comments=True,
)
# nh3's output is serialized anew: attributes double-quoted, with <, > and " escaped inside them, and a "<"
# in text escaped too. So this finds every <img> of the output exactly, without parsing the HTML a second
# time (cheaper than nh3's attribute_filter, a Python call for every attribute of every tag).
_IMG = re.compile(r"<img\b[^>]*>")
_SRC = re.compile(r'\ssrc="([^"]*)"')
# A structured figure holds nothing: what it shows comes from its attributes (a caption typed inside one
# would be lost at render time, so it is moved into data-caption by articles/body.py before this runs).
_ELEMENT_FIGURE = re.compile(
    r"(<figure\b[^>]*\sdata-(?:photo|gallery|embed)=[^>]*>)((?:(?!<figure\b).)*?)</figure>", re.S
)


def foreign_image_message(address: str) -> str:
    """What the editor (or the import report) is told about an image the sanitizer removed."""
    where = "from another site" if urlsplit(address).netloc else "that is not in the newsroom's media"
    return f"Removed an image {where} ({address}): upload it to Photos instead."


def sanitize(html: str) -> str:
    """Return `html` with only the story markup we allow: no scripts, handlers, styles or javascript: URLs."""
    return sanitize_reporting(html)[0]


def sanitize_reporting(html: str) -> tuple[str, list[str]]:
    """`sanitize(html)`, and the addresses of the images it removed because they are not our own media."""
    if not html:
        return "", []
    cleaned = _CLEANER.clean(html).strip()
    removed: list[str] = []
    if "<img" in cleaned:

        def keep_own(match: re.Match) -> str:
            src = _SRC.search(match.group(0))
            address = unescape(src.group(1)) if src else ""
            if address and is_own_media(address):
                return match.group(0)
            if address:
                removed.append(address)
            return ""  # an <img> without an address (nh3 drops a javascript: or data: one) shows nothing

        cleaned = _IMG.sub(keep_own, cleaned)
    if "data-" in cleaned:
        cleaned = _ELEMENT_FIGURE.sub(r"\1</figure>", cleaned)
    return cleaned, removed


def is_own_media(address: str) -> bool:
    """Whether an image address is a file of the newsroom's own media (MEDIA_URL).

    Accepted: a path under MEDIA_URL ("/media/photos/a.jpg"), the same on one of the site's own hosts
    (ALLOWED_HOSTS, never "*"), or an address under MEDIA_URL when it is a full URL (a CDN).
    """
    media = settings.MEDIA_URL  # Django adds the script prefix: "/media/", or a CDN's "https://cdn.x/m/"
    parts = urlsplit(address)
    path = unquote(parts.path)
    if normpath(path) != path.rstrip("/") or "\\" in path:  # no "..", "." or "//" out of the media folder
        return False
    media_parts = urlsplit(media)
    if media_parts.netloc:
        return address.startswith(media)
    if not path.startswith(media):
        return False
    if not parts.netloc:
        return not parts.scheme
    if parts.scheme not in ("http", "https", "") or parts.username or parts.password:
        return False
    host, _port = split_domain_port(parts.netloc)
    own_hosts = [name for name in settings.ALLOWED_HOSTS if name != "*"]
    return bool(host) and validate_host(host, own_hosts)


# What an editor is told about pasted markup the sanitizer removes, and what to do instead.
REMOVAL_ADVICE = {
    "iframe": "Removed an embedded frame{where}: paste the video's or post's address on a line of its own "
    "to embed it.",
    "script": "Removed a script{where}: scripts cannot run in a story. To show a post or a video, paste its "
    "address on a line of its own.",
    "style": "Removed a style sheet: the site's own styles apply to every story.",
    "object": "Removed a plug-in object{where}: paste the video's address on a line of its own to embed it.",
    "embed": "Removed a plug-in object{where}: paste the video's address on a line of its own to embed it.",
    "video": "Removed a video player{where}: paste the video's address (YouTube, Vimeo…) on a line of its "
    "own to embed it.",
    "audio": "Removed an audio player{where}: paste the address (SoundCloud, Spotify…) on a line of its own "
    "to embed it.",
    "form": "Removed a form: stories cannot hold forms; link to the page that has it.",
    "table": "Removed a table's layout (its text is kept): use a fact box or a list, or embed a chart "
    "(Datawrapper, Flourish) by pasting its address on a line of its own.",
    "svg": "Removed a drawing (svg): upload it as a photo to Photos and insert it from the toolbar.",
    "canvas": "Removed a drawing (canvas): upload it as a photo to Photos and insert it from the toolbar.",
}
# Wrappers a word processor or a web page leaves around text: removed, their text kept, told in one line.
_PLAIN_WRAPPERS = {"span", "div", "font", "section", "article", "header", "footer", "main", "center", "u"}
# Told once through their container (a table, a form, a player), or never (a pasted page's frame).
_SILENT = {
    "html", "head", "body", "meta", "link", "title", "tbody", "thead", "tfoot", "tr", "td", "th", "caption",
    "colgroup", "col", "source", "track", "param", "input", "button", "select", "option", "textarea", "label",
    "noscript",
}  # fmt: skip


class _TagLister(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: dict[str, list[str]] = {}  # tag -> the addresses it pointed at (src, data, href)
        self.styled = False

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if values.get("style"):
            self.styled = True
        if tag in ALLOWED_TAGS:
            return
        address = values.get("src") or values.get("data") or ""
        self.found.setdefault(tag, [])
        if address:
            self.found[tag].append(address)

    handle_startendtag = handle_starttag


def removal_messages(html: str) -> list[str]:
    """One line per kind of pasted markup `sanitize` removes from `html`, saying what to do instead.

    Only what the editor could have meant to keep: scripts, frames, players, forms, tables, unknown elements
    and inline styles. Foreign images are told by `foreign_image_message`.
    """
    if not html or "<" not in html:
        return []
    lister = _TagLister()
    lister.feed(html)
    lister.close()
    messages, wrappers, unknown = [], [], []
    for tag, addresses in lister.found.items():
        if tag in REMOVAL_ADVICE:
            shown = addresses[:2]
            where = f" ({', '.join(shown)})" if shown else ""
            messages.append(REMOVAL_ADVICE[tag].format(where=where))
        elif tag in _PLAIN_WRAPPERS or ":" in tag:  # <o:p> and friends from word processors
            wrappers.append(tag)
        elif tag not in _SILENT:
            unknown.append(tag)
    if unknown:
        names = ", ".join(f"<{tag}>" for tag in sorted(unknown))
        messages.append(f"Removed markup a story does not use ({names}); its text is kept.")
    if wrappers or lister.styled:
        messages.append(
            "Removed pasted formatting (fonts, colours, layout); the text is kept and the site's own styles "
            "apply."
        )
    return messages


def allow_body_elements(config, shared_config):
    """django-prose-editor's allow-list for the body's elements (ours is ALLOWED_TAGS, used by `sanitize`)."""
    shared_config["tags"].update({"figure", "blockquote", "aside"})
    shared_config["attributes"].setdefault("figure", set()).update(ELEMENT_ATTRIBUTES)
