"""IPTC ninjs 1.x, 2.x, 3.x and Superdesk's dialect: one object, arrays, JSON Lines. No database."""

import json
from datetime import UTC, datetime

import pytest

from articles.importers import ninjs
from articles.importers.records import ArticleRecord, BadItem, Skipped, SourceError
from tests.conftest import SHARED_FIXTURES

FIXTURES = SHARED_FIXTURES
USES_SHARED_FIXTURES = True
NINJS = FIXTURES / "real" / "ninjs"


def parse(relative: str) -> list:
    path = NINJS / relative
    return list(ninjs.parse(path.read_bytes(), name=path.name))


@pytest.mark.parametrize(
    "relative",
    [
        "examples/1.4/ninjsExSimpleText1.json",
        "examples/2.1/ninjsExSimpleText_2.json",
        "examples/3.0/ninjsExSimpleText_3.json",
    ],
)
def test_the_same_story_in_ninjs_1_2_and_3_reads_the_same(relative):
    (story,) = parse(relative)
    assert story.external_id == "http://ninjs.example.com/newsitems/20130709simp123"
    assert story.headline == "Captain of wrecked cruise ship on trial in Italy"
    assert [b.name for b in story.bylines] == ["Paulo Santalucia", "Frances d'Emilio"]
    assert story.published_at == datetime(2013, 7, 9, 10, 37, tzinfo=UTC)
    assert story.body.startswith("<p>GROSSETO, Italy (AP)")
    assert story.body.count("<p>") == 4  # the HTML body wins over the plain-text one
    assert "<body>" not in story.body
    assert story.status == "published"


def test_ninjs_1_6_pattern_properties_headline_and_body():
    (story,) = parse("doc-examples/1.6/004_simple_text_article.json")
    assert story.headline == "Captain of wrecked cruise ship on trial in Italy"
    assert story.body.startswith("<p>GROSSETO")


def test_subjects_become_tags_and_the_picture_association_the_lead_photo():
    (story,) = parse("examples/2.1/tt_text_image_2.json")
    assert story.tags == ["Krig, konflikter och oroligheter"]
    assert story.lead_photo.credit == "Karl Melander/TT"
    assert story.lead_photo.caption.startswith("En stor internationell försvarsövning")
    assert story.lead_photo.url.endswith("a001_NormalHires.jpg")  # the largest rendition
    assert "<title>" not in story.body and "<h1>" not in story.body
    assert story.published_at == datetime(2021, 5, 26, 11, 40, 18, tzinfo=UTC)


def test_one_x_associations_keyed_by_name():
    (story,) = parse("examples/1.4/ninjsExComplex1.json")
    assert story.lead_photo.credit == "Paulo Santalucia"
    assert story.dateline_place == "Grossetto, Italy"


@pytest.mark.parametrize(
    "relative",
    [
        "doc-examples/1.6/007_multimedia.json",
        "doc-examples/3.1/007_multimedia.json",
        "examples/1.4/ninjsExComplex2.json",
    ],
)
def test_a_second_picture_association_is_a_photo_at_the_end_of_the_body(relative):
    (story,) = parse(relative)
    assert story.lead_photo.label == "association mainpic"
    assert story.body.endswith('</p>\n<figure data-photo="1"></figure>')
    portrait = story.body_photos["1"]
    assert portrait.label == "association portrait" and portrait.credit == "Paulo Santalucia"
    assert portrait.caption.startswith("Francesco Schettino")  # its description (1.x), else its headline
    assert portrait.url.endswith(
        "-big.jpg"
    )  # the largest rendition: its file name is looked up in --media-dir
    assert portrait.source_id.startswith("http://ninjs.example.com/newsitems/20130709simpPh4")


def test_several_more_pictures_are_a_gallery_and_one_the_body_shows_is_left_alone():
    # associations logo, photo (the lead) and photo_2
    (story,) = parse("examples/1.4/businesswire-newsml-20130515006361.json")
    assert story.lead_photo.label == "association photo"
    assert story.body.endswith('\n<figure data-gallery="1 2"></figure>')
    assert [p.label for p in story.body_photos.values()] == ["association logo", "association photo_2"]
    (text,) = parse("examples/3.0/tt_text_image_3.json")  # one picture: the lead, nothing more
    assert text.body_photos == {} and "data-photo" not in text.body and "data-gallery" not in text.body

    shown = {
        "uri": "urn:story:1",
        "headline": "Shown",
        "body_html": '<p>x</p><figure><img src="https://pics.example/b.jpg?w=1&amp;h=2"></figure>',
        "associations": {
            "featureimage": {"uri": "urn:a", "renditions": {"o": {"href": "https://pics.example/a.jpg"}}},
            "bodyPhoto1": {
                "uri": "urn:b",
                "renditions": {"o": {"href": "https://pics.example/b.jpg?w=1&h=2"}},
            },
            "again": {"uri": "urn:a", "type": "picture"},
            "clip": {"uri": "urn:v", "type": "video"},
        },
    }
    (story,) = ninjs.parse(json.dumps(shown).encode(), name="shown.json")
    assert story.lead_photo.source_id == "urn:a" and story.body_photos == {}
    assert "data-" not in story.body


