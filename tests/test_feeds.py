from datetime import timedelta
from unittest import mock
from xml.etree import ElementTree

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.freshness import changes, clock
from articles.models import Byline
from tests.conftest import make_article, make_author, make_photo, make_section

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"
MEDIA = "{http://search.yahoo.com/mrss/}"


def png():
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (40, 20), "navy").save(buffer, "PNG")
    return SimpleUploadedFile("lead.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def newsroom():
    news, sport = make_section("News"), make_section("Sport")
    anna, bo = make_author("Anna Berg"), make_author("Bo Li")
    photo = make_photo(
        image=png(), caption="Boats in the harbour.", credit="Photo: Reuters", alt_text="Boats"
    )
    lead = make_article(
        "Harbour reopens",
        section=news,
        authors=[anna, bo],
        tags=["Shipping", "Climate"],
        lead_photo=photo,
        dek="Ships return after the storm.",
    )
    make_article("Cup final", section=sport, authors=[bo], tags=["Football"], ago=timedelta(hours=3))
    make_article("Secret draft", section=news, authors=[anna], tags=["Shipping"], status="draft")
    make_article("Scheduled story", section=news, authors=[anna], tags=["Shipping"], ago=timedelta(hours=-2))
    return lead


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response, ElementTree.fromstring(response.content)


def test_latest_rss_lists_only_published_stories_newest_first(client, newsroom):
    response, rss = parse(client, "/feeds/rss/")
    assert response["Content-Type"].startswith("application/rss+xml")
    titles = [item.findtext("title") for item in rss.iter("item")]
    assert titles == ["Harbour reopens", "Cup final"]


def test_rss_item_has_every_byline_categories_and_photo_with_credit(client, newsroom):
    _, rss = parse(client, "/feeds/rss/")
    item = next(rss.iter("item"))
    assert [c.text for c in item.findall(f"{DC}creator")] == ["Anna Berg", "Bo Li"]
    assert {c.text for c in item.findall("category")} == {"News", "Shipping", "Climate"}
    assert item.findtext("link") == "http://testserver" + newsroom.get_absolute_url()
    assert item.findtext("description") == "Ships return after the storm."
    enclosure = item.find("enclosure")
    assert enclosure.get("url").startswith("http://testserver/media/photos/")
    assert enclosure.get("type") == "image/png" and int(enclosure.get("length")) > 0
    media = item.find(f"{MEDIA}content")
    assert media.get("url") == enclosure.get("url")
    assert (media.get("width"), media.get("height")) == ("40", "20")
    assert media.findtext(f"{MEDIA}credit") == "Photo: Reuters"
    assert media.findtext(f"{MEDIA}description") == "Boats in the harbour."


def test_atom_entry_has_an_author_per_byline_and_the_photo(client, newsroom):
    response, atom = parse(client, "/feeds/atom/")
    assert response["Content-Type"].startswith("application/atom+xml")
    entries = atom.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Harbour reopens", "Cup final"]
    authors = [
        (a.findtext(f"{ATOM}name"), a.findtext(f"{ATOM}uri")) for a in entries[0].findall(f"{ATOM}author")
    ]
    assert authors == [
        ("Anna Berg", "http://testserver/author/anna-berg/"),
        ("Bo Li", "http://testserver/author/bo-li/"),
    ]
    assert {c.get("term") for c in entries[0].findall(f"{ATOM}category")} == {"News", "Shipping", "Climate"}
    enclosure = [link for link in entries[0].findall(f"{ATOM}link") if link.get("rel") == "enclosure"]
    assert len(enclosure) == 1 and enclosure[0].get("type") == "image/png"
    assert entries[0].find(f"{MEDIA}content").findtext(f"{MEDIA}credit") == "Photo: Reuters"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/section/news/rss/", ["Harbour reopens"]),
        ("/section/sport/atom/", ["Cup final"]),
        ("/author/anna-berg/rss/", ["Harbour reopens"]),
        ("/author/bo-li/atom/", ["Harbour reopens", "Cup final"]),
        ("/tag/shipping/rss/", ["Harbour reopens"]),
        ("/tag/football/atom/", ["Cup final"]),
    ],
)
def test_section_author_and_tag_feeds_hold_only_their_published_stories(client, newsroom, url, expected):
    _, feed = parse(client, url)
    if url.endswith("/rss/"):
        titles = [item.findtext("title") for item in feed.iter("item")]
    else:
        titles = [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")]
    assert titles == expected


def test_feeds_of_unknown_things_are_404(client, newsroom):
    for url in ["/section/nope/rss/", "/author/nope/atom/", "/tag/nope/rss/"]:
        assert client.get(url).status_code == 404


def test_story_without_byline_or_photo_still_makes_a_valid_atom_entry(client):
    make_article("Agency copy", dek="")
    _, atom = parse(client, "/feeds/atom/")
    entry = atom.find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}author") is None
    assert atom.find(f"{ATOM}author").findtext(f"{ATOM}name") == "The Newsroom"  # the feed's own author
    assert entry.find(f"{MEDIA}content") is None


