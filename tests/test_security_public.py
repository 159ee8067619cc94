"""What readers' software receives from the public documents (feeds, the news sitemap, the ninjs API).

The security review (#17) re-ran a list of classic XSS payloads against every text field that reaches a
feed: each must arrive as the plain text an editor typed, escaped once, never as live markup, and the
documents must stay well-formed. Unpublished authors and tags must not show anywhere.
"""

import json
from datetime import timedelta
from html.parser import HTMLParser
from io import BytesIO
from xml.etree import ElementTree

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.html import escape
from PIL import Image

from articles.models import Article, Author, Byline, Correction, Photo, Section, Tag
from tests.conftest import make_article, make_author

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"
MEDIA = "{http://search.yahoo.com/mrss/}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
SITE = "The Newsroom"

PAYLOADS = [
    "<script>alert(1)</script>",
    "<ScRiPt>alert(1)</sCrIpT>",
    "<script src=//evil.example/x.js></script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=x OnErRoR=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg/onload=alert(1)//",
    "<svg><script>alert(1)</script></svg>",
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<object data="data:text/html,<script>alert(1)</script>">',
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    '" onmouseover="alert(1)',
    "' onfocus='alert(1)' autofocus='",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "&#x3C;img src=x onerror=alert(1)&#x3E;",
    "<![CDATA[<script>alert(1)</script>]]>",
    "]]><script>alert(1)</script>",
    "]]>",
    "<!--<script>alert(1)</script>-->",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<style>@import 'javascript:alert(1)';</style>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:/">',
    '<?xml-stylesheet href="evil.xsl"?>',
    '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>&e;',
    "</title><script>alert(1)</script>",
    "</description><item><title>Injected</title></item>",
    '<x:script xmlns:x="http://www.w3.org/1999/xhtml">alert(1)</x:script>',
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "+ADw-script+AD4-alert(1)+ADw-/script+AD4-",
    "\u2028<script>alert(1)</script>\u2029",
    "AT&T & a<b > c \"quoted\" 'single'",
]


def png(colour="navy"):
    buffer = BytesIO()
    Image.new("RGB", (8, 8), colour).save(buffer, "PNG")
    return SimpleUploadedFile("lead.png", buffer.getvalue(), content_type="image/png")


def newsroom(payload):
    """Two published stories with `payload` in every text field readers' software can receive.

    The first carries the standfirst, the second an SEO description (which the feeds prefer). The SEO title
    and the correction note are marked, to show they reach none of these documents.
    """
    section = Section.objects.create(name=payload, slug="payload-section", description=payload)
    author = Author.objects.create(name=payload, slug="payload-author")
    tag = Tag.objects.create(name=payload, slug="payload-tag")
    photo = Photo.objects.create(image=png(), caption=payload, credit=payload, alt_text=payload)
    first = Article.objects.create(
        headline=payload,
        dek=payload,
        seo_title=payload + " (seo title)",
        section=section,
        lead_photo=photo,
        dateline_place=payload,
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() - timedelta(hours=1),
        body="<p>Body.</p>",
    )
    second = Article.objects.create(
        headline=payload,
        dek="A standfirst the SEO description replaces.",
        seo_description=payload,
        section=section,
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() - timedelta(hours=2),
        body="<p>Body.</p>",
    )
    for story in (first, second):
        Byline.objects.create(article=story, author=author, role=payload if story is first else "")
        story.tags.set([tag])
    Correction.objects.create(article=first, note=payload + " (correction)")
    return first, second


