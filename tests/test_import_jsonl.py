"""Our own JSON Lines schema (what export_articles writes). No database."""

import io
import json
from datetime import UTC, datetime

import pytest

from articles.importers import jsonl
from articles.importers.records import ArticleRecord, BadItem, SourceError

STORY = {
    "schema": "newsroom-article/1",
    "id": "42",
    "source": "oldsite",
    "headline": "A headline",
    "slug": "a-headline",
    "dek": "The dek",
    "body": "<p>Body</p>",
    "status": "published",
    "published_at": "2024-01-07T12:58:00+01:00",
    "revised_at": None,
    "section": {"name": "World", "slug": "world"},
    "authors": [
        {"name": "Ann Lee", "slug": "ann-lee", "role": ""},
        {"name": "Bob Stone", "role": "Photos by"},
    ],
    "tags": [{"name": "Climate", "slug": "climate"}, "Energy"],
    "dateline_place": "Kyiv",
    "lead_photo": {"caption": "C", "credit": "Photo: X", "alt_text": "A", "file": "photos/a.jpg"},
    "seo_title": "",
    "seo_description": "",
}


def lines(*objects) -> bytes:
    return b"".join((o if isinstance(o, bytes) else json.dumps(o).encode()) + b"\n" for o in objects)


def test_a_full_line_becomes_a_full_record():
    (record,) = jsonl.parse(lines(STORY), name="s.jsonl")
    assert isinstance(record, ArticleRecord)
    assert (record.source, record.external_id, record.headline) == ("oldsite", "42", "A headline")
    assert record.published_at == datetime(2024, 1, 7, 11, 58, tzinfo=UTC)
    assert (record.section, record.section_slug) == ("World", "world")
    assert [(b.name, b.role, b.slug) for b in record.bylines] == [
        ("Ann Lee", "", "ann-lee"),
        ("Bob Stone", "Photos by", ""),
    ]
    assert record.tags == ["Climate", "Energy"] and record.tag_slugs == {"Climate": "climate"}
    assert record.lead_photo.file == "photos/a.jpg"
    assert record.where == "s.jsonl: line 1 (id 42)"


def test_source_defaults_to_jsonl_and_status_to_the_loaders_choice():
    (record,) = jsonl.parse(lines({"id": 7, "headline": "H"}), name="s.jsonl")
    assert (record.source, record.external_id, record.status) == ("jsonl", "7", None)


def test_bad_lines_are_reported_by_number_and_the_rest_read():
    data = lines(
        STORY,
        b'{"id": "2", "headline": "trunc',
        {"headline": "no id"},
        {"id": "4", "headline": "H", "status": "live"},
        {"id": "5", "headline": "H", "published_at": "last tuesday"},
        {"id": "6", "headline": "H", "authors": [3]},
        b"[1, 2]",
        {"id": "8", "headline": ""},
        {**STORY, "id": "9"},
    )
    items = list(jsonl.parse(data, name="s.jsonl"))
    assert [type(i).__name__ for i in items] == ["ArticleRecord"] + ["BadItem"] * 7 + ["ArticleRecord"]
    errors = {i.where: i.error for i in items if isinstance(i, BadItem)}
    assert errors["s.jsonl: line 2"].startswith("invalid JSON")
    assert errors["s.jsonl: line 3"] == "no id"
    assert "status must be" in errors["s.jsonl: line 4 (id 4)"]
    assert "not an ISO 8601" in errors["s.jsonl: line 5 (id 5)"]
    assert "authors" in errors["s.jsonl: line 6 (id 6)"]
    assert "expected a JSON object" in errors["s.jsonl: line 7"]
    assert errors["s.jsonl: line 8 (id 8)"] == "no headline"


def test_streams_from_a_file_object_and_ignores_a_bom_and_crlf():
    data = b"\xef\xbb\xbf" + lines(STORY).replace(b"\n", b"\r\n") + b"\r\n\r\n"
    items = list(jsonl.parse(io.BytesIO(data), name="s.jsonl"))
    assert len(items) == 1 and isinstance(items[0], ArticleRecord)


def test_wrong_encoding_line_is_a_bad_item():
    data = lines(STORY) + '{"id": "2", "headline": "Café"}\n'.encode("cp1252")
    items = list(jsonl.parse(data, name="s.jsonl"))
    assert isinstance(items[1], BadItem) and "not UTF-8" in items[1].error


def test_empty_file_is_refused():
    with pytest.raises(SourceError, match="^e.jsonl: empty file"):
        list(jsonl.parse(b"\n\n", name="e.jsonl"))


def test_a_name_where_a_list_is_expected_is_a_list_of_one():
    (record,) = jsonl.parse(
        lines({"id": "1", "headline": "H", "authors": "Jane Doe", "tags": "Politics"}), name="s"
    )
    assert [b.name for b in record.bylines] == ["Jane Doe"]
    assert record.tags == ["Politics"]


def test_authors_or_tags_of_another_type_are_refused_by_name():
    items = list(jsonl.parse(lines({"id": "1", "headline": "H", "tags": 3}), name="s.jsonl"))
    assert [(i.where, i.error) for i in items] == [("s.jsonl: line 1 (id 1)", "'tags' must be a list")]


def test_nesting_is_bounded_and_the_lines_around_are_read():
    deep = b'{"id": "2", "headline": "H", "x": ' + b"[" * 65 + b"]" * 65 + b"}"
    deeper = b"[" * 100_000 + b"]" * 100_000
    items = list(jsonl.parse(lines(STORY, deep, deeper, {**STORY, "id": "9"}), name="s.jsonl"))
    assert [type(i).__name__ for i in items] == ["ArticleRecord", "BadItem", "BadItem", "ArticleRecord"]
    assert items[1].error == items[2].error == "JSON nested more than 64 levels deep"


def test_a_story_nested_as_deep_as_the_limit_is_read():
    nested = b'{"id": "2", "headline": "H", "x": ' + b"[" * 63 + b"]" * 63 + b"}"
    (record,) = jsonl.parse(lines(nested), name="s.jsonl")
    assert isinstance(record, ArticleRecord)
