"""Embeds by URL (articles/embeds.py): allowlist, fetch limits, recorded provider answers, pasted frames."""

import json

import pytest

from articles import embeds
from tests import oembed_server

PAGES = {
    "YouTube": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "Vimeo": "https://vimeo.com/76979871",
    "X": "https://x.com/cityofhamburg/status/1790000000000000000",
    "Instagram": "https://www.instagram.com/p/C6xYz12AbCd/",
    "TikTok": "https://www.tiktok.com/@scout2015/video/6718335390845095173",
    "Bluesky": "https://bsky.app/profile/hamburgtransit.bsky.social/post/3k44deefqdk2g",
    "Mastodon": "https://mastodon.social/@harbourwatch/112345678901234567",
    "SoundCloud": "https://soundcloud.com/portradio/harbour-sounds",
    "Spotify": "https://open.spotify.com/episode/4rOoJ6Egrf8K2IrywzwOMk",
    "Datawrapper": "https://datawrapper.dwcdn.net/Ab12C/3/",
    "Flourish": "https://public.flourish.studio/visualisation/1234567/",
}


@pytest.fixture
def provider_server(settings):
    server = oembed_server.start()
    settings.EMBED_TEST_SERVER = server.url
    settings.EMBED_TIMEOUT_SECONDS = 0.5
    yield server
    oembed_server.stop(server)


@pytest.mark.parametrize("name", list(PAGES))
def test_each_provider_is_recognised_by_its_page_address(name):
    assert embeds.provider_for(PAGES[name]).name == name


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/watch?v=1",
        "https://www.youtube.com.evil.example/watch?v=1",
        "http://www.youtube.com/watch?v=dQw4w9WgXcQ",  # not HTTPS
        "https://mastodon.evil.example/@a/1",  # a Mastodon server not on the list
        "javascript:alert(1)",
    ],
)
def test_addresses_not_on_the_allowlist_are_refused_with_the_list(url):
    with pytest.raises(embeds.EmbedError, match="not from a provider we embed .*YouTube"):
        embeds.oembed(url)


@pytest.mark.parametrize("name", list(PAGES))
def test_recorded_answers_keep_provider_title_and_only_a_frame_on_the_providers_hosts(provider_server, name):
    data = embeds.oembed(PAGES[name])
    assert data["provider"] == name and data["url"] == PAGES[name]
    fixture = json.loads((oembed_server.FIXTURES / f"{name.lower()}.json").read_text())
    assert data["title"] == fixture.get("title", "")
    assert "html" not in data and "thumbnail_url" not in data  # nothing that loads from the provider
    if name in ("X", "Instagram", "TikTok", "Bluesky"):
        assert data["frame"] == ""  # script-based embeds: the click opens the provider
    else:
        assert data["frame"].startswith("https://")


def test_youtube_frames_use_the_no_cookie_host_and_vimeo_do_not_track(provider_server):
    assert embeds.oembed(PAGES["YouTube"])["frame"].startswith(
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    )
    assert embeds.oembed(PAGES["Vimeo"])["frame"].endswith("dnt=1")
    assert embeds.oembed(PAGES["YouTube"])["ratio"] == "56.50"


def test_a_frame_on_another_host_is_dropped(provider_server):
    answer = {"type": "video", "title": "t", "html": '<iframe src="https://evil.example/player"></iframe>'}
    provider_server.answers["youtube"] = (200, {}, json.dumps(answer).encode())
    assert embeds.oembed(PAGES["YouTube"])["frame"] == ""


def test_a_provider_that_does_not_answer_in_time_is_an_error(provider_server):
    provider_server.answers["youtube"] = "hang"
    with pytest.raises(embeds.EmbedError, match="did not answer"):
        embeds.oembed(PAGES["YouTube"])


def test_an_answer_larger_than_the_limit_is_refused(provider_server, settings):
    settings.EMBED_MAX_BYTES = 1000
    provider_server.answers["youtube"] = (200, {}, b'{"title": "' + b"x" * 2000 + b'"}')
    with pytest.raises(embeds.EmbedError, match="larger than 1000 bytes"):
        embeds.oembed(PAGES["YouTube"])


