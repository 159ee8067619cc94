"""import_articles end to end, through call_command, against the real fixture files and the database."""

import io
import json
from datetime import UTC, datetime
from pathlib import Path
from unittest.mock import Mock

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from articles.importers.sniff import sniff
from articles.models import Article, Author, Byline, Photo, Section, Tag
from tests.conftest import SHARED_FIXTURES, make_author, make_section

pytestmark = pytest.mark.django_db

FIXTURES = SHARED_FIXTURES
USES_SHARED_FIXTURES = True
SEED = FIXTURES / "seed_article.txt"
WXR = FIXTURES / "real" / "wxr"
NINJS = FIXTURES / "real" / "ninjs"


def run(*args, stdin=None):
    """(exit status, stdout, stderr) of one import."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_articles", *args, stdout=out, stderr=err, stdin=stdin)
    except CommandError as error:
        return error.returncode, out.getvalue(), err.getvalue() + str(error)
    return 0, out.getvalue(), err.getvalue()


def counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in (Article, Author, Section, Tag, Photo, Byline))


def story(source: str, external_id: str, headline: str, **extra) -> dict:
    return {"id": external_id, "source": source, "headline": headline, "body": "<p>Text.</p>", **extra}


def write_jsonl(path: Path, *objects) -> Path:
    path.write_text("".join((o if isinstance(o, str) else json.dumps(o)) + "\n" for o in objects))
    return path


# The seed page


def test_seed_page_becomes_a_draft_story_as_the_issue_describes():
    status, out, _ = run(str(SEED))
    assert status == 0
    assert out.strip().endswith("imported 1, updated 0, unchanged 0, skipped 0, failed 0")
    article = Article.objects.get()
    assert article.headline == "Uprising in Russia: Mobilized Soldiers' Wives Stand Firm Against Putin"
    assert [b.author.name for b in article.bylines.all()] == ["Henrik Rothen"]
    assert article.published_at == datetime(2024, 1, 7, 11, 58, tzinfo=UTC)
    assert article.section.name == "News"
    assert article.status == "draft"
    assert article.lead_photo.credit == "Photo: X"
    assert article.lead_photo.caption == "Mobilized Soldiers' Wives Stand Firm Against Putin."
    assert article.body.count("<h2>") == 2
    assert "Trending Now" not in article.body and "Photo: X" not in article.body
    assert article.source == "text"


def test_second_run_imports_nothing_and_changes_nothing():
    run(str(SEED))
    before = counts()
    status, out, _ = run(str(SEED))
    assert status == 0
    assert "imported 0, updated 0, unchanged 1, skipped 0, failed 0" in out
    assert counts() == before


def test_existing_author_and_section_are_reused_whatever_their_case_and_spacing():
    make_author("henrik   ROTHEN", slug="henrik")
    make_section("NEWS", slug="the-news")
    run(str(SEED))
    assert Author.objects.count() == 1 and Section.objects.count() == 1
    assert Article.objects.get().section.slug == "the-news"


def test_status_published_publishes_with_the_page_date():
    run(str(SEED), "--status", "published")
    article = Article.objects.get()
    assert article.status == "published"
    assert article.published_at == datetime(2024, 1, 7, 11, 58, tzinfo=UTC)
    assert Article.objects.published().count() == 1


def test_published_without_a_date_stays_a_draft_with_a_warning(tmp_path):
    page = tmp_path / "undated.txt"
    page.write_text("Undated headline\n\nBy Ann Lee\n\n" + "A sentence of the story with no date in it. " * 5)
    status, out, _ = run(str(page), "--status", "published", "--report", str(tmp_path / "r.json"))
    assert status == 0
    article = Article.objects.get()
    assert (article.status, article.published_at) == ("draft", None)
    assert "never invents a date" in out
    entry = json.loads((tmp_path / "r.json").read_text())["stories"][0]
    assert any("never invents a date" in w for w in entry["warnings"])


def test_section_option_overrides_and_unknown_section_is_exit_2():
    make_section("Opinion")
    run(str(SEED), "--section", "opinion")
    assert Article.objects.get().section.slug == "opinion"
    status, _, err = run(str(SEED), "--section", "nope")
    assert status == 2 and "no section with slug 'nope'" in err


# Update and dry run


def test_update_changes_a_changed_story_and_leaves_unchanged_ones(tmp_path):
    first = write_jsonl(
        tmp_path / "a.jsonl",
        story("old", "1", "First version", authors=[{"name": "Ann Lee"}], tags=["Climate"]),
        story("old", "2", "Stays the same"),
    )
    run(str(first))
    article_id = Article.objects.get(external_id="1").pk
    second = write_jsonl(
        tmp_path / "b.jsonl",
        story(
            "old",
            "1",
            "Second version",
            authors=[{"name": "Bob Stone"}, {"name": "ann lee", "role": "Photos by"}],
        ),
        story("old", "2", "Stays the same"),
    )
    status, out, _ = run(str(second))
    assert "imported 0, updated 0, unchanged 2" in out  # without --update: left alone
    assert Article.objects.get(pk=article_id).headline == "First version"
    status, out, _ = run(str(second), "--update")
    assert status == 0 and "imported 0, updated 1, unchanged 1, skipped 0, failed 0" in out
    article = Article.objects.get(pk=article_id)
    assert article.headline == "Second version"
    assert [(b.author.name, b.role) for b in article.bylines.all()] == [
        ("Bob Stone", ""),
        ("Ann Lee", "Photos by"),
    ]
    assert list(article.tags.all()) == []
    status, out, _ = run(str(second), "--update")
    assert "updated 0, unchanged 2" in out


def test_update_notices_a_change_of_tags_bylines_or_section_alone(tmp_path):
    base = {"authors": [{"name": "Ann Lee"}], "tags": ["Climate"], "section": "News"}
    run(str(write_jsonl(tmp_path / "a.jsonl", *(story("s", str(n), f"Story {n}", **base) for n in range(4)))))
    changed = [
        story("s", "0", "Story 0", **base),
        story("s", "1", "Story 1", **{**base, "tags": ["Climate", "Energy"]}),
        story("s", "2", "Story 2", **{**base, "authors": [{"name": "Ann Lee", "role": "Photos by"}]}),
        story("s", "3", "Story 3", **{**base, "section": "Sport"}),
    ]
    status, out, _ = run(str(write_jsonl(tmp_path / "b.jsonl", *changed)), "--update")
    assert status == 0 and "imported 0, updated 3, unchanged 1" in out
    assert Article.objects.get(external_id="3").section.name == "Sport"


def test_update_compares_a_second_copy_of_a_story_with_the_first(tmp_path):
    run(str(write_jsonl(tmp_path / "a.jsonl", story("s", "1", "Story", tags=["Climate"]))))
    twice = write_jsonl(tmp_path / "b.jsonl", *[story("s", "1", "Story", tags=["Energy"])] * 2)
    status, out, _ = run(str(twice), "--update")
    assert "imported 0, updated 1, unchanged 1" in out
    assert [t.name for t in Article.objects.get().tags.all()] == ["Energy"]


def test_update_of_unchanged_stories_reads_their_links_once_per_chunk(tmp_path):
    authors = [{"name": f"Writer {n}"} for n in range(3)]
    path = write_jsonl(
        tmp_path / "many.jsonl",
        *(story("s", str(n), f"Story {n}", authors=authors, tags=["A", "B"]) for n in range(40)),
    )
    run(str(path))
    with CaptureQueriesContext(connection) as queries:
        status, out, _ = run(str(path), "--update")
    assert "updated 0, unchanged 40" in out
    # per story only its transaction (a savepoint here); was three more: its section, bylines and tags
    assert len(queries.captured_queries) <= 3 * 40


def test_update_keeps_what_an_editor_did_where_the_source_says_nothing():
    run(str(SEED))
    article = Article.objects.get()
    article.status = "published"
    article.save()
    status, out, _ = run(str(SEED), "--update")
    assert "unchanged 1" in out
    article.refresh_from_db()
    assert article.status == "published"


def test_update_sees_texts_the_way_they_were_stored(tmp_path):
    """Spaces around a caption or a headline are not a change."""
    data = write_jsonl(
        tmp_path / "a.jsonl",
        story(
            "s",
            "1",
            " Spaced headline ",
            dek=" dek ",
            lead_photo={"caption": "Boats ", "credit": " Photo: X"},
        ),
    )
    run(str(data))
    status, out, _ = run(str(data), "--update")
    assert "updated 0, unchanged 1" in out


def test_dry_run_writes_nothing_but_says_what_would_happen(tmp_path):
    data = write_jsonl(
        tmp_path / "a.jsonl", story("s", "1", "One", authors=[{"name": "New Person"}], tags=["T"])
    )
    status, out, _ = run(str(data), str(SEED), "--dry-run")
    assert status == 0
    assert "Dry run, nothing written: imported 2" in out
    assert counts() == (0, 0, 0, 0, 0, 0)


def test_dry_run_still_reports_bad_stories(tmp_path):
    data = write_jsonl(tmp_path / "a.jsonl", story("s", "1", "One"), story("s", "2", "x" * 400))
    status, out, err = run(str(data), "--dry-run")
    assert status == 1
    assert "line 2 (id 2): headline is longer than 300 characters" in err
    assert Article.objects.count() == 0


# Bad input, exit status and the report


def test_a_bad_story_is_reported_and_the_others_kept(tmp_path):
    data = write_jsonl(
        tmp_path / "a.jsonl",
        story("s", "1", "One"),
        '{"id": "2", "headline": "Trunc',
        story("s", "3", "Three"),
    )
    status, out, err = run(str(data), "--report", str(tmp_path / "r.json"))
    assert status == 1
    assert "imported 2, updated 0, unchanged 0, skipped 0, failed 1" in out
    assert f"ERROR: {data}: line 2: invalid JSON" in err
    assert sorted(Article.objects.values_list("external_id", flat=True)) == ["1", "3"]
    report = json.loads((tmp_path / "r.json").read_text())
    assert [e["result"] for e in report["stories"]] == ["imported", "failed", "imported"]
    assert report["summary"]["failed"] == 1 and report["exit_status"] == 1
    imported = report["stories"][0]
    assert imported["article_id"] == Article.objects.get(external_id="1").pk
    assert imported["url"] == Article.objects.get(external_id="1").get_absolute_url()
    assert (imported["source"], imported["external_id"]) == ("s", "1")


def test_too_long_photo_texts_are_cut_with_a_warning(tmp_path):
    data = write_jsonl(
        tmp_path / "a.jsonl", story("s", "1", "Long caption", lead_photo={"caption": "c" * 600})
    )
    status, out, _ = run(str(data))
    assert status == 0 and "caption cut to 500 characters" in out
    assert len(Photo.objects.get().caption) == 500


def test_a_story_failing_halfway_leaves_nothing_behind_and_the_run_goes_on(tmp_path, monkeypatch):
    """Its new author and tag were written before its photo failed: all of it is rolled back."""
    media = tmp_path / "media"
    media.mkdir()
    Image.new("RGB", (40, 30)).save(media / "broken.jpg")
    monkeypatch.setattr(
        "articles.tasks.queue_renditions", Mock(side_effect=OSError("No space left on device"))
    )
    data = write_jsonl(
        tmp_path / "a.jsonl",
        story(
            "s", "1", "Broken photo", authors=["Zed New"], tags=["Fresh"], lead_photo={"file": "broken.jpg"}
        ),
        story("s", "2", "Same author, fine", authors=["Zed New"], tags=["Fresh"]),
    )
    status, out, err = run(str(data), "--media-dir", str(media))
    assert status == 1
    assert "imported 1, updated 0, unchanged 0, skipped 0, failed 1" in out
    assert "line 1 (id 1)" in err
    assert not Article.objects.filter(external_id="1").exists()
    assert Photo.objects.count() == 0
    fine = Article.objects.get(external_id="2")  # the loader forgot the rolled-back author and tag
    assert [b.author.name for b in fine.bylines.all()] == ["Zed New"]
    assert list(fine.tags.names()) == ["Fresh"]
    assert Author.objects.count() == 1 and Tag.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("malformed.xml", "malformed XML: mismatched tag: line 90"),
        ("malformed-simple.xml", "malformed XML: no element found"),
        ("invalid-version-tag.xml", "unsupported wp:wxr_version 'abc'"),
    ],
)
def test_unreadable_export_is_exit_2_and_writes_nothing(name, message):
    status, out, err = run(str(WXR / name))
    assert status == 2
    assert message in err and name in err
    assert "failed 1" in out
    assert counts() == (0, 0, 0, 0, 0, 0)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary file"),
        (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "b">]><rss><channel></channel></rss>', "refused"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "unknown format"),
        (b'[{"uri": "u", "headline": "trunc', "invalid JSON"),
        ('{"uri": "u:1", "headline": "UTF-16"}'.encode("utf-16"), "not UTF-8"),
    ],
)
def test_bad_files_are_exit_2_with_one_clear_line(tmp_path, data, message):
    path = tmp_path / "bad.input"
    path.write_bytes(data)
    status, _, err = run(str(path))
    assert status == 2
    error_lines = [line for line in err.splitlines() if line.startswith("ERROR")]
    assert len(error_lines) == 1 and message in error_lines[0] and "bad.input" in error_lines[0]


def test_billion_laughs_wxr_is_refused(tmp_path):
    bomb = tmp_path / "bomb.xml"
    bomb.write_bytes(
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY l "lol"><!ENTITY l2 "&l;&l;&l;&l;&l;&l;&l;&l;">'
        b'<!ENTITY l3 "&l2;&l2;&l2;&l2;&l2;&l2;&l2;&l2;">]><rss xmlns:wp="http://wordpress.org/export/1.2/">'
        b"<channel><wp:wxr_version>1.2</wp:wxr_version><item><title>&l3;</title></item></channel></rss>"
    )
    status, _, err = run(str(bomb))
    assert status == 2 and "refused" in err
    assert Article.objects.count() == 0


def test_missing_file_is_exit_2():
    status, _, err = run("/nonexistent/file.xml")
    assert status == 2 and "no such file" in err


def test_a_folder_of_mixed_sources_is_read_recursively(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "seed.txt").write_bytes(SEED.read_bytes())
    (tmp_path / "wp.xml").write_bytes((WXR / "valid-wxr-1.1.xml").read_bytes())
    (tmp_path / "bad.xml").write_bytes((WXR / "malformed-simple.xml").read_bytes())
    (tmp_path / ".hidden.txt").write_text("Hidden\n\nnot to be read")
    status, out, _ = run(str(tmp_path))
    assert status == 1  # one file was bad, the others were kept
    assert "imported 2, updated 0, unchanged 0, skipped 1, failed 1" in out
    assert Article.objects.count() == 2


def test_standard_input(tmp_path):
    status, out, _ = run("-", stdin=io.BytesIO((WXR / "valid-wxr-1.1.xml").read_bytes()))
    assert status == 0 and "imported 1" in out
    assert Article.objects.get().external_id == "http://localhost/?p=1"


# Formats through the command


@pytest.mark.parametrize(
    ("relative", "expected"),
    [
        ("seed_article.txt", "text"),
        ("real/wxr/valid-wxr-1.1.xml", "wxr"),
        ("real/wxr/theme-preview.xml", "wxr"),
        ("real/wxr/malformed.xml", "wxr"),
        ("real/rss/guardian.rss", "feed"),
        ("real/atom/heise.atom", "feed"),
        ("real/ninjs/examples/3.0/ninjsExSimpleText_3.json", "ninjs"),
        ("real/ninjs/examples/3.0/collection/20231016-event-timeline-sample.json", "ninjs"),
    ],
)
def test_formats_are_sniffed_from_content_not_names(relative, expected):
    assert sniff((FIXTURES / relative).read_bytes()[:65536], "renamed.dat") == expected


def test_jsonl_is_told_from_ninjs_lines():
    assert sniff(b'{"id": "1", "headline": "x"}\n') == "jsonl"
    assert sniff(b'{"uri": "u:1", "headline": "x"}\n') == "ninjs"


def test_wordpress_theme_unit_test_data_imports_posts_only():
    status, out, _ = run(str(WXR / "themeunittestdata.wordpress.xml"))
    assert status == 0
    assert "imported 58, updated 0, unchanged 0, skipped 128, failed 0" in out
    assert Article.objects.filter(status="published").count() > 40
    assert Article.objects.filter(slug="template-featured-image-horizontal").exists()  # post_name -> slug
    future = Article.objects.filter(published_at__gt=datetime.now(UTC), status="published")
    assert future.exists()  # a scheduled post stays scheduled
    assert not Article.objects.published().filter(pk__in=future).exists()


def test_wordpress_theme_unit_test_data_has_the_56_public_posts_wordpress_shows(monkeypatch):
    """55 published posts, the password-protected one and the untitled one; not the draft or the 2030 one."""
    run(str(WXR / "themeunittestdata.wordpress.xml"))
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 1, 1, tzinfo=UTC))
    assert Article.objects.published().count() == 56
    untitled = Article.objects.get(external_id="https://wpthemetestdata.wordpress.com/?p=1169")
    assert untitled in Article.objects.published()


def test_wxr_featured_image_file_is_imported_from_the_media_dir(tmp_path):
    folder = tmp_path / "uploads" / "2013" / "03"
    folder.mkdir(parents=True)
    Image.new("RGB", (40, 30), "navy").save(folder / "featured-image-horizontal.jpg")
    status, out, _ = run(
        str(WXR / "themeunittestdata.wordpress.xml"), "--media-dir", str(tmp_path / "uploads")
    )
    assert status == 0
    article = Article.objects.get(external_id="https://wpthemetestdata.wordpress.com/?p=1011")
    assert article.lead_photo.image.name.endswith(".jpg")
    assert (article.lead_photo.width, article.lead_photo.height) == (40, 30)
    vertical = Article.objects.get(external_id="https://wpthemetestdata.wordpress.com/?p=1016")
    # the attachment's title ("Vertical Featured Image") is a file label, not a caption
    assert vertical.lead_photo.caption == "" and not vertical.lead_photo.image
    assert "featured-image-vertical.jpg not in --media-dir" in out


def test_ninjs_folder_imports_stories_and_skips_media():
    status, out, _ = run(str(NINJS / "examples"))
    assert status == 0
    article = Article.objects.get(external_id="http://tt.se/media/text/210526-militarovning-a0f2d045")
    assert article.lead_photo.credit == "Karl Melander/TT"
    assert list(article.tags.names()) == ["Krig, konflikter och oroligheter"]
    assert "skipped 0" not in out


def test_feeds_import_as_published_stories_with_photo_credits():
    status, out, _ = run(str(FIXTURES / "real" / "rss" / "guardian.rss"))
    assert status == 0 and "imported 55" in out
    assert Article.objects.published().count() == 55
    assert Photo.objects.filter(credit__startswith="Photograph:").exists()
    assert Author.objects.filter(name="David Smith").count() == 1


def test_html_is_sanitized_like_the_admin(tmp_path):
    data = write_jsonl(
        tmp_path / "x.jsonl", story("s", "1", "XSS", body='<p onclick="x()">Hi</p><script>alert(1)</script>')
    )
    run(str(data))
    assert Article.objects.get().body == "<p>Hi</p>"


def test_each_new_story_costs_a_fixed_number_of_queries(tmp_path):
    authors = [{"name": f"Writer {n}"} for n in range(3)]
    rows = [story("s", str(n), f"Story {n}", authors=authors, tags=["A", "B", "C"]) for n in range(40)]
    run(
        str(
            write_jsonl(
                tmp_path / "warm.jsonl", story("s", "warm", "Warm", authors=authors, tags=["A", "B", "C"])
            )
        )
    )
    path = write_jsonl(tmp_path / "many.jsonl", *rows)
    with CaptureQueriesContext(connection) as queries:
        run(str(path))
    writes = [
        q["sql"] for q in queries.captured_queries if q["sql"].startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    # per story: the article, its bylines, its tags, and the model's own slug-redirect cleanup
    assert len(writes) <= 4 * 40 + 2
    assert len(queries.captured_queries) <= 12 * 40


def test_progress_is_plain_lines_when_not_on_a_terminal(tmp_path, monkeypatch):
    from articles.management.commands import import_articles

    monkeypatch.setattr(import_articles, "PLAIN_PROGRESS_EVERY", 2)
    path = write_jsonl(tmp_path / "five.jsonl", *(story("s", str(n), f"Story {n}") for n in range(5)))
    status, out, err = run(str(path))
    assert status == 0
    progress = [line for line in out.splitlines() if line.startswith("...")]
    assert [line.split(" stories")[0] for line in progress] == ["... 2", "... 4"]
    assert "\r" not in out + err  # no progress bar redraws in a log file


def test_cached_pages_are_refreshed_once_per_run_not_per_row(tmp_path, monkeypatch):
    from articles.freshness import changes

    calls = []
    original = changes._mark
    monkeypatch.setattr(changes, "_mark", lambda keys: calls.append(set(keys)) or original(keys))
    path = write_jsonl(tmp_path / "three.jsonl", *(story("s", str(n), f"Story {n}") for n in range(3)))
    run(str(path))
    assert Article.objects.count() == 3
    assert calls == [{"all"}]  # per saved row it would be twice per row (on save and on commit)
    make_section("After the run")
    assert len(calls) == 2 and "sections" in calls[1]  # the page cache listens again afterwards


def photo_run(tmp_path) -> list[str]:
    """A media folder of two pictures, one already in the library; stories showing them (and one failing)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    media = tmp_path / "media"
    media.mkdir()
    for name, colour in (("new.jpg", "navy"), ("known.jpg", "teal")):
        Image.new("RGB", (40, 30), colour).save(media / name)
    Photo.objects.create(
        image=SimpleUploadedFile("known.jpg", (media / "known.jpg").read_bytes()), caption="Known"
    )
    photo = {"caption": "Boats", "file": "new.jpg"}
    path = write_jsonl(
        tmp_path / "photos.jsonl",
        story("s", "1", "One", lead_photo=photo),
        story("s", "2", "Two", lead_photo=photo),  # the same picture again: added once
        story("s", "3", "Three", lead_photo={"caption": "Known again", "file": "known.jpg"}),
        story("s", "4", "Four", lead_photo={"file": "new.jpg"}, published_at="not a date"),  # fails
    )
    return [str(path), "--media-dir", str(media)]


