"""Scraped plain-text pages: the seed page, datelines, bylines, furniture, encodings. No database."""

from datetime import UTC, datetime

import pytest

from articles.importers import text
from articles.importers.records import SourceError
from tests.conftest import SHARED_FIXTURES

FIXTURES = SHARED_FIXTURES
USES_SHARED_FIXTURES = True
SEED = FIXTURES / "seed_article.txt"


def parse_one(data: bytes, name: str = "page.txt"):
    items = list(text.parse(data, name=name))
    assert len(items) == 1
    return items[0]


@pytest.fixture(scope="module")
def seed():
    return parse_one(SEED.read_bytes(), "seed_article.txt")


def test_seed_headline_is_the_first_line(seed):
    assert seed.headline == "Uprising in Russia: Mobilized Soldiers' Wives Stand Firm Against Putin"


def test_seed_byline_is_henrik_rothen(seed):
    assert [(b.name, b.role) for b in seed.bylines] == [("Henrik Rothen", "")]


def test_seed_dateline_cet_is_read_as_utc_plus_one(seed):
    assert seed.published_at == datetime(2024, 1, 7, 11, 58, tzinfo=UTC)
    assert seed.published_at.utcoffset().total_seconds() == 3600  # CET as written, not the reader's zone


def test_seed_section_label_is_news(seed):
    assert seed.section == "News"


def test_seed_photo_credit_and_caption_are_kept_out_of_the_body(seed):
    assert seed.lead_photo.credit == "Photo: X"
    assert seed.lead_photo.caption == "Mobilized Soldiers' Wives Stand Firm Against Putin."
    assert "Photo: X" not in seed.body
    assert "Trending Now" not in seed.body
    assert "Mobilized Soldiers' Wives Stand Firm Against Putin." not in seed.body


def test_seed_sub_headings_become_h2(seed):
    assert "<h2>Demanding Demobilization</h2>" in seed.body
    assert "<h2>Is Russia Controlling the Situation?</h2>" in seed.body
    assert seed.body.count("<h2>") == 2


def test_seed_paragraphs_are_escaped_paragraphs(seed):
    assert seed.body.startswith("<p>Russian women are increasingly demonstrating")
    assert seed.body.count("<p>") == 9
    assert "<p>The police came to them." in seed.body


def test_plain_text_has_no_status_of_its_own_and_is_keyed_on_its_content(seed):
    assert seed.status is None  # the loader makes it a draft
    assert seed.source == "text"
    assert len(seed.external_id) == 64
    assert seed.warnings == []


PAGE = "Headline here\n\n{line}\n\n" + "A long first paragraph that goes on " * 5 + "and ends.\n"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Jan.07 - 2024 12:58 PM CET", datetime(2024, 1, 7, 11, 58, tzinfo=UTC)),
        ("January 7, 2024 at 9:14 am EST", datetime(2024, 1, 7, 14, 14, tzinfo=UTC)),
        ("Published 7 July 2024 09:14 CEST", datetime(2024, 7, 7, 7, 14, tzinfo=UTC)),
        ("Sept. 3, 2023, 5:01 p.m. ET", datetime(2023, 9, 3, 21, 1, tzinfo=UTC)),  # ET in summer = EDT
        ("Jan 7, 2024 12:58 GMT", datetime(2024, 1, 7, 12, 58, tzinfo=UTC)),
        ("7 January 2024, 15:30 MSK", datetime(2024, 1, 7, 12, 30, tzinfo=UTC)),
        ("March 1, 2024 10:00 PST", datetime(2024, 3, 1, 18, 0, tzinfo=UTC)),
        ("2024-01-07T12:58:00+01:00", datetime(2024, 1, 7, 11, 58, tzinfo=UTC)),
        ("2024-01-07 12:58 UTC+2", datetime(2024, 1, 7, 10, 58, tzinfo=UTC)),
    ],
)
def test_datelines_resolve_time_zone_abbreviations(line, expected):
    record = parse_one(PAGE.format(line=line).encode())
    assert record.published_at == expected


def test_updated_line_sets_revised_at_not_published_at():
    page = (
        "Headline\n\nBy Ann Lee\nJan. 7, 2024 10:00 UTC\nUpdated: Jan. 8, 2024 9:30 am EST\n\n"
        + "Text. " * 40
    )
    record = parse_one(page.encode())
    assert record.published_at == datetime(2024, 1, 7, 10, 0, tzinfo=UTC)
    assert record.revised_at == datetime(2024, 1, 8, 14, 30, tzinfo=UTC)