def test_an_answer_without_length_larger_than_the_limit_is_refused_while_reading(provider_server, settings):
    settings.EMBED_MAX_BYTES = 1000
    body = b'{"title": "' + b"x" * 5000 + b'"}'

    provider_server.answers["youtube"] = (200, {}, body)
    original = embeds.http.client.HTTPResponse.getheader
    try:
        embeds.http.client.HTTPResponse.getheader = lambda self, name, default=None: (
            None if name == "Content-Length" else original(self, name, default)
        )
        with pytest.raises(embeds.EmbedError, match="larger than 1000 bytes"):
            embeds.oembed(PAGES["YouTube"])
    finally:
        embeds.http.client.HTTPResponse.getheader = original


def test_redirects_are_not_followed(provider_server):
    provider_server.answers["youtube"] = (302, {"Location": "http://169.254.169.254/latest/meta-data/"}, b"")
    with pytest.raises(embeds.EmbedError, match="redirect"):
        embeds.oembed(PAGES["YouTube"])
    assert len(provider_server.requests) == 1


@pytest.mark.parametrize("status", [404, 500, 503])
def test_an_error_status_is_an_error(provider_server, status):
    provider_server.answers["vimeo"] = (status, {}, b"")
    with pytest.raises(embeds.EmbedError, match=f"answered {status}"):
        embeds.oembed(PAGES["Vimeo"])


def test_an_answer_that_is_not_json_is_an_error(provider_server):
    provider_server.answers["vimeo"] = (200, {}, b"<html>Not here</html>")
    with pytest.raises(embeds.EmbedError, match="not JSON"):
        embeds.oembed(PAGES["Vimeo"])


@pytest.mark.parametrize(
    "address",
    [
        "https://127.0.0.1:8159/oembed",
        "https://localhost:8159/oembed",
        "https://10.0.0.1/oembed",
        "https://192.168.1.1/oembed",
        "https://169.254.169.254/latest",
        "https://[::1]:8159/oembed",
        # (#17) the same addresses written another way: IPv4 inside IPv6, "this host", carrier NAT
        "https://[::ffff:127.0.0.1]/oembed",
        "https://[::ffff:a9fe:a9fe]/latest",
        "https://[::127.0.0.1]/oembed",
        "https://[64:ff9b::a9fe:a9fe]/latest",
        "https://[64:ff9b::a00:1]/oembed",
        "https://[2002:a9fe:a9fe::1]/latest",
        "https://[fd00::1]/oembed",
        "https://[fe80::1]/oembed",
        "https://0.0.0.0/oembed",
        "https://100.64.0.1/oembed",
        "https://2130706433/oembed",
    ],
)
def test_private_and_loopback_addresses_are_never_fetched(address, monkeypatch):
    def no_connection(*args, **kwargs):
        raise AssertionError("a connection was opened")

    monkeypatch.setattr(embeds.socket, "create_connection", no_connection)
    with pytest.raises(embeds.EmbedError, match="not a public address"):
        embeds.fetch_json(address)


def test_the_test_server_setting_allows_that_server_alone(settings, monkeypatch):
    """Tests point providers at a local server; every other private address stays refused meanwhile."""
    settings.EMBED_TEST_SERVER = "http://127.0.0.1:8159"

    def no_connection(*args, **kwargs):
        raise AssertionError("a connection was opened")

    monkeypatch.setattr(embeds.socket, "create_connection", no_connection)
    for address in ["https://127.0.0.1:8159/x", "https://169.254.169.254/latest", "http://127.0.0.1:8160/x"]:
        with pytest.raises(embeds.EmbedError, match="not a public address|not HTTPS"):
            embeds.fetch_json(address)


def test_plain_http_endpoints_are_refused_outside_tests():
    with pytest.raises(embeds.EmbedError, match="not HTTPS"):
        embeds.fetch_json("http://example.com/oembed")


