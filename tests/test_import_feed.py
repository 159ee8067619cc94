"""RSS and Atom feeds read through feedparser. No database."""

from datetime import UTC, datetime

import pytest

from articles.importers import feed
from articles.importers.records import ArticleRecord, Recovered, SourceError
from tests.conftest import SHARED_FIXTURES

FIXTURES = SHARED_FIXTURES
USES_SHARED_FIXTURES = True
REAL = FIXTURES / "real"


def parse(relative: str) -> list:
    path = REAL / relative
    return list(feed.parse(path.read_bytes(), name=path.name))


def test_guardian_rss_items_with_media_credits_and_categories():
    items = parse("rss/guardian.rss")
    assert len(items) == 55 and all(isinstance(i, ArticleRecord) for i in items)
    first = items[0]
    assert first.headline == "Trump State of the Union address promised unity but emphasized discord"
    assert first.external_id.startswith("https://www.theguardian.com/us-news/2018/jan/31/")
    assert [b.name for b in first.bylines] == ["David Smith"]  # "David Smith in Washington"
    assert first.published_at == datetime(2018, 1, 31, 7, 26, 5, tzinfo=UTC)
    assert first.lead_photo.credit == "Photograph: Networ/Sipa USA/REX/Shutterstock"
    assert "w=460" in first.lead_photo.url  # the larger of the two renditions
    assert not any(item.body_photos for item in items)  # ?w=140 and ?w=460: one picture, not two
    assert first.tags[:2] == ["Donald Trump", "State of the Union address"]
    assert "Continue reading" not in first.body
    assert first.status == "published"


def test_guardian_bylines_with_several_names_and_notes():
    bylines = {tuple(b.name for b in i.bylines) for i in parse("rss/guardian.rss")}
    assert ("Nick Ames", "Ed Aarons", "Ben Fisher") in bylines


def test_content_encoded_wins_over_the_summary():
    first = parse("rss/content-encoded.rss")[0]
    assert [b.name for b in first.bylines] == ["Jeremy Puma"]
    assert "<figure>" in first.body or "<p>" in first.body
    assert len(first.body) > len(first.dek)


def test_atom_entries_take_the_feed_author_and_keep_revisions():
    items = parse("atom/heise.atom")
    assert len(items) == 15
    first = items[0]
    assert [b.name for b in first.bylines] == ["heise online"]
    assert first.published_at == datetime(2016, 2, 1, 16, 22, tzinfo=UTC)
    assert first.revised_at == datetime(2016, 2, 1, 16, 54, 50, tzinfo=UTC)
    assert "ä" in "".join(i.body for i in items) or "ü" in "".join(i.body for i in items)


def test_rss_092_items_without_dates_get_none_keyed_on_their_link():
    items = parse("rss/heraldsun.rss")
    assert [i.external_id for i in items] == [
        "http://www.oreilly.com/example/001.html",
        "http://www.oreilly.com/example/002.html",
    ]
    assert all(i.published_at is None for i in items)
    assert all(not i.bylines for i in items)  # an e-mail address is not a name


def test_entity_declarations_are_refused():
    data = (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaa">]>'
        b'<rss version="2.0"><channel><item><title>&a;</title></item></channel></rss>'
    )
    with pytest.raises(SourceError, match="^evil.rss: refused"):
        list(feed.parse(data, name="evil.rss"))


@pytest.mark.parametrize("data", [b"<html><body>not a feed</body></html>", b"<rss><channel></chan"])
def test_not_a_feed_is_refused(data):
    with pytest.raises(SourceError, match="^x.rss: not a readable RSS or Atom feed"):
        list(feed.parse(data, name="x.rss"))