def test_no_date_is_never_invented():
    record = parse_one(("Headline\n\nBy Ann Lee\n\n" + "Words without any date at all. " * 10).encode())
    assert record.published_at is None
    assert any("no date" in warning for warning in record.warnings)


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("By Ann Lee and Bob Stone", ["Ann Lee", "Bob Stone"]),
        ("Written by Henrik Rothen", ["Henrik Rothen"]),
        ("By Ann Lee, Bob Stone and Cy Twombly", ["Ann Lee", "Bob Stone", "Cy Twombly"]),
        ("Ann Lee, Reuters", ["Ann Lee"]),
        ("BY: Ann Lee in Kyiv", ["Ann Lee"]),
        ("By Tom Y Smith & Ann Lee", ["Tom Y Smith", "Ann Lee"]),
        ("By Ann Lee | Reuters", ["Ann Lee", "Reuters"]),
    ],
)
def test_byline_forms(line, names):
    record = parse_one(f"Headline\n\n{line}\n\n{'Body sentence goes here. ' * 10}".encode())
    assert [b.name for b in record.bylines] == names


def test_reuters_end_credits_become_bylines_with_roles():
    page = (
        "Headline\n\nBy Ann Lee\n\n"
        + "Body sentence goes here. " * 10
        + "\n\nReporting by Bob Stone; Editing by Cy Li\n"
    )
    record = parse_one(page.encode())
    assert [(b.name, b.role) for b in record.bylines] == [
        ("Ann Lee", ""),
        ("Bob Stone", "Reporting by"),
        ("Cy Li", "Editing by"),
    ]
    assert "Editing" not in record.body


def test_page_furniture_is_dropped():
    body = "Body sentence goes here and it is long enough to be a real paragraph of the story. " * 2
    page = f"Headline\n\n{body}\n\nShare this article\n\nAdvertisement\n\nRead more: Other story\n\n{body}\n"
    record = parse_one(page.encode())
    for furniture in ("Share this article", "Advertisement", "Read more"):
        assert furniture not in record.body
    assert record.body.count("<p>") == 2


def test_image_credit_line_in_the_body_is_a_photo_credit():
    page = (
        "Headline\n\n"
        + "A paragraph of the story that is long enough to count. " * 3
        + "\n\nImage: Jane Doe/AP\n"
    )
    record = parse_one(page.encode())
    assert record.lead_photo.credit == "Image: Jane Doe/AP"
    assert "Jane Doe" not in record.body


def test_html_in_text_is_escaped_not_interpreted():
    page = (
        "Headline <b>bold</b>\n\n"
        + "Body with <script>alert(1)</script> inside, long enough to be a paragraph. " * 2
    )
    record = parse_one(page.encode())
    assert "<script>" not in record.body
    assert "&lt;script&gt;" in record.body


RUSSIAN = (
    "Заголовок новости\n\nАвтор: Иван Петров\n\n" + "Это длинный абзац текста статьи на русском языке. " * 4
)


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16", b""), ("utf-16-le", b""), ("cp1251", b"")],
)
def test_russian_page_in_any_common_encoding_reads_the_same(encoding, prefix):
    record = parse_one(prefix + RUSSIAN.encode(encoding))
    assert record.headline == "Заголовок новости"
    assert "Это длинный абзац" in record.body


def test_windows_1252_page_keeps_its_accents():
    page = "Café crème à Paris\n\n" + "Le garçon a commandé un café très chaud, déjà prêt. " * 4
    record = parse_one(page.encode("cp1252"))
    assert record.headline == "Café crème à Paris"
    assert "garçon" in record.body


def test_crlf_and_lf_versions_of_a_page_are_the_same_story():
    data = SEED.read_bytes()
    crlf = parse_one(data.replace(b"\n", b"\r\n"))
    lf = parse_one(data)
    assert crlf.external_id == lf.external_id
    assert crlf.body == lf.body


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty file"),
        (b"  \n\r\n\t ", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "binary file"),
        (bytes(range(256)) * 8, "binary file"),
    ],
)
def test_empty_and_binary_files_are_refused_with_a_clear_message(data, message):
    with pytest.raises(SourceError, match=f"^bad.txt: {message}"):
        list(text.parse(data, name="bad.txt"))


def test_a_page_of_short_paragraphs_still_has_a_body():
    short = "\n\n".join(f"Short paragraph number {n} here." for n in range(30))
    record = parse_one(f"Headline\n\nBy Ann Lee\n\n{short}\n".encode())
    assert record.body.count("<p>") == 30
    assert record.dek == ""


def test_one_sentence_under_the_byline_is_the_standfirst():
    page = (
        "Headline\n\nBy Ann Lee\n\nThe short standfirst.\n\n" + "A long paragraph of the story itself. " * 5
    )
    record = parse_one(page.encode())
    assert record.dek == "The short standfirst."
    assert "standfirst" not in record.body
