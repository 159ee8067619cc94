"""RSS and Atom feeds read through feedparser. No database."""

from datetime import UTC, datetime

import pytest

from articles.importers import feed
from articles.importers.records import ArticleRecord, SourceError
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


@pytest.mark.parametrize(
    "data", [b"<html><body>not a feed</body></html>", b"<rss><channel><item><title>x</ti"]
)
def test_not_a_feed_is_refused(data):
    with pytest.raises(SourceError, match="^x.rss: not a readable RSS or Atom feed"):
        list(feed.parse(data, name="x.rss"))


def test_item_without_guid_or_link_is_a_bad_item():
    data = b'<rss version="2.0"><channel><item><title>Lost</title></item></channel></rss>'
    (item,) = feed.parse(data, name="f.rss")
    assert item.error == "no guid or link"
