"""What editors and importers put in (security review, issue #17, findings 4, 5, 11 and 13), end to end."""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.importers import jsonl
from articles.importers.sniff import sniff
from articles.models import Article, Author, Byline, Tag
from tests.conftest import make_article, make_section
from tests.forms import article_form
from tests.test_import_command import run  # (exit status, stdout, stderr) of one import

pytestmark = pytest.mark.django_db

TRACKER = "https://tracker.example/p.gif"
PUBLIC_XML = ["/feeds/rss/", "/feeds/atom/", "/sitemap-news.xml", "/sitemap.xml", "/sitemap-articles.xml"]


def write_jsonl(path: Path, *objects) -> Path:
    path.write_text("".join((o if isinstance(o, str) else json.dumps(o)) + "\n" for o in objects))
    return path


def story(external_id: str, headline: str, **extra) -> dict:
    recent = (timezone.now() - timedelta(hours=2)).isoformat()
    return {
        "id": external_id,
        "source": "old",
        "headline": headline,
        "body": "<p>Text.</p>",
        "status": "published",
        "published_at": recent,
        "section": "World",
        **extra,
    }


def assert_site_answers(client, staff_client, article):
    """Every page that shows stories (public, API, admin) answers, and the XML ones parse."""
    for url in PUBLIC_XML:
        response = client.get(url)
        assert response.status_code == 200, url
        ElementTree.fromstring(response.content)  # raises on invalid XML (a control character)
    public = [
        "/",
        "/latest/",
        "/section/world/",
        "/search/?q=story",
        "/api/ninjs/",
        f"/api/ninjs/{article.pk}/",
    ]
    for url in [*public, article.get_absolute_url()]:
        assert client.get(url).status_code == 200, url
    for url in [
        reverse("admin:index"),
        reverse("admin:articles_article_changelist"),
        reverse("admin:articles_article_change", args=[article.pk]),
        reverse("articles:preview", args=[article.pk]),
    ]:
        assert staff_client.get(url).status_code == 200, url


# 4. Dates outside a newsroom's life


def test_import_refuses_dates_out_of_range_names_the_items_and_keeps_the_good_one(
    tmp_path, client, staff_client
):
    data = write_jsonl(
        tmp_path / "odd.jsonl",
        story("1", "Year one story", published_at="0001-01-01T00:00:00+01:00"),
        story("2", "Good story"),
        story("3", "Year 9999 story", published_at="9999-12-31T23:59:59-01:00"),
        story("4", "Revised at the end of time", revised_at="9999-12-31T23:59:59-01:00"),
    )
    status, out, err = run(str(data), "--report", str(tmp_path / "report.json"))

    assert status == 1
    assert "imported 1, updated 0, unchanged 0, skipped 0, failed 3" in out
    assert (
        f"ERROR: {data}: line 1 (id 1): published_at: the date 0001-01-01T00:00:00+01:00 is outside the "
        "range stories can have (1800 to " in err
    )
    assert f"{data}: line 3 (id 3): published_at: the date 9999-12-31T23:59:59-01:00" in err
    assert f"{data}: line 4 (id 4): revised_at: the date 9999-12-31T23:59:59-01:00" in err
    report = json.loads((tmp_path / "report.json").read_text())
    assert [(e["external_id"], e["result"]) for e in report["stories"]] == [
        ("1", "failed"),
        ("2", "imported"),
        ("3", "failed"),
        ("4", "failed"),
    ]
    assert report["exit_status"] == 1
    assert list(Article.objects.values_list("headline", flat=True)) == ["Good story"]
    assert_site_answers(client, staff_client, Article.objects.get())


@pytest.mark.parametrize(
    ("date", "time"), [("0001-01-01", "00:00:00"), ("9999-12-31", "23:59:59"), ("1799-12-31", "12:00:00")]
)
def test_admin_form_refuses_dates_out_of_range_with_a_message_and_saves_nothing(staff_client, date, time):
    section = make_section("News")
    data = article_form(section, status="published", published_at_0=date, published_at_1=time)
    response = staff_client.post(reverse("admin:articles_article_add"), data)

    assert response.status_code == 200
    (error,) = response.context["adminform"].form.errors["published_at"]
    assert (
        error.startswith(f"The date {date}T{time}")
        and "is outside the range stories can have (1800 to " in error
    )
    assert error in response.content.decode()
    assert not Article.objects.exists()


# 5. Control characters


