"""Embeds by URL: which providers we accept, their oEmbed answer fetched once on save, what a page may frame.

Our own small registry rather than micawber or a discovery library: micawber follows redirects, sets a global
socket timeout, reads answers of any size and fetches from any address; discovery (reading a page's <link
rel="alternate" type="application/json+oembed">) would make us fetch arbitrary pages. Eleven providers are a
table of patterns; the fetch below is the part that needs care:

- only allowlisted providers, each with its own oEmbed endpoint (no discovery);
- one HTTPS request, no redirects, a timeout, at most EMBED_MAX_BYTES read;
- the endpoint's host must resolve to public addresses only, and the connection goes to the address that was
  checked (no DNS rebinding between the check and the request);
- what is kept of the answer: provider, title, author, and a frame address only on the provider's own frame
  hosts. Its HTML, scripts and thumbnails are never stored or shown: the reader's page loads nothing from the
  provider until the reader clicks (static/js/embeds.js), and the page's CSP allows only the frame hosts of
  the embeds it holds (frame_sources).

Tests point every endpoint at a local server with settings.EMBED_TEST_SERVER (the only address allowed to be
private then); nothing here reaches the internet in tests.
"""

import http.client
import ipaddress
import json
import re
import socket
import ssl
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlencode, urlsplit

from django.conf import settings


@dataclass(frozen=True)
class Provider:
    name: str
    patterns: tuple[str, ...]
    endpoint: str  # the oEmbed endpoint ("{host}" is the page's host, for Mastodon's many servers)
    frame_hosts: tuple[str, ...] = ()  # hosts a click may frame; none: the click opens the provider
    token_setting: str = ""  # a setting holding an access token the endpoint needs (Instagram)

    def matches(self, url: str) -> bool:
        return any(re.match(pattern, url) for pattern in self.patterns)


def mastodon_hosts() -> list[str]:
    return list(getattr(settings, "EMBED_MASTODON_HOSTS", ["mastodon.social"]))


def _mastodon_pattern() -> str:
    hosts = "|".join(re.escape(host) for host in mastodon_hosts())
    return rf"https://(?:{hosts})/@[\w.]+(?:@[\w.-]+)?/\d+/?$"


PROVIDERS = (
    Provider(
        "YouTube",
        (
            r"https://(?:www\.|m\.)?youtube\.com/(?:watch\?(?:.*&)?v=[\w-]+|shorts/[\w-]+|live/[\w-]+)",
            r"https://youtu\.be/[\w-]+",
        ),
        "https://www.youtube.com/oembed",
        ("www.youtube-nocookie.com",),
    ),
    Provider(
        "Vimeo",
        (r"https://(?:www\.)?vimeo\.com/\d+",),
        "https://vimeo.com/api/oembed.json",
        ("player.vimeo.com",),
    ),
    Provider(
        "X", (r"https://(?:www\.)?(?:twitter|x)\.com/\w+/status/\d+",), "https://publish.twitter.com/oembed"
    ),
    Provider(
        "Instagram",
        (r"https://(?:www\.)?instagram\.com/(?:p|reel|tv)/[\w-]+",),
        "https://graph.facebook.com/v21.0/instagram_oembed",
        token_setting="EMBED_FACEBOOK_TOKEN",
    ),
    Provider(
        "TikTok", (r"https://(?:www\.)?tiktok\.com/@[\w.-]+/video/\d+",), "https://www.tiktok.com/oembed"
    ),
    Provider("Bluesky", (r"https://bsky\.app/profile/[\w.:-]+/post/\w+",), "https://embed.bsky.app/oembed"),
    Provider("Mastodon", ("<mastodon>",), "https://{host}/api/oembed", ("<mastodon>",)),
    Provider(
        "SoundCloud",
        (r"https://(?:www\.|m\.)?soundcloud\.com/[\w-]+/[\w-]+",),
        "https://soundcloud.com/oembed",
        ("w.soundcloud.com",),
    ),  # fmt: skip
    Provider(
        "Spotify",
        (r"https://open\.spotify\.com/(?:track|album|playlist|episode|show|artist)/\w+",),
        "https://open.spotify.com/oembed",
        ("open.spotify.com",),
    ),
    Provider(
        "Datawrapper",
        (r"https://datawrapper\.dwcdn\.net/\w+", r"https://www\.datawrapper\.de/_/\w+"),
        "https://api.datawrapper.de/v3/oembed",
        ("datawrapper.dwcdn.net",),
    ),
    Provider(
        "Flourish",
        (r"https://public\.flourish\.studio/(?:visualisation|story)/\d+",),
        "https://app.flourish.studio/api/v1/oembed",
        ("flo.uri.sh",),
    ),
)
BY_NAME = {provider.name: provider for provider in PROVIDERS}


class EmbedError(Exception):
    """Why an address cannot be embedded, in a sentence for the editor."""


