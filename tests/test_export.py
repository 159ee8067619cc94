"""export_articles: JSON Lines that re-import into an empty database as the same stories; ninjs."""

import io
import json
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path

import jsonschema
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image

from articles.importers import ninjs as ninjs_parser
from articles.models import Article, Author, Byline, Photo, Section, Tag
from tests.conftest import DATA, make_article, make_author, make_photo, make_section

pytestmark = pytest.mark.django_db

NINJS_SCHEMA = json.loads((DATA / "ninjs-schema_3.0.json").read_text())


def jpeg(name="harbour.jpg"):
    buffer = BytesIO()
    Image.new("RGB", (64, 48), "teal").save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def newsroom():
    """Two sections, ordered bylines with roles, tags, a photo with a file, a draft and a scheduled story."""
    world, culture = make_section("World"), make_section("Culture & Arts", slug="culture")
    anna, bo, cy = make_author("Anna Berg"), make_author("Bo Li"), make_author("Cy Twombly", slug="cy")
    photo = make_photo(
        image=jpeg(), caption="Boats at dawn.", credit="Photo: Reuters", alt_text="Fishing boats"
    )
    first = make_article(
        "Harbour reopens",
        section=world,
        dek="After two years.",
        body="<p>Ships are back.</p><h2>Why now</h2><p>Money.</p>",
        dateline_place="Odesa",
        lead_photo=photo,
        seo_title="Harbour reopens after two years",
        revised_at=datetime(2024, 2, 1, 9, 0, tzinfo=UTC),
        published_at=datetime(2024, 1, 7, 11, 58, tzinfo=UTC),
    )
    for position, (author, role) in enumerate([(bo, ""), (anna, ""), (cy, "Photos by")]):
        Byline.objects.create(article=first, author=author, position=position, role=role)
    first.tags.set(
        [
            Tag.objects.create(name="Shipping", slug="shipping"),
            Tag.objects.create(name="Black Sea", slug="black-sea"),
        ]
    )
    make_article(
        "Gallery opens",
        section=culture,
        authors=[cy],
        tags=["Art"],
        source="wxr",
        external_id="https://old.example/?p=9",
    )
    make_article("Unfinished draft", section=world, status="draft")
    make_article("Tomorrow's story", section=culture, ago=-timedelta(days=1))
    return first


def snapshot() -> dict:
    """Everything a round trip must keep, keyed on slug (ids and timestamps of creation may differ)."""
    result = {}
    for a in Article.objects.select_related("section", "lead_photo").order_by("slug"):
        photo = a.lead_photo
        result[a.slug] = {
            "headline": a.headline,
            "dek": a.dek,
            "body": a.body,
            "status": a.status,
            "published_at": a.published_at,
            "revised_at": a.revised_at,
            "section": (a.section.name, a.section.slug),
            "bylines": [(b.author.name, b.author.slug, b.role) for b in a.bylines.select_related("author")],
            "tags": sorted((t.name, t.slug) for t in a.tags.all()),
            "dateline_place": a.dateline_place,
            "seo": (a.seo_title, a.seo_description),
            # the file's own name; storage adds "_xxxxxxx" when a file of that name is already there
            "photo": photo
            and (photo.caption, photo.credit, photo.alt_text, Path(photo.image.name).stem.split("_")[0]),
        }
    return result


def export(*args) -> str:
    out = io.StringIO()
    call_command("export_articles", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def empty_the_database():
    Article.objects.all().delete()
    for model in (Author, Section, Tag, Photo):
        model.objects.all().delete()


def test_export_then_import_into_an_empty_database_recreates_the_same_stories(newsroom, tmp_path):
    before = snapshot()
    path = tmp_path / "all.jsonl"
    call_command("export_articles", "--all", "--output", str(path), stderr=io.StringIO())
    assert len(path.read_text().splitlines()) == 4
    empty_the_database()
    assert Article.objects.count() == 0
    out = io.StringIO()
    call_command(
        "import_articles",
        str(path),
        "--media-dir",
        str(settings.MEDIA_ROOT),
        stdout=out,
        stderr=io.StringIO(),
    )
    assert "imported 4, updated 0, unchanged 0, skipped 0, failed 0" in out.getvalue()
    after = snapshot()
    assert after == before
    assert Section.objects.count() == 2 and Author.objects.count() == 3 and Tag.objects.count() == 3


def test_importing_the_export_again_changes_nothing(newsroom, tmp_path):
    path = tmp_path / "all.jsonl"
    call_command("export_articles", "--all", "--output", str(path), stderr=io.StringIO())
    empty_the_database()
    call_command("import_articles", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    out = io.StringIO()
    call_command("import_articles", str(path), "--update", stdout=out, stderr=io.StringIO())
    assert "imported 0, updated 0, unchanged 4" in out.getvalue()


def test_export_keeps_the_original_source_and_id(newsroom):
    lines = [json.loads(line) for line in export("--all").splitlines()]
    gallery = next(line for line in lines if line["headline"] == "Gallery opens")
    assert (gallery["source"], gallery["id"]) == ("wxr", "https://old.example/?p=9")
    harbour = next(line for line in lines if line["headline"] == "Harbour reopens")
    assert (harbour["source"], harbour["id"]) == ("newsroom", str(newsroom.pk))
    assert harbour["schema"] == "newsroom-article/1"
    assert harbour["published_at"] == "2024-01-07T11:58:00+00:00"
    assert [a["name"] for a in harbour["authors"]] == ["Bo Li", "Anna Berg", "Cy Twombly"]


def test_only_published_stories_are_exported_by_default(newsroom):
    headlines = {json.loads(line)["headline"] for line in export().splitlines()}
    assert headlines == {"Harbour reopens", "Gallery opens"}


def test_ninjs_export_is_valid_ninjs_3_and_reads_back(newsroom):
    lines = export("--format", "ninjs", "--base-url", "https://paper.example").splitlines()
    assert len(lines) == 2
    validator = jsonschema.Draft202012Validator(NINJS_SCHEMA, format_checker=jsonschema.FormatChecker())
    for line in lines:
        errors = list(validator.iter_errors(json.loads(line)))
        assert not errors, errors[0].message
    records = list(ninjs_parser.parse("\n".join(lines).encode(), name="export.ninjs"))
    harbour = next(r for r in records if r.headline == "Harbour reopens")
    assert [(b.name, b.role) for b in harbour.bylines] == [
        ("Bo Li", ""),
        ("Anna Berg", ""),
        ("Cy Twombly", "Photos by"),
    ]
    assert harbour.section == "World"
    assert sorted(harbour.tags) == ["Black Sea", "Shipping"]
    assert harbour.dek == "After two years."
    assert harbour.published_at == datetime(2024, 1, 7, 11, 58, tzinfo=UTC)
