import pytest
from django.test import override_settings

from articles.html import foreign_image_message, is_own_media, sanitize, sanitize_reporting

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    "<svg onload=alert(1)>",
    '<iframe src="https://evil.example"></iframe>',
    '<p onclick="alert(1)">x</p>',
    "<style>body{display:none}</style>",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<form action="https://evil.example"><input name=q></form>',
    '<object data="x.swf"></object>',
    "<!-- <script>alert(1)</script> -->",
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_sanitize_removes_executable_markup(payload):
    cleaned = sanitize(payload).lower()
    for needle in [
        "<script",
        "onerror",
        "onload",
        "onclick",
        "javascript:",
        "style",
        "<iframe",
        "<svg",
        "data:",
        "<form",
        "<object",
        "alert(1)</script",
    ]:
        assert needle not in cleaned


def test_sanitize_keeps_story_markup():
    html = (
        '<p>Para <strong>bold</strong> <em>it</em> <a href="https://example.com/x">link</a></p>'
        "<h2>Sub</h2><h3>Subsub</h3><blockquote><p>Quote</p></blockquote>"
        "<ul><li>one</li></ul><ol><li>two</li></ol>"
        '<figure><img src="/media/photos/a.jpg" alt="A"><figcaption>Cap</figcaption></figure>'
    )
    cleaned = sanitize(html)
    for fragment in [
        "<strong>bold</strong>",
        "<em>it</em>",
        'href="https://example.com/x"',
        "<h2>Sub</h2>",
        "<h3>Subsub</h3>",
        "<blockquote>",
        "<li>one</li>",
        "<ol>",
        'src="/media/photos/a.jpg"',
        'alt="A"',
        "<figcaption>Cap</figcaption>",
    ]:
        assert fragment in cleaned


def test_sanitize_marks_links_noopener():
    assert 'rel="noopener noreferrer"' in sanitize('<a href="https://example.com">x</a>')


def test_sanitize_empty():
    assert sanitize("") == ""


# Images: only the newsroom's own media (finding 13 of the security review)


@pytest.mark.parametrize(
    "address",
    ["/media/photos/2024/01/a.jpg", "http://localhost/media/a.jpg", "https://127.0.0.1/media/a.webp"],
)
def test_sanitize_keeps_images_from_our_own_media(address):
    body = f'<figure><img src="{address}" alt="A"></figure>'
    assert sanitize_reporting(body) == (body, [])


@pytest.mark.parametrize(
    "address",
    [
        "https://tracker.example/p.gif",
        "//tracker.example/media/p.gif",
        "https://tracker.example/media/p.gif",
        "https://localhost.tracker.example/media/p.gif",
        "/static/logo.png",
        "/admin/logout/",
        "/media/../admin/logout/",
        "/media/%2e%2e/admin/logout/",
        "media/a.jpg",
        "https://user@localhost/media/a.jpg",
    ],
)
def test_sanitize_removes_images_from_anywhere_else_and_names_them(address):
    cleaned, removed = sanitize_reporting(f'<p>Before<img src="{address}" alt="pixel">after</p>')
    assert cleaned == "<p>Beforeafter</p>"
    assert removed == [address]


def test_sanitize_names_each_removed_image_once_with_its_address_unescaped():
    body = '<p><img src="https://t.example/p.gif?a=1&amp;b=2"><img src="/media/ok.jpg"><img src="https://u.example/q"></p>'
    cleaned, removed = sanitize_reporting(body)
    assert cleaned == '<p><img src="/media/ok.jpg"></p>'
    assert removed == ["https://t.example/p.gif?a=1&b=2", "https://u.example/q"]


def test_an_image_without_an_address_is_dropped_silently():
    assert sanitize_reporting('<p><img src="javascript:alert(1)" alt="x"><img alt="y">ok</p>') == (
        "<p>ok</p>",
        [],
    )


def test_an_image_tag_written_as_text_stays_text():
    assert sanitize('<p>&lt;img src="https://t.example/p.gif"&gt;</p>') == (
        '<p>&lt;img src="https://t.example/p.gif"&gt;</p>'
    )


@override_settings(MEDIA_URL="https://cdn.newsroom.example/media/")
def test_media_on_a_cdn_is_our_own_and_our_host_is_then_not():
    assert is_own_media("https://cdn.newsroom.example/media/a.jpg")
    assert not is_own_media("https://cdn.newsroom.example/other/a.jpg")
    assert not is_own_media("/media/a.jpg")


@override_settings(ALLOWED_HOSTS=["*"])
def test_a_wildcard_allowed_host_does_not_make_every_site_ours():
    assert not is_own_media("https://tracker.example/media/p.gif")


def test_foreign_image_message_tells_the_editor_what_to_do():
    assert foreign_image_message("https://tracker.example/p.gif") == (
        "Removed an image from another site (https://tracker.example/p.gif): upload it to Photos instead."
    )