ILL_FORMED = b"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>Local</title>
<item><title>Fish & chips shop reopens</title><guid>urn:1</guid>
<pubDate>Mon, 01 Jan 2024 10:00:00 GMT</pubDate><description>Hot again.</description></item>
<item><title>Harbour fees</title><guid>urn:2</guid><pubDate>Tue, 02 Jan 2024 10:00:00 GMT</pubDate></item>
</channel></rss>"""


def test_a_feed_that_is_not_well_formed_is_read_as_feed_readers_read_it_its_stories_as_drafts():
    found = list(feed.parse(ILL_FORMED, name="local.rss"))
    (note,) = [item.message for item in found if isinstance(item, Recovered)]
    assert note == (
        "not well-formed XML (line 3, column 19: not well-formed (invalid token)): read as feed readers read "
        "it, with feedparser's lenient parser; its 2 stories kept as drafts for an editor to check"
    )
    stories = [item for item in found if isinstance(item, ArticleRecord)]
    assert [story.headline for story in stories] == ["Fish & chips shop reopens", "Harbour fees"]
    assert all(story.status == "draft" and story.published_at is not None for story in stories)
    assert all("not well-formed: kept as a draft" in story.warnings[-1] for story in stories)


def test_item_without_guid_or_link_is_a_bad_item():
    data = b'<rss version="2.0"><channel><item><title>Lost</title></item></channel></rss>'
    (item,) = feed.parse(data, name="f.rss")
    assert item.error == "no guid or link"


MEDIA_GROUPS = b"""<?xml version="1.0"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Pictures</title>
<item><title>Harbour</title><guid>urn:1</guid><content:encoded><![CDATA[<p>Ships.</p>]]></content:encoded>
<media:group>
  <media:content url="https://pics.example/a-480.jpg" width="480" medium="image"/>
  <media:content url="https://pics.example/a-1600.jpg" width="1600" medium="image"/>
  <media:description>Boats at dawn</media:description><media:credit>Photo: Ann</media:credit>
</media:group>
<media:group>
  <media:content url="https://pics.example/b-480.jpg" width="480" type="image/jpeg"/>
  <media:content url="https://pics.example/b-1200.jpg" width="1200" type="image/jpeg"/>
  <media:description>The quay</media:description><media:credit>Photo: Bo</media:credit>
</media:group>
<media:content url="https://pics.example/c.jpg?w=200" width="200" medium="image"/>
<media:content url="https://pics.example/c.jpg?w=900" width="900" medium="image">
  <media:credit>Photo: Cy</media:credit></media:content>
<media:content url="https://pics.example/clip.mp4" medium="video"/>
<enclosure url="https://pics.example/d.png" type="image/png" length="1"/>
</item>
<item><title>One</title><guid>urn:2</guid><description>Text.</description>
<media:content url="https://pics.example/e.jpg" medium="image"/></item>
</channel></rss>"""


def test_media_groups_and_contents_beyond_the_first_are_photos_at_the_end_of_the_body():
    harbour, one = feed.parse(MEDIA_GROUPS, name="groups.rss")
    assert harbour.lead_photo.url == "https://pics.example/a-1600.jpg"  # the largest of the first group
    assert harbour.body == '<p>Ships.</p>\n<figure data-gallery="1 2 3"></figure>'
    quay, c, d = harbour.body_photos.values()
    assert (quay.url, quay.caption, quay.credit) == (
        "https://pics.example/b-1200.jpg",
        "The quay",
        "Photo: Bo",
    )
    assert (c.url, c.credit) == ("https://pics.example/c.jpg?w=900", "Photo: Cy")  # two sizes, one picture
    assert d.url == "https://pics.example/d.png" and d.label == "picture https://pics.example/d.png"
    assert one.body_photos == {} and "data-" not in one.body  # one picture: the lead photo only


STORY = b"<description>&lt;p&gt;Rain &amp;amp; &lt;b&gt;wind&lt;/b&gt; all week.&lt;/p&gt;</description>"
CAPTIONED = {
    "in media:content": b"""<media:content url="https://pics.example/storm.jpg" medium="image">
  <media:description>Waves over the sea wall</media:description><media:credit>Photo: Ann</media:credit>
</media:content>""",
    "in media:group": b"""<media:group>
  <media:content url="https://pics.example/storm-480.jpg" width="480" type="image/jpeg"/>
  <media:content url="https://pics.example/storm.jpg" width="1600" type="image/jpeg"/>
  <media:description>Waves over the sea wall</media:description><media:credit>Photo: Ann</media:credit>
</media:group>""",
}


def captioned_feed(*parts: bytes, prefix: bytes = b"media") -> bytes:
    item = b"\n".join(parts).replace(b"media:", prefix + b":")
    return b"""<?xml version="1.0"?>