def test_imported_control_characters_are_stripped_so_feeds_and_sitemaps_stay_xml(
    tmp_path, client, staff_client
):
    data = write_jsonl(
        tmp_path / "word.jsonl",
        story(
            "7\x0b",
            "Pasted from Word\x0b",
            dek="A standfirst\x0b with a vertical tab\x01 and a tab\tand\nnewline",
            body="<p>Body\x0c text\x1f.</p>",
            authors=[{"name": "Ann Lee\x0b", "role": "Photos\x0b by"}],
            tags=["Politics\x0b"],
            lead_photo={"caption": "Cap\x0btion", "credit": "Photo:\x08 X", "alt_text": "Alt\x0b"},
            seo_title="SEO\x0b",
            dateline_place="Kyiv\x0b",
        ),
    )
    status, out, err = run(str(data))
    assert status == 0, err

    article = Article.objects.get()
    assert article.dek == "A standfirst with a vertical tab and a tab\tand\nnewline"
    assert (article.headline, article.external_id, article.body) == (
        "Pasted from Word",
        "7",
        "<p>Body text.</p>",
    )
    assert (article.seo_title, article.dateline_place) == ("SEO", "Kyiv")
    assert list(Byline.objects.values_list("author__name", "role")) == [("Ann Lee", "Photos by")]
    assert list(Tag.objects.values_list("name", flat=True)) == ["Politics"]
    photo = article.lead_photo
    assert (photo.caption, photo.credit, photo.alt_text) == ("Caption", "Photo: X", "Alt")
    assert_site_answers(client, staff_client, article)
    for url in ["/feeds/rss/", "/feeds/atom/", "/sitemap-news.xml"]:
        assert "Pasted from Word" in client.get(url).content.decode(), url

    # stored as it will be read: a second run, even with --update, finds the story the same
    assert "unchanged 1" in run(str(data))[1]
    assert "unchanged 1" in run(str(data), "--update")[1]