def test_a_host_resolving_to_a_private_address_is_refused(monkeypatch):
    monkeypatch.setattr(
        embeds.socket,
        "getaddrinfo",
        lambda *a, **k: [(2, 1, 6, "", ("93.184.216.34", 443)), (2, 1, 6, "", ("10.1.2.3", 443))],
    )
    with pytest.raises(embeds.EmbedError, match="not a public address"):
        embeds.public_address("rebind.example", 443)


def test_instagram_without_a_token_is_a_link_to_the_post_without_asking_meta(settings, monkeypatch):
    settings.EMBED_TEST_SERVER = ""
    settings.EMBED_FACEBOOK_TOKEN = ""
    monkeypatch.setattr(embeds, "fetch_json", lambda address: pytest.fail("fetched"))
    data = embeds.oembed(PAGES["Instagram"])
    assert data["provider"] == "Instagram" and data["frame"] == ""


def test_frame_sources_name_only_the_providers_of_the_page():
    elements = [
        {"provider": "YouTube", "url": PAGES["YouTube"], "frame": "https://www.youtube-nocookie.com/embed/x"},
        {"provider": "YouTube", "url": PAGES["YouTube"], "frame": "https://evil.example/x"},
        {"provider": "X", "url": PAGES["X"], "frame": "https://platform.twitter.com/x"},
    ]
    assert embeds.frame_sources(elements) == ["https://www.youtube-nocookie.com"]


@pytest.mark.parametrize(
    ("src", "page"),
    [
        ("https://www.youtube.com/embed/dQw4w9WgXcQ?si=abc", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
        ("//www.youtube-nocookie.com/embed/dQw4w9WgXcQ", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
        ("https://player.vimeo.com/video/76979871?h=1", "https://vimeo.com/76979871"),
        (
            "https://open.spotify.com/embed/episode/4rOoJ6Egrf8K2IrywzwOMk",
            "https://open.spotify.com/episode/4rOoJ6Egrf8K2IrywzwOMk",
        ),
        ("https://datawrapper.dwcdn.net/Ab12C/3/", "https://datawrapper.dwcdn.net/Ab12C/"),
        (
            "https://flo.uri.sh/visualisation/1234567/embed",
            "https://public.flourish.studio/visualisation/1234567/",
        ),
        ("https://evil.example/embed/1", ""),
    ],
)
def test_pasted_player_addresses_map_to_their_pages(src, page):
    assert embeds.page_for_frame(src) == page


def test_pasted_frames_of_known_providers_become_embeds_and_others_stay_for_the_sanitizer():
    html = (
        '<p>a</p><iframe width="560" src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe>'
        '<iframe src="https://evil.example/x"></iframe>'
    )
    converted, turned = embeds.convert_pasted_frames(html)
    assert turned == ["YouTube"]
    assert '<figure data-embed="https://www.youtube.com/watch?v=dQw4w9WgXcQ"></figure>' in converted
    assert '<iframe src="https://evil.example/x">' in converted


@pytest.mark.parametrize(
    "url",
    [
        "https://169.254.169.254/latest/meta-data/",
        "http://127.0.0.1:6379/",
        "https://mastodon.social.evil.example/@a/1",
        "https://mastodon.social@10.0.0.1/@a/1",
        "https://10.0.0.1/@harbourwatch/1",
        "file:///etc/passwd",
    ],
)
def test_an_editors_embed_of_any_other_address_is_never_fetched(url, monkeypatch):
    """Only an allowlisted provider's own endpoint is ever asked; a body cannot name another address (#17)."""
    from articles import body

    def no_network(*args, **kwargs):
        raise AssertionError("the network was used")

    monkeypatch.setattr(embeds.socket, "create_connection", no_network)
    monkeypatch.setattr(embeds.socket, "getaddrinfo", no_network)
    html, notes, errors = body.prepare(f'<figure data-embed="{url}"></figure>')
    assert notes and "is not from a provider we embed" in notes[0]
    assert "data-embed" not in html