<rss version="2.0" xmlns:%s="http://search.yahoo.com/mrss/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Weather</title><item><title>Storm</title><guid>urn:storm</guid>
%s
</item></channel></rss>""" % (prefix, item)


@pytest.mark.parametrize("where", CAPTIONED)
@pytest.mark.parametrize("caption_first", [False, True], ids=["story first", "caption first"])
def test_media_description_is_the_photo_caption_never_the_body_in_either_order(where, caption_first):
    parts = (CAPTIONED[where], STORY) if caption_first else (STORY, CAPTIONED[where])
    (story,) = feed.parse(captioned_feed(*parts), name="storm.rss")
    assert story.body == "<p>Rain &amp; <b>wind</b> all week.</p>"
    assert story.dek == ""
    photo = story.lead_photo
    assert (photo.url, photo.caption, photo.credit) == (
        "https://pics.example/storm.jpg",
        "Waves over the sea wall",
        "Photo: Ann",
    )


def test_each_caption_goes_with_its_own_picture_whatever_the_prefix():
    second = b"""<media:content url="https://pics.example/quay.jpg" medium="image">
  <media:description type="html">&lt;b&gt;The quay&lt;/b&gt; at noon</media:description></media:content>"""
    full = b"<content:encoded><![CDATA[<p>The whole story.</p>]]></content:encoded>"
    data = captioned_feed(CAPTIONED["in media:group"], second, full, STORY, prefix=b"m")
    (story,) = feed.parse(data, name="storm.rss")
    assert story.body == '<p>The whole story.</p>\n<figure data-photo="1"></figure>'
    assert story.dek == "Rain & wind all week."
    assert (story.lead_photo.url, story.lead_photo.caption) == (
        "https://pics.example/storm.jpg",
        "Waves over the sea wall",
    )
    (quay,) = story.body_photos.values()
    assert (quay.url, quay.caption) == ("https://pics.example/quay.jpg", "The quay at noon")


def test_caption_beside_a_thumbnail_is_not_the_body():
    thumbnail = b"""<media:description>Waves over the sea wall</media:description>
<media:thumbnail url="https://pics.example/storm-thumb.jpg"/>"""
    (story,) = feed.parse(captioned_feed(thumbnail, STORY), name="storm.rss")
    assert story.body == "<p>Rain &amp; <b>wind</b> all week.</p>" and story.dek == ""


VIDEOS = [
    b'<media:content url="https://pics.example/clip" type="video/mp4"/>',
    b'<media:content url="https://pics.example/clip.webm"/>',
    b'<media:group><media:content url="https://pics.example/live.m3u8"/>'
    b'<media:content url="https://pics.example/live-low.m3u8"/></media:group>',
    b'<media:content url="https://pics.example/clip.mov" medium="video" type="image/jpeg"/>',
]


def test_a_video_without_a_medium_is_never_a_photo_and_is_said_to_be_left_out():
    image_by_name = b'<media:content url="https://pics.example/storm.jpg?w=900"/>'
    (story,) = feed.parse(captioned_feed(STORY, *VIDEOS, image_by_name), name="storm.rss")
    assert story.lead_photo.url == "https://pics.example/storm.jpg?w=900"  # an image file, neither given
    assert story.body_photos == {}
    assert story.warnings == [
        "media:content https://pics.example/clip (video/mp4) is not a picture; left out of the story",
        "media:content https://pics.example/clip.webm is not a picture; left out of the story",
        "media:content https://pics.example/live.m3u8 is not a picture; left out of the story",
        "media:content https://pics.example/clip.mov (video) is not a picture; left out of the story",
    ]


def test_an_item_with_only_a_video_has_no_lead_photo_even_when_the_xml_tree_cannot_be_read():
    data = captioned_feed(STORY, VIDEOS[0]).replace(b"Storm", "Stürm".encode("cp1252"))  # not UTF-8
    (story,) = feed.parse(data, name="storm.rss")
    assert story.headline == "Stürm" and story.lead_photo is None
    assert story.warnings == [
        "media:content https://pics.example/clip (video/mp4) is not a picture; left out of the story"
    ]


PODCAST = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Pod</title>
<item><title>Episode 1</title><guid>urn:ep1</guid><description>Talk.</description>
<enclosure url="https://pods.example/ep1.mp3" type="audio/mpeg" length="1"/></item>
<item><title>Episode 2</title><guid>urn:ep2</guid><description>Talk &amp; more.</description>
<enclosure url="https://pods.example/ep2.mp3" type="audio/mpeg" length="1"/>
<enclosure url="https://pods.example/ep2.jpg" type="image/jpeg" length="1"/></item>
</channel></rss>"""


@pytest.mark.parametrize("readable", [True, False])
def test_an_enclosure_that_is_not_a_picture_is_named_in_the_report(readable):
    """A podcast's audio is no photo: left out, and the report says so (#16: it names what it left out)."""
    data = PODCAST if readable else PODCAST.replace(b"Talk.", "Tälk.".encode("cp1252"))  # no XML tree
    one, two = feed.parse(data, name="pod.rss")
    assert one.lead_photo is None and two.lead_photo.url == "https://pods.example/ep2.jpg"
    assert one.warnings == [
        "enclosure https://pods.example/ep1.mp3 (audio/mpeg) is not a picture; left out of the story"
    ]
    assert two.warnings == [
        "enclosure https://pods.example/ep2.mp3 (audio/mpeg) is not a picture; left out of the story"
    ]