@pytest.mark.parametrize(
    "relative",
    [
        "examples/2.1/ap_image.json",
        "examples/3.0/ap_video.json",
        "examples/3.0/simpleEvent.json",
        "doc-examples/3.1/008_event.json",
    ],
)
def test_pictures_media_and_events_are_skipped_not_failed(relative):
    (item,) = parse(relative)
    assert isinstance(item, Skipped)


def test_an_array_of_objects_gives_one_item_each():
    items = parse("examples/3.0/collection/20231016-event-timeline-sample.json")
    assert len(items) == 14
    assert items[3].where.endswith("item 3")


def test_json_lines_of_ninjs():
    lines = b"\n".join(
        (NINJS / p).read_bytes().replace(b"\n", b"").replace(b"\r", b"")
        for p in ("examples/2.1/ntb_text.json", "examples/3.0/dpa_text.json")
    )
    items = list(ninjs.parse(lines + b"\n{broken\n", name="feed.jsonl"))
    assert [type(i) for i in items] == [ArticleRecord, ArticleRecord, BadItem]
    assert items[2].where == "feed.jsonl: line 3"


def test_superdesk_dialect_guid_body_html_and_featuremedia():
    item = {
        "guid": "urn:newsml:superdesk.example:2024-01-07:abc",
        "type": "text",
        "headline": "Superdesk story",
        "body_html": "<p>First.</p><script>x()</script>",
        "byline": "By Ann Lee",
        "pubstatus": "usable",
        "versioncreated": "2024-01-07T11:58:00+0000",
        "firstcreated": "2024-01-07T10:00:00+0000",
        "description_text": "The dek.",
        "subject": [{"name": "politics", "qcode": "11000000"}],
        "service": [{"name": "Domestic", "code": "d"}],
        "associations": {
            "featuremedia": {
                "type": "picture",
                "headline": "Pic",
                "description_text": "A caption",
                "byline": "Photo: Bob",
                "alt_text": "What it shows",
                "renditions": {
                    "original": {"href": "https://cdn.example/a.jpg", "width": 800, "height": 600}
                },
            }
        },
    }
    (story,) = ninjs.parse(json.dumps(item).encode(), name="sd.json")
    assert story.external_id == "urn:newsml:superdesk.example:2024-01-07:abc"
    assert [b.name for b in story.bylines] == ["Ann Lee"]
    assert story.dek == "The dek."
    assert story.tags == ["politics"]
    assert story.section == "Domestic"
    assert story.published_at == datetime(2024, 1, 7, 10, 0, tzinfo=UTC)
    assert story.revised_at == datetime(2024, 1, 7, 11, 58, tzinfo=UTC)
    photo = story.lead_photo
    assert (photo.caption, photo.credit, photo.alt_text, photo.url) == (
        "A caption",
        "Photo: Bob",
        "What it shows",
        "https://cdn.example/a.jpg",
    )


def test_withheld_items_come_in_as_drafts_and_bad_dates_warn():
    item = {
        "uri": "u:1",
        "headline": "H",
        "body_text": "B",
        "pubStatus": "withheld",
        "versionCreated": "yesterday",
    }
    (story,) = ninjs.parse(json.dumps(item).encode(), name="w.json")
    assert story.status == "draft"
    assert story.published_at is None
    assert any("yesterday" in w for w in story.warnings)


def test_missing_uri_or_headline_is_a_bad_item_naming_the_index():
    items = list(
        ninjs.parse(
            b'[{"headline": "No uri", "body_text": "x"}, {"uri": "u:2", "body_text": "x"}]', name="a.json"
        )
    )
    assert [(type(i), i.where, i.error) for i in items] == [
        (BadItem, "a.json: item 0", "no uri (or guid)"),
        (BadItem, "a.json: item 1", "no headline"),
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"uri": "u:1", "headline": "Trunc', "invalid JSON at line 1"),
        (b"", "empty file"),
        ('{"uri": "u"}'.encode("utf-16"), "not UTF-8"),
    ],
)
def test_unreadable_json_is_refused_with_the_file_name(data, message):
    with pytest.raises(SourceError, match=f"^bad.json: {message}"):
        list(ninjs.parse(data, name="bad.json"))


def test_conformance_files_that_are_not_json_are_refused():
    with pytest.raises(SourceError, match="invalid JSON"):
        parse("test_suite/1.0/should_fail/010_body_must_be_string.json")
