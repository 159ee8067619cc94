import json
from datetime import UTC, datetime
from html.parser import HTMLParser
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.conftest import make_article, make_author, make_photo, make_section

pytestmark = pytest.mark.django_db


class Head(HTMLParser):
    """The JSON-LD blocks, <meta> and <link> tags of a page."""

    def __init__(self, html):
        super().__init__()
        self.json_ld, self.meta, self.links, self.scripts = [], {}, [], []
        self._in_json = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.scripts.append(attrs)
            self._in_json = attrs.get("type") == "application/ld+json"
        elif tag == "meta" and ("property" in attrs or "name" in attrs):
            self.meta.setdefault(attrs.get("property") or attrs["name"], []).append(attrs.get("content"))
        elif tag == "link":
            self.links.append(attrs)

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_json = False

    def handle_data(self, data):
        if self._in_json:
            self.json_ld.append(json.loads(data))


def jpeg():
    buffer = BytesIO()
    Image.new("RGB", (120, 80), "olive").save(buffer, "JPEG")
    return SimpleUploadedFile("lead.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def story():
    news = make_section("News")
    photo = make_photo(
        image=jpeg(), caption="Wives by the wall.", credit="Photo: X", alt_text="Women with flowers"
    )
    return make_article(
        "Uprising in Russia",
        section=news,
        authors=[make_author("Henrik Rothen"), make_author("Anna Berg")],
        tags=["Russia", "Protests"],
        lead_photo=photo,
        dek="The wives of mobilized soldiers protest.",
        published_at=datetime(2024, 1, 7, 11, 58, tzinfo=UTC),
        revised_at=datetime(2024, 7, 8, 9, 0, tzinfo=UTC),
        dateline_place="Moscow",
    )


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return Head(response.content.decode())


def test_news_article_json_ld_has_the_required_properties(client, story):
    article, crumbs = page(client, story.get_absolute_url()).json_ld
    url = "http://testserver" + story.get_absolute_url()
    assert article["@context"] == "https://schema.org" and article["@type"] == "NewsArticle"
    assert article["headline"] == "Uprising in Russia"
    assert article["url"] == url and article["mainEntityOfPage"]["@id"] == url
    assert article["datePublished"] == "2024-01-07T12:58:00+01:00"
    assert article["dateModified"] == "2024-07-08T11:00:00+02:00"  # summer time
    assert article["author"] == [
        {"@type": "Person", "name": "Henrik Rothen", "url": "http://testserver/author/henrik-rothen/"},
        {"@type": "Person", "name": "Anna Berg", "url": "http://testserver/author/anna-berg/"},
    ]
    # the 16:9, 4:3 and 1:1 crops of the 120×80 photo, as Google asks for a NewsArticle
    assert [(image["width"], image["height"]) for image in article["image"]] == [
        (120, 68),
        (107, 80),
        (80, 80),
    ]
    for image in article["image"]:
        assert image["@type"] == "ImageObject" and image["url"].startswith("http://testserver/media/photos/")
        assert image["creditText"] == "Photo: X" and image["caption"] == "Wives by the wall."
    assert article["publisher"]["@type"] == "NewsMediaOrganization"
    assert article["publisher"]["name"] == "The Newsroom"
    assert article["publisher"]["logo"]["url"].startswith("http://testserver/static/")
    assert article["articleSection"] == "News"
    assert sorted(article["keywords"]) == ["Protests", "Russia"]
    assert article["description"] == "The wives of mobilized soldiers protest."
    assert article["dateline"] == "Moscow"


def test_breadcrumbs_lead_from_home_through_the_section(client, story):
    _, crumbs = page(client, story.get_absolute_url()).json_ld
    assert crumbs["@type"] == "BreadcrumbList"
    assert [(c["position"], c["name"], c["item"]) for c in crumbs["itemListElement"]] == [
        (1, "The Newsroom", "http://testserver/"),
        (2, "News", "http://testserver/section/news/"),
        (3, "Uprising in Russia", "http://testserver" + story.get_absolute_url()),
    ]


def test_json_ld_cannot_be_broken_out_of(client):
    story = make_article("</script><script>alert(1)</script> & more", dek="<!-- x --> 'quotes' \"too\"")
    html = client.get(story.get_absolute_url()).content.decode()
    block = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in block and ">" not in block and "&" not in block
    assert "\\u003C/script\\u003E" in block
    head = Head(html)
    assert head.json_ld[0]["headline"] == "</script><script>alert(1)</script> & more"
    assert head.json_ld[0]["description"] == "<!-- x --> 'quotes' \"too\""


def test_pages_have_no_inline_executable_script(client, story):
    for url in ["/", story.get_absolute_url(), "/section/news/", "/search/?q=russia", "/tag/russia/"]:
        for attrs in page(client, url).scripts:
            assert attrs.get("type") == "application/ld+json" or attrs.get("src", "").startswith(
                "/static/"
            ), url


def test_article_has_open_graph_twitter_and_canonical(client, story):
    head = page(client, story.get_absolute_url())
    url = "http://testserver" + story.get_absolute_url()
    assert head.meta["og:type"] == ["article"]
    assert head.meta["og:title"] == ["Uprising in Russia"]
    assert head.meta["og:description"] == ["The wives of mobilized soldiers protest."]
    assert head.meta["og:url"] == [url]
    assert head.meta["og:image"][0].startswith("http://testserver/media/photos/")
    assert head.meta["og:image:alt"] == ["Women with flowers"]
    assert head.meta["twitter:card"] == ["summary_large_image"]
    assert head.meta["article:published_time"] == ["2024-01-07T12:58:00+01:00"]
    assert head.meta["article:section"] == ["News"]
    assert sorted(head.meta["article:tag"]) == ["Protests", "Russia"]
    assert head.meta["article:author"] == [
        "http://testserver/author/henrik-rothen/",
        "http://testserver/author/anna-berg/",
    ]
    assert [link["href"] for link in head.links if link.get("rel") == "canonical"] == [url]


def test_seo_fields_override_title_and_description(client):
    story = make_article("Long headline", seo_title="Short", seo_description="For search engines.")
    head = page(client, story.get_absolute_url())
    assert head.meta["og:title"] == ["Short"] and head.meta["description"] == ["For search engines."]


@pytest.mark.parametrize(
    ("url", "feed_title"),
    [
        ("/section/news/", "News"),
        ("/author/anna-berg/", "Anna Berg"),
        ("/tag/russia/", "Russia"),
    ],
)
def test_every_page_links_its_feeds(client, story, url, feed_title):
    head = page(client, url)
    feeds = {
        (link["type"], link["title"], link["href"]) for link in head.links if link.get("rel") == "alternate"
    }
    slug_path = url.rstrip("/")
    assert feeds == {
        ("application/rss+xml", "The Newsroom: latest stories (RSS)", "/feeds/rss/"),
        ("application/atom+xml", "The Newsroom: latest stories (Atom)", "/feeds/atom/"),
        ("application/rss+xml", f"{feed_title} (RSS)", f"{slug_path}/rss/"),
        ("application/atom+xml", f"{feed_title} (Atom)", f"{slug_path}/atom/"),
    }
    assert head.meta["og:type"] == ["website"] and head.meta["twitter:card"] == ["summary"]
    assert [link["href"] for link in head.links if link.get("rel") == "canonical"] == [
        "http://testserver" + url
    ]


def test_home_links_the_latest_feeds_and_has_a_canonical(client, story):
    head = page(client, "/")
    types = {link["type"] for link in head.links if link.get("rel") == "alternate"}
    assert types == {"application/rss+xml", "application/atom+xml"}
    assert [link["href"] for link in head.links if link.get("rel") == "canonical"] == ["http://testserver/"]


def test_later_pages_of_a_list_are_their_own_canonical(client, settings):
    make_section("News")
    for i in range(25):
        make_article(f"Story {i}")
    head = page(client, "/latest/?page=2")
    assert [link["href"] for link in head.links if link.get("rel") == "canonical"] == [
        "http://testserver/latest/?page=2"
    ]


def test_preview_has_no_canonical_and_no_json_ld(staff_client):
    draft = make_article("Secret", status="draft")
    head = Head(staff_client.get(f"/preview/{draft.pk}/").content.decode())
    assert head.json_ld == []
    assert not [link for link in head.links if link.get("rel") == "canonical"]
    assert head.meta["robots"] == ["noindex, nofollow"]