def provider_for(url: str) -> Provider | None:
    for provider in PROVIDERS:
        if provider.name == "Mastodon":
            if re.match(_mastodon_pattern(), url):
                return provider
        elif provider.matches(url):
            return provider
    return None


def frame_hosts(provider: Provider, url: str) -> tuple[str, ...]:
    if provider.name == "Mastodon":
        return (urlsplit(url).hostname or "",)
    return provider.frame_hosts


# --- fetching ---


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """An HTTPS connection to an address checked beforehand, with the certificate checked for the host."""

    def __init__(self, host, address, **kwargs):
        super().__init__(host, **kwargs)
        self.address = address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host, address, **kwargs):
        super().__init__(host, **kwargs)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


# IPv6 ranges that carry an IPv4 address a gateway may reach for us: NAT64 (RFC 6052, 8215) and the
# deprecated IPv4-compatible ::a.b.c.d. Python calls 64:ff9b::/96 and ::/96 global, whatever they embed.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_LOCAL_NAT64 = ipaddress.ip_network("64:ff9b:1::/48")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


def is_public(address: str) -> bool:
    """Whether an address is on the public internet, and so is any IPv4 address it carries."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if not ip.is_global:
        return False
    if ip.version == 4:
        return True
    if ip in _LOCAL_NAT64:
        return False
    embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
    if embedded is None and (ip in _NAT64 or ip in _IPV4_COMPATIBLE):
        embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return embedded is None or embedded.is_global


def public_address(host: str, port: int) -> str:
    """The first address of `host`, if every address it resolves to is public; else EmbedError."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as error:
        raise EmbedError(f"{host} could not be found") from error
    addresses = [info[4][0] for info in infos]
    for address in addresses:
        if not is_public(address):
            raise EmbedError(f"{host} is not a public address")
    return addresses[0]


def endpoint_for(provider: Provider, url: str) -> str:
    endpoint = provider.endpoint.replace("{host}", urlsplit(url).hostname or "")
    test_server = getattr(settings, "EMBED_TEST_SERVER", "")
    if test_server:  # tests: every provider's endpoint on the local fake server, by provider name
        return f"{test_server.rstrip('/')}/{provider.name.lower()}"
    return endpoint