def test_the_run_counts_photos_added_reused_and_renditions_queued_in_a_pipe(tmp_path, monkeypatch):
    from articles.management.commands import import_articles

    monkeypatch.setattr(import_articles, "PLAIN_PROGRESS_EVERY", 2)
    args = photo_run(tmp_path)
    status, out, _ = run(*args, "--report", str(tmp_path / "report.json"))
    assert status == 1  # story 4 failed: its photo use is not counted
    lines = out.strip().splitlines()
    assert "... 2 stories read" in lines[0] and "), photos added 1, " in lines[0]  # counted a chunk at a time
    assert lines[-2:] == [
        "photos added 1, photos reused 1, renditions queued 1",
        "imported 3, updated 0, unchanged 0, skipped 0, failed 1",
    ]
    summary = json.loads((tmp_path / "report.json").read_text())["summary"]
    assert (summary["photos_added"], summary["photos_reused"], summary["renditions_queued"]) == (1, 1, 1)
    assert Photo.objects.count() == 2

    status, out, _ = run(*args)  # again: every story unchanged, nothing to count
    assert "photos" not in out


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_on_a_terminal_is_a_bar_with_the_photo_counts(tmp_path):
    out, err = io.StringIO(), Terminal()
    with pytest.raises(CommandError):
        call_command("import_articles", *photo_run(tmp_path), stdout=out, stderr=err)
    assert "4 stories" in err.getvalue() and "\r" in err.getvalue()  # a bar, redrawn in place
    assert "photos added 1, photos reused 1, renditions queued 1]" in err.getvalue()
    assert "photos added 1, photos reused 1, renditions queued 1" in out.getvalue()  # above the summary
    assert "..." not in out.getvalue()


def test_a_dry_run_counts_no_photos(tmp_path):
    status, out, _ = run(*photo_run(tmp_path), "--dry-run")
    assert "photos" not in out and Photo.objects.count() == 1


def test_progress_in_a_pipe_is_quiet_without_photo_counts_when_the_loader_keeps_none(tmp_path):
    path = write_jsonl(tmp_path / "two.jsonl", *(story("s", str(n), f"Story {n}") for n in range(2)))
    status, out, err = run(str(path))
    assert status == 0
    assert out.strip().splitlines() == ["imported 2, updated 0, unchanged 0, skipped 0, failed 0"]
    assert err == ""