def fetch_xml(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return ElementTree.fromstring(response.content)  # raises on a document that is not well-formed


def as_html(fragment):
    """What a reader shows for an HTML field: its text after one HTML decoding, and the tags it found."""

    class Reader(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.text, self.markup = [], []

        def handle_starttag(self, tag, attrs):
            self.markup.append(tag)

        def handle_comment(self, data):
            self.markup.append("<!--")

        def handle_decl(self, decl):
            self.markup.append(decl)

        def handle_pi(self, data):
            self.markup.append(data)

        def unknown_decl(self, data):
            self.markup.append(data)

        def handle_data(self, data):
            self.text.append(data)

    reader = Reader()
    reader.feed(fragment)
    reader.close()
    return "".join(reader.text), reader.markup


def texts(root):
    """Every element text and attribute value of a parsed document, with its element."""
    for element in root.iter():
        if element.text is not None:
            yield element, element.text
        for value in element.attrib.values():
            yield element, value


def html_fields(root):
    """The elements feed readers render as HTML: RSS item descriptions, Atom texts of type html/xhtml."""
    items = root.findall("channel/item/description")
    return items + [e for e in root.iter() if e.get("type") in ("html", "xhtml")]


def check_feed(root, payload, plain):
    """HTML fields read as the payload once decoded, with no markup; every other text is one of `plain`."""
    in_html = html_fields(root)
    for element in in_html:
        assert element.text == escape(payload), "escaped once, in an HTML field"
        assert as_html(element.text) == (payload, []), "a reader sees the text typed, no markup"
    for element, value in texts(root):
        if element in in_html or (payload not in value and escape(payload) not in value):
            continue
        assert value in plain, f"{element.tag}: {value!r}"
    assert "(seo title)" not in ElementTree.tostring(root, encoding="unicode")
    assert "(correction)" not in ElementTree.tostring(root, encoding="unicode")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_feeds_carry_xss_payloads_as_the_plain_text_typed(client, payload):
    first, second = newsroom(payload)
    plain = {
        payload,
        f"{payload} · {SITE}",
        f"The latest stories by {payload}.",
        f"The latest stories about {payload}.",
    }
    feeds = [
        "/feeds/{}/",
        "/section/payload-section/{}/",
        "/author/payload-author/{}/",
        "/tag/payload-tag/{}/",
    ]
    for url in feeds:
        rss = fetch_xml(client, url.format("rss"))
        items = rss.findall("channel/item")
        assert [i.findtext("title") for i in items] == [payload, payload]
        assert [i.findtext(f"{DC}creator") for i in items] == [payload, payload]
        assert [c.text for c in items[0].findall("category")] == [payload, payload]  # section, tag
        media = items[0].find(f"{MEDIA}content")
        assert media.findtext(f"{MEDIA}credit") == payload
        assert media.findtext(f"{MEDIA}description") == payload
        assert len(html_fields(rss)) == 2  # the two stories' descriptions
        check_feed(rss, payload, plain)

        atom = fetch_xml(client, url.format("atom"))
        entries = atom.findall(f"{ATOM}entry")
        assert [e.findtext(f"{ATOM}title") for e in entries] == [payload, payload]
        assert [e.findtext(f"{ATOM}author/{ATOM}name") for e in entries] == [payload, payload]
        assert [c.get("term") for c in entries[0].findall(f"{ATOM}category")] == [payload, payload]
        assert [e.find(f"{ATOM}summary").get("type") for e in entries] == ["html", "html"]
        assert entries[0].find(f"{MEDIA}content").findtext(f"{MEDIA}credit") == payload
        check_feed(atom, payload, plain)

    section_rss = fetch_xml(client, "/section/payload-section/rss/").find("channel")
    assert section_rss.findtext("title") == f"{payload} · {SITE}"
    assert section_rss.findtext("description") == payload
    tag_atom = fetch_xml(client, "/tag/payload-tag/atom/")
    assert tag_atom.findtext(f"{ATOM}title") == f"{payload} · {SITE}"
    assert tag_atom.findtext(f"{ATOM}subtitle") == f"The latest stories about {payload}."


@pytest.mark.parametrize("payload", PAYLOADS)
def test_news_sitemap_and_ninjs_carry_xss_payloads_as_data(client, payload):
    first, _ = newsroom(payload)
    sitemap = fetch_xml(client, "/sitemap-news.xml")
    assert [t.text for t in sitemap.iter(f"{NEWS}title")] == [payload, payload]
    assert "(seo title)" not in ElementTree.tostring(sitemap, encoding="unicode")

    response = client.get(f"/api/ninjs/{first.pk}/")
    assert response["Content-Type"] == "application/json"  # never rendered as a page...
    assert response["X-Content-Type-Options"] == "nosniff"  # ...nor sniffed into one
    document = json.loads(response.content)
    assert document["headlines"] == [{"role": "main", "value": payload}, {"role": "sub", "value": payload}]
    assert [s["name"] for s in document["subjects"]] == [payload, payload]
    assert [p["name"] for p in document["people"]] == [payload]
    assert document["by"] == f"{payload} {payload}"  # the byline's role, then the author
    assert document["located"] == payload
    photo = document["associations"][0]
    assert photo["by"] == payload
    assert photo["descriptions"] == [
        {"role": "caption", "value": payload},
        {"role": "alternativeText", "value": payload},
    ]
    assert "(correction)" not in response.content.decode() and "(seo title)" not in response.content.decode()


def test_control_characters_in_old_rows_leave_feeds_and_news_sitemap_well_formed(client):
    """Rows saved before save() stripped control characters may hold them: the output drops them."""
    story = make_article("Headline", authors=[make_author("Anna Berg")], tags=["Shipping"], dek="Dek")
    dirty = "Vertical\x0btab, bell\x07 and unit\x1f separator"  # no NUL: PostgreSQL never stored one
    clean = "Verticaltab, bell and unit separator"
    # update() skips save(), as the rows written before the fix did
    Article.objects.filter(pk=story.pk).update(headline=dirty, dek=dirty)
    Author.objects.update(name=dirty)
    Tag.objects.update(name=dirty)
    Section.objects.update(name=dirty, description=dirty)
    for url in ["/feeds/rss/", "/section/news/rss/", "/author/anna-berg/rss/", "/tag/shipping/rss/"]:
        item = fetch_xml(client, url).find("channel/item")
        assert item.findtext("title") == clean
        assert item.findtext("description") == clean
        assert item.findtext(f"{DC}creator") == clean
        assert [c.text for c in item.findall("category")] == [clean, clean]
    atom = fetch_xml(client, "/section/news/atom/")
    assert atom.findtext(f"{ATOM}subtitle") == clean
    assert atom.findtext(f"{ATOM}entry/{ATOM}summary") == clean
    sitemap = fetch_xml(client, "/sitemap-news.xml")
    assert sitemap.findtext(f"{SM}url/{NEWS}news/{NEWS}title") == clean


@pytest.mark.parametrize("kind", ["embargoed", "scheduled"])
def test_sitemaps_name_no_author_or_tag_of_unpublished_stories(client, kind):
    when = {
        "embargoed": {"embargo_until": timezone.now() + timedelta(hours=2)},
        "scheduled": {"ago": timedelta(hours=-2)},
    }
    make_article("Public", authors=[make_author("Anna Berg")], tags=["Shipping"])
    make_article("Not yet", authors=[make_author("Ghost")], tags=["Secret"], **when[kind])
    authors = [loc.text for loc in fetch_xml(client, "/sitemap-authors.xml").iter(f"{SM}loc")]
    tags = [loc.text for loc in fetch_xml(client, "/sitemap-tags.xml").iter(f"{SM}loc")]
    assert (authors, tags) == (["http://testserver/author/anna-berg/"], ["http://testserver/tag/shipping/"])
    news = fetch_xml(client, "/sitemap-news.xml")
    assert [t.text for t in news.iter(f"{NEWS}title")] == ["Public"]


def body_with_elements(payload):
    """A published story whose body shows a photo with its own caption, a gallery and a fetched embed, each
    text holding `payload` (the body's elements, #14: they reach feeds' Media RSS and the ninjs body)."""
    shown = Photo.objects.create(image=png(), caption=payload, credit=payload, alt_text=payload)
    in_gallery = Photo.objects.create(image=png("teal"), caption=payload, credit=payload, alt_text=payload)
    text = escape(payload)
    body = (
        f'<p>Body.</p><figure data-photo="{shown.pk}" data-caption="{text}"></figure>'
        f'<figure data-gallery="{shown.pk} {in_gallery.pk}" data-caption="{text}"></figure>'
        f'<figure data-embed="https://vimeo.com/1" data-provider="Vimeo" data-title="{text}"></figure>'
    )
    return Article.objects.create(
        headline="Elements", dek="Plain.", section=Section.objects.create(name="S", slug="s"), body=body,
        status=Article.Status.PUBLISHED, published_at=timezone.now() - timedelta(hours=1),
    )  # fmt: skip


class Markup(HTMLParser):
    """The tags and attributes of an HTML fragment, and its text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.text = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_body_photos_galleries_and_embeds_carry_xss_payloads_as_text(client, payload):
    story = body_with_elements(payload)
    for url in ("/feeds/rss/", "/feeds/atom/"):
        document = fetch_xml(client, url)
        media = list(document.iter(f"{MEDIA}content"))
        assert len(media) == 2, url  # the body's two photos (no lead photo)
        assert [m.findtext(f"{MEDIA}description") for m in media] == [payload, payload]
        assert [m.findtext(f"{MEDIA}credit") for m in media] == [payload, payload]

    document = json.loads(client.get(f"/api/ninjs/{story.pk}/").content)
    assert [a["descriptions"][0]["value"] for a in document["associations"]] == [payload, payload]
    markup = Markup()
    markup.feed(document["bodies"][0]["value"])
    markup.close()
    allowed = {"p": set(), "figure": set(), "figcaption": set(), "cite": set(), "a": {"href"},
               "img": {"src", "alt", "width", "height"}}  # fmt: skip
    for tag, attrs in markup.tags:
        assert tag in allowed and set(attrs) <= allowed[tag], (tag, attrs)
        for name in ("src", "href"):
            assert attrs.get(name) is None or attrs[name].startswith(
                ("http://testserver/", "https://vimeo.com/")
            )
        assert attrs.get("alt") in (None, payload)
    assert (
        "".join(markup.text).count(payload) >= 3
    )  # the photo's caption, the gallery's two, the embed's title