def fetch_json(address: str) -> dict:
    """GET one JSON document: no redirects, a timeout, a size limit, public addresses only (EmbedError)."""
    parts = urlsplit(address)
    test_server = getattr(settings, "EMBED_TEST_SERVER", "")
    is_test = bool(test_server) and address.startswith(test_server.rstrip("/") + "/")
    if parts.scheme != "https" and not is_test:
        raise EmbedError("the provider's address is not HTTPS")
    host, port = parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)
    ip = host if is_test else public_address(host, port)
    timeout = settings.EMBED_TIMEOUT_SECONDS
    if parts.scheme == "https":
        connection = _PinnedHTTPSConnection(
            host, ip, port=port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        connection = _PinnedHTTPConnection(host, ip, port=port, timeout=timeout)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("GET", target, headers={"Accept": "application/json", "User-Agent": "Newsroom"})
        response = connection.getresponse()
        if 300 <= response.status < 400:
            raise EmbedError(
                f"the provider answered with a redirect ({response.status}), which we do not follow"
            )
        if response.status != 200:
            raise EmbedError(f"the provider answered {response.status}")
        limit = settings.EMBED_MAX_BYTES
        declared = response.getheader("Content-Length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise EmbedError(f"the provider's answer is larger than {limit} bytes")
        body = response.read(limit + 1)
        if len(body) > limit:
            raise EmbedError(f"the provider's answer is larger than {limit} bytes")
    except (OSError, http.client.HTTPException) as error:  # timeouts are OSErrors
        raise EmbedError(f"the provider did not answer ({error.__class__.__name__})") from error
    finally:
        connection.close()
    try:
        data = json.loads(body)
    except ValueError as error:
        raise EmbedError("the provider's answer is not JSON") from error
    if not isinstance(data, dict):
        raise EmbedError("the provider's answer is not an oEmbed object")
    return data


class _FrameFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.src = ""

    def handle_starttag(self, tag, attrs):
        if tag == "iframe" and not self.src:
            self.src = dict(attrs).get("src") or ""


def safe_frame(provider: Provider, url: str, src: str) -> str:
    """`src` if it is an HTTPS address on one of the provider's frame hosts (YouTube's without cookies)."""
    if not src:
        return ""
    parts = urlsplit(src)
    host = parts.hostname or ""
    if provider.name == "YouTube" and host in ("www.youtube.com", "youtube.com"):
        src = src.replace(parts.netloc, "www.youtube-nocookie.com", 1)
        parts, host = urlsplit(src), "www.youtube-nocookie.com"
    if parts.scheme != "https" or host not in frame_hosts(provider, url) or parts.username or parts.port:
        return ""
    if provider.name == "Vimeo":  # Vimeo's "do not track": no cookies, no analytics
        src += ("&" if parts.query else "?") + "dnt=1"
    return src


def _text(value, limit=300) -> str:
    return str(value).strip()[:limit] if isinstance(value, str | int | float) else ""


def oembed(url: str) -> dict:
    """What we keep of `url`'s oEmbed answer: provider, title, author, frame, ratio (EmbedError: why not)."""
    url = url.strip()
    provider = provider_for(url)
    if provider is None:
        raise EmbedError(f"{url} is not from a provider we embed ({', '.join(BY_NAME)})")
    token = getattr(settings, provider.token_setting, "") if provider.token_setting else ""
    if provider.token_setting and not token and not getattr(settings, "EMBED_TEST_SERVER", ""):
        # Instagram answers only with an app token: without one the embed is a link to the post.
        return {"url": url, "provider": provider.name, "title": "", "author": "", "frame": "", "ratio": ""}
    query = {"url": url, "format": "json", "maxwidth": "800"}
    if token:
        query["access_token"] = token
    data = fetch_json(f"{endpoint_for(provider, url)}?{urlencode(query)}")
    finder = _FrameFinder()
    finder.feed(_text(data.get("html"), 20_000))
    ratio = ""
    width, height = data.get("width"), data.get("height")
    if isinstance(width, int | float) and isinstance(height, int | float) and width > 0 and height > 0:
        ratio = f"{min(max(height / width * 100, 20), 200):.2f}"
    return {
        "url": url,
        "provider": provider.name,
        "title": _text(data.get("title")),
        "author": _text(data.get("author_name"), 200),
        "frame": safe_frame(provider, url, finder.src),
        "ratio": ratio,
    }


def figure_html(data: dict) -> str:
    """The stored form of an embed (see articles/html.py), its values escaped."""
    attributes = " ".join(
        f'data-{name}="{escape(str(data.get(key) or ""), quote=True)}"'
        for name, key in (
            ("embed", "url"),
            ("provider", "provider"),
            ("title", "title"),
            ("author", "author"),
            ("frame", "frame"),
            ("ratio", "ratio"),
        )  # fmt: skip
        if data.get(key) or key == "provider"
    )
    return f"<figure {attributes}></figure>"


def frame_sources(elements: list[dict]) -> list[str]:
    """The CSP frame-src origins a page needs for its embeds (checked again: the body is editable HTML)."""
    origins = []
    for data in elements:
        provider = BY_NAME.get(data.get("provider", ""))
        if provider and (frame := safe_frame(provider, data.get("url", ""), data.get("frame", ""))):
            parts = urlsplit(frame)
            origin = f"https://{parts.hostname}"
            if origin not in origins:
                origins.append(origin)
    return origins


# --- pasted frames ---

_PASTED_FRAME = re.compile(
    r"<iframe\b[^>]*?\ssrc\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+)[^>]*>(?:.*?</iframe\s*>)?", re.I | re.S
)
_FRAME_TO_PAGE = (
    (r"https://(?:www\.)?youtube(?:-nocookie)?\.com/embed/([\w-]+)", "https://www.youtube.com/watch?v={0}"),
    (r"https://player\.vimeo\.com/video/(\d+)", "https://vimeo.com/{0}"),
    (r"https://open\.spotify\.com/embed/(\w+)/(\w+)", "https://open.spotify.com/{0}/{1}"),
    (r"https://datawrapper\.dwcdn\.net/(\w+)", "https://datawrapper.dwcdn.net/{0}/"),
    (r"https://flo\.uri\.sh/(visualisation|story)/(\d+)", "https://public.flourish.studio/{0}/{1}/"),
)


def page_for_frame(src: str) -> str:
    """The page address of a provider's player address, or ''."""
    from html import unescape  # noqa: PLC0415

    src = unescape(src.strip("\"'"))
    if src.startswith("//"):
        src = "https:" + src
    for pattern, page in _FRAME_TO_PAGE:
        if match := re.match(pattern, src):
            return page.format(*match.groups())
    parts = urlsplit(src)
    if parts.hostname == "w.soundcloud.com":
        inner = parse_qs(parts.query).get("url", [""])[0]
        if provider_for(inner):
            return inner
    return ""


def convert_pasted_frames(html: str) -> tuple[str, list[str]]:
    """Turn pasted <iframe>s of known providers into embeds; the names of the providers turned."""
    if "<iframe" not in html.lower():
        return html, []
    turned: list[str] = []

    def replace(match: re.Match) -> str:
        page = page_for_frame(match.group(1))
        provider = provider_for(page) if page else None
        if provider is None:
            return match.group(0)  # the sanitizer removes it and says so
        turned.append(provider.name)
        return f'<figure data-embed="{escape(page, quote=True)}"></figure>'

    return _PASTED_FRAME.sub(replace, html), turned