def test_byline_roles_are_all_credited(client):
    story = make_article("Roles", authors=[make_author("Writer One")])
    Byline.objects.create(article=story, author=make_author("Photo Grapher"), position=1, role="Photos by")
    _, rss = parse(client, "/feeds/rss/")
    assert [c.text for c in next(rss.iter("item")).findall(f"{DC}creator")] == ["Writer One", "Photo Grapher"]


@pytest.mark.parametrize("size", [3, 12])
def test_feed_costs_a_fixed_number_of_queries(client, size):
    section = make_section("News")
    authors = [make_author(f"Author {i}") for i in range(3)]
    for i in range(size):
        make_article(f"Story {i}", section=section, authors=authors[: 1 + i % 3], tags=[f"t{i % 4}"])
    changes.due(clock.time())  # the page cache's look-up after the saves is not the feed's cost
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/feeds/rss/").status_code == 200
    assert len(ctx.captured_queries) == 3  # stories with section and photo; bylines with authors; tags


def html_text(fragment):
    """What a feed reader shows for an HTML field: its text after one HTML decoding, and the tags it met."""
    from html.parser import HTMLParser

    class Reader(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.text, self.tags = [], []

        def handle_starttag(self, tag, attrs):
            self.tags.append(tag)

        def handle_data(self, data):
            self.text.append(data)

    reader = Reader()
    reader.feed(fragment or "")
    reader.close()
    return "".join(reader.text), reader.tags


@pytest.mark.parametrize(
    "standfirst",
    [
        "AT&T cuts prices",
        "Where a<b and c>d",
        "<img src=x onerror=alert(1)> reads as text",
        "&amp; stays &amp;",
    ],
)
def test_standfirst_reaches_feed_readers_as_the_text_typed(client, standfirst):
    make_article("Story", dek=standfirst)
    _, rss = parse(client, "/feeds/rss/")
    _, atom = parse(client, "/feeds/atom/")
    summary = atom.find(f"{ATOM}entry/{ATOM}summary")
    assert summary.get("type") == "html"
    for shown in (next(rss.iter("item")).findtext("description"), summary.text):
        assert html_text(shown) == (standfirst, [])


def test_seo_description_is_escaped_like_the_standfirst(client):
    make_article("Story", dek="Plain", seo_description='Tom & Jerry say "<b>hi</b>"')
    _, rss = parse(client, "/feeds/rss/")
    assert html_text(next(rss.iter("item")).findtext("description")) == ('Tom & Jerry say "<b>hi</b>"', [])


@pytest.mark.parametrize("kind", ["embargoed", "scheduled"])
@pytest.mark.parametrize(
    "url", ["/author/ghost/rss/", "/author/ghost/atom/", "/tag/secret/rss/", "/tag/secret/atom/"]
)
def test_feeds_of_authors_and_tags_without_a_published_story_are_404(client, kind, url):
    when = {
        "embargoed": {"embargo_until": timezone.now() + timedelta(hours=2)},
        "scheduled": {"ago": timedelta(hours=-2)},
    }
    ghost = make_author("Ghost")
    make_article("Not yet", authors=[ghost], tags=["Secret"], **when[kind])
    make_article("Draft", authors=[ghost], tags=["Secret"], status="draft")
    assert client.get(url).status_code == 404
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() + timedelta(hours=3)):
        assert client.get(url).status_code == 200


def test_section_feed_stays_public_without_stories(client):
    make_section("Weather", description="Forecasts & warnings.")
    _, rss = parse(client, "/section/weather/rss/")
    assert rss.findtext("channel/description") == "Forecasts & warnings."
    assert list(rss.iter("item")) == []