def test_admin_strips_control_characters_from_every_text_field(staff_client, client):
    section = make_section("World")
    data = article_form(
        section,
        headline="Pasted\x0b from Word",
        dek="A standfirst\x0b from Word",
        seo_description="Described\x1b here",
        status="published",
        published_at_0=(timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%d"),
        published_at_1=(timezone.localtime() - timedelta(hours=1)).strftime("%H:%M:%S"),
    )
    response = staff_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302

    article = Article.objects.get()
    assert (article.headline, article.dek, article.seo_description) == (
        "Pasted from Word",
        "A standfirst from Word",
        "Described here",
    )
    assert_site_answers(client, staff_client, article)


# 11. Import robustness


def test_jsonl_is_sniffed_on_every_line_not_the_first_alone():
    no_id_first = b'{"headline": "no id"}\n{"id": "2", "headline": "B"}\n{"id": "3", "headline": "C"}\n'
    assert sniff(no_id_first, "x.dat") == "jsonl"
    ninjs_lines = b'{"uri": "u:1", "headline": "A"}\n{"headline": "B", "type": "text"}\n'
    assert sniff(ninjs_lines, "x.dat") == "ninjs"
    pretty_ninjs = b'{\n  "uri": "u:1",\n  "id": "x",\n  "headline": "A"\n}\n'
    assert sniff(pretty_ninjs, "x.dat") == "ninjs"


def test_a_first_line_longer_than_the_sniffed_bytes_is_still_json_lines(tmp_path):
    long_line = json.dumps(story("1", "Long one", body="<p>" + "word " * 20_000 + "</p>"))
    assert len(long_line) > 65536
    assert sniff(long_line.encode()[:65536], "x.dat") == "jsonl"
    data = write_jsonl(tmp_path / "long.dat", long_line, story("2", "Short one"))
    status, out, err = run(str(data))
    assert status == 0, err
    assert "imported 2" in out


def test_a_first_line_without_an_id_fails_alone(tmp_path):
    data = write_jsonl(tmp_path / "a.dat", {"headline": "no id"}, story("2", "Two"), story("3", "Three"))
    status, out, err = run(str(data))
    assert status == 1
    assert "imported 2, updated 0, unchanged 0, skipped 0, failed 1" in out
    assert f"ERROR: {data}: line 1: no id" in err


def test_deeply_nested_json_fails_alone_and_the_report_tells_the_truth(tmp_path):
    nested = '{"id": "2", "headline": "Deep", "tags": ' + "[" * 100_000 + "]" * 100_000 + "}"
    shallow = '{"id": "4", "headline": "Deep too", "tags": ' + "[" * 70 + "]" * 70 + "}"
    data = write_jsonl(
        tmp_path / "deep.jsonl", story("1", "Valid before"), nested, story("3", "After"), shallow
    )
    status, out, err = run(str(data), "--report", str(tmp_path / "report.json"))

    assert status == 1
    assert "imported 2, updated 0, unchanged 0, skipped 0, failed 2" in out
    assert f"ERROR: {data}: line 2: JSON nested more than 64 levels deep" in err
    assert f"ERROR: {data}: line 4: JSON nested more than 64 levels deep" in err
    assert sorted(Article.objects.values_list("external_id", flat=True)) == ["1", "3"]
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["exit_status"] == 1 and report["summary"]["failed"] == 2


def test_deeply_nested_ninjs_is_refused_with_one_line(tmp_path):
    data = tmp_path / "deep.json"
    data.write_text('{"uri": "u:1", "headline": "H", "x": ' + "[" * 100_000 + "]" * 100_000 + "}")
    status, _, err = run(str(data))
    assert status == 2
    assert f"{data}: JSON nested more than 64 levels deep" in err


def test_a_string_where_a_list_is_expected_is_one_author_or_tag(tmp_path):
    data = write_jsonl(
        tmp_path / "a.jsonl",
        story("1", "One", authors="Jane Doe", tags="Politics"),
        story("2", "Two", authors={"name": "Bo Lind", "role": "Photos by"}, tags=""),
        story("3", "Three", authors=42),
    )
    status, _, err = run(str(data))
    assert status == 1
    assert list(Author.objects.values_list("name", flat=True)) == ["Bo Lind", "Jane Doe"]
    assert list(Tag.objects.values_list("name", flat=True)) == ["Politics"]
    assert list(Article.objects.get(external_id="2").bylines.values_list("role", flat=True)) == ["Photos by"]
    assert f"{data}: line 3 (id 3): 'authors' must be a list" in err


def test_a_parser_tripping_over_input_keeps_what_was_read_and_reports_the_rest(tmp_path, monkeypatch):
    real = jsonl.record

    def fragile(obj, where):
        if obj.get("id") == "2":
            raise TypeError("unforeseen")
        return real(obj, where)

    monkeypatch.setattr(jsonl, "record", fragile)
    data = write_jsonl(tmp_path / "a.jsonl", story("1", "One"), story("2", "Two"), story("3", "Three"))
    other = write_jsonl(tmp_path / "b.jsonl", story("4", "Four"))
    status, out, err = run(str(data), str(other), "--report", str(tmp_path / "report.json"))

    assert status == 1
    assert f"ERROR: {data}: reading stopped after item 1: unforeseen" in err
    assert sorted(Article.objects.values_list("external_id", flat=True)) == ["1", "4"]
    assert json.loads((tmp_path / "report.json").read_text())["exit_status"] == 1


def test_a_run_stopped_by_an_error_never_reports_exit_status_0(tmp_path, monkeypatch):
    from articles.importers.load import Loader

    def broken(self, items):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(Loader, "load_chunk", broken)
    data = write_jsonl(tmp_path / "a.jsonl", story("1", "One"))
    with pytest.raises(RuntimeError):
        run(str(data), "--report", str(tmp_path / "report.json"))
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["exit_status"] == 1 and report["interrupted"] is True


# 13. Images from other sites in story bodies


def test_imported_tracking_pixels_are_removed_with_a_warning_and_reach_no_feed(
    tmp_path, client, staff_client
):
    body = f'<p>Text.<img src="{TRACKER}" width="1" height="1"></p><figure><img src="/media/a.jpg"></figure>'
    data = write_jsonl(tmp_path / "a.jsonl", story("1", "Tracked story", body=body))
    status, out, err = run(str(data), "--report", str(tmp_path / "report.json"))

    assert status == 0, err
    warning = f"Removed an image from another site ({TRACKER}): upload it to Photos instead."
    assert f"warning: {data}: line 1 (id 1): {warning}" in out
    (entry,) = json.loads((tmp_path / "report.json").read_text())["stories"]
    assert entry["warnings"] == [warning]
    article = Article.objects.get()
    assert article.body == '<p>Text.</p><figure><img src="/media/a.jpg"></figure>'
    assert_site_answers(client, staff_client, article)
    for url in ["/feeds/rss/", "/feeds/atom/", "/api/ninjs/", article.get_absolute_url()]:
        assert "tracker.example" not in client.get(url).content.decode(), url
    assert "/media/a.jpg" in client.get(f"/api/ninjs/{article.pk}/").content.decode()


def test_admin_removes_images_from_other_sites_and_tells_the_editor(staff_client):
    section = make_section("News")
    body = f'<p>Text.</p><p><img src="{TRACKER}"><img src="/media/photos/ok.jpg" alt="Ours"></p>'
    data = article_form(section, body=body)
    response = staff_client.post(reverse("admin:articles_article_add"), data)

    assert response.status_code == 200
    assert not Article.objects.exists()  # the editor sees the story as it would be saved first
    page = response.content.decode()
    assert f"Removed an image from another site ({TRACKER}): upload it to Photos instead." in page
    form = response.context["adminform"].form
    shown = form["body"].value()
    assert TRACKER not in shown and "/media/photos/ok.jpg" in shown

    response = staff_client.post(reverse("admin:articles_article_add"), {**data, "body": shown})
    assert response.status_code == 302
    assert Article.objects.get().body == '<p>Text.</p><p><img src="/media/photos/ok.jpg" alt="Ours"></p>'


# 4 and 5, again: the fronts, the banner and the desk's notes


@pytest.mark.parametrize(("date", "time"), [("0001-01-01", "00:00:00"), ("9999-12-31", "23:59:59")])
def test_banner_and_front_pins_refuse_dates_out_of_range(staff_client, client, date, time):
    from django.core.exceptions import ValidationError

    from articles.models import Banner, Front, Placement

    data = {"text": "Polls close", "link": "", "level": "breaking", "starts_at_0": "2026-01-01",
            "starts_at_1": "10:00:00", "ends_at_0": date, "ends_at_1": time}  # fmt: skip
    response = staff_client.post(reverse("admin:articles_banner_add"), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["ends_at"]
    assert any(e.startswith(f"The date {date}T{time}") and "outside the range" in e for e in errors)
    assert not Banner.objects.exists()
    assert client.get("/").status_code == 200

    moment = datetime(1, 1, 2, tzinfo=UTC) if date.startswith("0001") else datetime(9999, 12, 30, tzinfo=UTC)
    pin = Placement(front=Front.objects.create(), article=make_article("Placed"), ends_at=moment)
    with pytest.raises(ValidationError) as refused:
        pin.full_clean()
    assert "outside the range" in refused.value.message_dict["ends_at"][0]


def test_zone_titles_and_desk_notes_lose_control_characters(staff_client):
    from articles.models import Front, StoryNote, Zone

    zone = Zone.objects.create(front=Front.objects.create(), kind="top", title="Top\x0b stories")
    assert Zone.objects.get(pk=zone.pk).title == "Top stories"
    story = make_article("Noted")
    response = staff_client.post(
        reverse("admin:articles_article_notes", args=[story.pk]), {"text": "Check\x0b the\x00 quote"}
    )
    assert response.status_code == 200
    assert StoryNote.objects.get().text == "Check the quote"


# 4, 5 and 13, again: saved HTML pages go through the same checks as every other import


SAVED_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>x</title>
<script type="application/ld+json">{{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "{headline}", "datePublished": "{published}", "articleSection": "World",
 "author": {{"@type": "Person", "name": "Ana\\u000bReyes"}}}}</script></head>
<body><article><h1>{headline}</h1><p>Text of the story, long enough to be one.</p>
<p>More text<img src="{tracker}"> and more.</p></article></body></html>"""


def test_saved_html_pages_refuse_odd_dates_and_lose_control_characters_and_trackers(
    tmp_path, client, staff_client
):
    good = timezone.now().replace(microsecond=0) - timedelta(hours=2)
    folder = tmp_path / "site"
    folder.mkdir()
    pages = {
        "odd.html": ("Year one", "0001-01-01T00:00:00+01:00"),
        "good.html": ("Good\\u000b page", good.isoformat()),
    }
    for name, (headline, published) in pages.items():
        (folder / name).write_text(SAVED_PAGE.format(headline=headline, published=published, tracker=TRACKER))
    status, out, err = run(str(folder))

    assert status == 1
    assert "odd.html" in err and "the date 0001-01-01T00:00:00+01:00 is outside the range" in err
    story = Article.objects.get()
    assert story.headline == "Good page"
    assert [a.name for a in Author.objects.all()] == ["Ana Reyes"]  # (a vertical tab is whitespace)
    assert TRACKER not in story.body and "More text" in story.body
    assert_site_answers(client, staff_client, story)


def test_the_papers_own_pages_tell_the_editor_of_a_removed_foreign_image(staff_client, client):
    from pages.models import Page

    data = {"title": "About us", "slug": "about", "in_footer": "on", "footer_order": 1, "description": "",
            "body": f'<p>Who we are.<img src="{TRACKER}"></p>'}  # fmt: skip
    response = staff_client.post("/admin/pages/page/add/", data)
    assert response.status_code == 200
    (*_, told, again) = response.context["adminform"].form.errors["body"]
    assert told == f"Removed an image from another site ({TRACKER}): upload it to Photos instead."
    assert not Page.objects.exists()
    data["body"] = response.context["adminform"].form["body"].value()  # the body as it would be saved
    assert staff_client.post("/admin/pages/page/add/", data).status_code == 302
    assert TRACKER not in client.get("/pages/about/").content.decode()
