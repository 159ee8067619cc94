import pytest

from articles.html import sanitize

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
        '<figure><img src="https://example.com/a.jpg" alt="A"><figcaption>Cap</figcaption></figure>'
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
        'src="https://example.com/a.jpg"',
        'alt="A"',
        "<figcaption>Cap</figcaption>",
    ]:
        assert fragment in cleaned


def test_sanitize_marks_links_noopener():
    assert 'rel="noopener noreferrer"' in sanitize('<a href="https://example.com">x</a>')


def test_sanitize_empty():
    assert sanitize("") == ""
