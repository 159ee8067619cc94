"""The one HTML sanitizer: the admin, the importers and the model's save() all pass story HTML through it.

Images are kept only from the newsroom's own media (MEDIA_URL): an image from another site in a story body
is a tracking pixel in every reader's feed reader and API client, so it is removed, and the caller is told.
"""

import re
from html import unescape
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
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "blockquote": {"cite"},
}
URL_SCHEMES = {"http", "https", "mailto"}

_CLEANER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    link_rel="noopener noreferrer",
    strip_comments=True,
)
# nh3's output is serialized anew: attributes double-quoted, with <, > and " escaped inside them, and a "<"
# in text escaped too. So this finds every <img> of the output exactly, without parsing the HTML a second
# time (cheaper than nh3's attribute_filter, a Python call for every attribute of every tag).
_IMG = re.compile(r"<img\b[^>]*>")
_SRC = re.compile(r'\ssrc="([^"]*)"')


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
