"""Real-world quirks of exports, feeds, ninjs and scraped pages (#16), on small files of the same shape."""

import json
from datetime import UTC, datetime

import pytest
from django.utils import timezone

from articles.importers import feed, ninjs, text, wxr
from articles.importers.records import ArticleRecord, Recovered, SourceError
from articles.models import Article, Author, Tag
from tests.conftest import DATA
from tests.test_import_command import run  # (exit status, stdout, stderr) of one import

QUIRKS = DATA / "imports"


def items(module, name: str, **kwargs) -> list:
    return list(module.parse((QUIRKS / name).read_bytes(), name=name, **kwargs))


def records(found: list) -> list[ArticleRecord]:
    return [item for item in found if isinstance(item, ArticleRecord)]


# WordPress


def test_wordpress_term_names_lose_their_html_entities():
    first = records(items(wxr, "wxr-quirks.xml"))[0]
    assert first.section == "Tips & Tricks"
    assert first.tags == ["Q&A", "Rock & Roll"]


def test_attachment_title_is_a_file_label_not_a_caption():
    first = records(items(wxr, "wxr-quirks.xml"))[0]
    assert first.lead_photo is not None
    assert first.lead_photo.caption == ""
    assert first.lead_photo.file == "2024/01/IMG_2041.jpg"


def test_untitled_published_post_stays_published_with_a_warning():
    untitled = next(r for r in records(items(wxr, "wxr-quirks.xml")) if r.external_id.endswith("?p=12"))
    assert untitled.status == "published"
    assert untitled.headline.startswith("This post has no title")
    assert any("no title" in warning for warning in untitled.warnings)


@pytest.mark.django_db
def test_two_different_posts_under_one_post_id_are_a_conflict_the_same_twice_is_not():
    status, out, err = run(str(QUIRKS / "wxr-quirks.xml"), "--report", "/dev/null")
    assert status == 1
    assert "imported 2, updated 0, unchanged 1, skipped 1, failed 1" in out
    assert (
        "item 4 (post 10)" in err and "conflict: id https://quirks.example/?p=10 was already used by" in err
    )
    assert "item 1 (post 10)" in err
    assert (
        Article.objects.get(external_id="https://quirks.example/?p=10").headline == "Ten tips for the harbour"
    )


@pytest.mark.django_db
def test_untitled_post_is_public_and_terms_are_stored_unescaped():
    run(str(QUIRKS / "wxr-quirks.xml"))
    assert Article.objects.published().count() == 2
    assert set(Tag.objects.values_list("name", flat=True)) == {"Q&A", "Rock & Roll"}
    assert not Tag.objects.filter(name__contains="&amp;").exists()


def test_undeclared_namespace_prefix_and_blank_lines_are_recovered_and_said():
    found = items(wxr, "wxr-undeclared-prefix.xml")
    notes = [item.message for item in found if isinstance(item, Recovered)]
    assert any("undeclared namespace prefixes atom:, georss:" in note for note in notes)
    assert any("2 blank lines before <?xml removed" in note for note in notes)
    (story,) = records(found)
    assert story.headline == "Harbour reopens" and story.external_id == "http://oldblog.example/?p=7"


@pytest.mark.django_db
def test_recovered_export_is_imported_and_the_report_says_so(tmp_path):
    report = tmp_path / "report.json"
    status, out, _ = run(str(QUIRKS / "wxr-undeclared-prefix.xml"), "--report", str(report))
    assert status == 0 and "imported 1" in out
    assert "recovered: " in out and "undeclared namespace prefixes atom:, georss:" in out
    written = json.loads(report.read_text())
    assert any("undeclared namespace prefixes" in line for line in written["recovered"])


def test_a_truly_broken_export_is_still_refused_with_its_line():
    data = (QUIRKS / "wxr-undeclared-prefix.xml").read_bytes().replace(b"</channel>", b"</chanel>")
    with pytest.raises(Exception, match="malformed XML: mismatched tag: line"):
        list(wxr.parse(data, name="broken.xml"))


def export(*posts: bytes) -> bytes:
    head = (
        b'<?xml version="1.0"?>\n<rss xmlns:wp="http://wordpress.org/export/1.2/" '
        b'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>\n'
        b"<wp:wxr_version>1.2</wp:wxr_version><link>https://cut.example</link>\n"
    )
    return head + b"".join(posts) + b"</channel></rss>\n"


def post(number: int, title: str, content: bytes = b"") -> bytes:
    fields = (
        f"<item><title>{title}</title><wp:post_id>{number}</wp:post_id><wp:post_type>post</wp:post_type>"
        f"<wp:status>publish</wp:status><wp:post_date_gmt>2024-01-0{number} 08:00:00</wp:post_date_gmt>"
    )
    return fields.encode() + b"<content:encoded>" + content + b"</content:encoded></item>\n"


CUT_SHORT = export(post(1, "First"), post(2, "Second"), post(3, "Third")).split(b"<title>Third")[0]


def test_an_export_cut_short_gives_the_posts_before_the_cut_then_the_error_with_its_line():
    found = []
    cut = r"^cut\.xml: malformed XML: no element found: line 6, column \d+: the 2 posts before it were read"
    with pytest.raises(SourceError, match=cut):
        for item in wxr.parse(CUT_SHORT, name="cut.xml"):
            found.append(item)
    assert [record.headline for record in records(found)] == ["First", "Second"]


@pytest.mark.django_db
def test_an_export_cut_short_keeps_what_came_before_the_cut_and_fails(tmp_path):
    path = tmp_path / "cut.xml"
    path.write_bytes(CUT_SHORT)
    status, out, err = run(str(path))
    assert status == 1
    assert "imported 2, updated 0, unchanged 0, skipped 0, failed 1" in out
    assert "malformed XML: no element found: line 6" in err and "nothing after it" in err
    assert sorted(Article.objects.values_list("headline", flat=True)) == ["First", "Second"]


def test_an_export_broken_before_its_first_whole_post_is_refused_as_before():
    broken = export(post(1, "First").replace(b"</title>", b"</titel>"), post(2, "Second"))
    with pytest.raises(SourceError, match=r"^cut\.xml: malformed XML: mismatched tag: line 4") as refused:
        list(wxr.parse(broken, name="cut.xml"))
    assert "before it were read" not in str(refused.value)


def test_split_and_nested_cdata_sections_on_one_line_both_read_as_wordpress_reads_them():
    content = b"<![CDATA[<p>a ]]]]><![CDATA[> b <![CDATA[ c ]]> d</p>]]>"
    found = list(wxr.parse(export(post(1, "Nested", content)), name="nested.xml"))
    assert [item.message for item in found if isinstance(item, Recovered)] == [
        '1 "]]>" inside CDATA sections (the first on line 4) read as WordPress\'s importer reads it: '
        "as part of the text"
    ]
    (story,) = records(found)
    assert story.body == "<p>a ]]> b <![CDATA[ c ]]> d</p>"  # the text as written; the loader sanitizes it


# Feeds


@pytest.fixture(scope="module")
def feed_items():
    return items(feed, "feed-quirks.rss")


def test_feed_with_a_blank_line_before_the_declaration_is_read_and_said(feed_items):
    assert [item.message for item in feed_items if isinstance(item, Recovered)] == [
        "1 blank line before <?xml removed (read as a browser does)"
    ]
    assert len(records(feed_items)) == 1


def test_inline_markup_in_a_title_adds_no_space(feed_items):
    assert records(feed_items)[0].headline == "Phones under ₹4,000 reviewed"


def test_category_with_a_slash_is_kept_and_name_and_slug_give_one_tag(feed_items):
    assert records(feed_items)[0].tags == ["iPhone/iPad", "Tips & Tricks", "Reviews"]


def test_media_description_is_the_caption_not_the_body(feed_items):
    story = records(feed_items)[0]
    assert story.lead_photo.caption == "A phone on a market stall in Pune."
    assert story.lead_photo.credit == "Bo Li"
    assert "market stall" not in story.body
    assert "cheap phones" in story.body


def test_affiliation_after_a_comma_is_one_author_with_a_job_title(feed_items):
    (byline,) = records(feed_items)[0].bylines
    assert (byline.name, byline.affiliation) == ("Ana Reyes", "Michigan State University")


@pytest.mark.django_db
def test_affiliation_becomes_the_new_authors_job_title():
    status, _, _ = run(str(QUIRKS / "feed-quirks.rss"))
    assert status == 0
    author = Author.objects.get()
    assert (author.name, author.job_title) == ("Ana Reyes", "Michigan State University")


# ninjs


def test_ninjs_embargoed_is_the_embargo_and_bylines_keep_affiliations():
    (story,) = items(ninjs, "ninjs-embargoed.json")
    assert story.embargo_until == datetime(2024, 1, 7, 11, 0, tzinfo=UTC)
    assert [(b.name, b.affiliation) for b in story.bylines] == [
        ("Ana Reyes", "Michigan State University"),
        ("Bo Li", ""),
    ]


@pytest.mark.django_db
def test_ninjs_embargo_holds_the_story_back_until_it_lifts(monkeypatch):
    run(str(QUIRKS / "ninjs-embargoed.json"))
    article = Article.objects.get()
    assert article.embargo_until == datetime(2024, 1, 7, 11, 0, tzinfo=UTC)
    monkeypatch.setattr(timezone, "now", lambda: datetime(2024, 1, 7, 10, 59, tzinfo=UTC))
    assert not Article.objects.published().exists()
    monkeypatch.setattr(timezone, "now", lambda: datetime(2024, 1, 7, 11, 0, tzinfo=UTC))
    assert Article.objects.published().exists()


# Scraped text pages


@pytest.fixture(scope="module")
def credits_page():
    (story,) = items(text, "page-credits.txt")
    return story


def test_photo_by_and_its_caption_above_it_are_the_lead_photo(credits_page):
    assert credits_page.lead_photo.credit == "Photo by Bo Li"
    assert credits_page.lead_photo.caption == "Fishing boats at dawn in the old harbour."
    assert "Fishing boats at dawn" not in credits_page.body


def test_later_credits_and_captions_stay_where_they_stood(credits_page):
    body = credits_page.body
    figure = (
        "<figure><figcaption>Crowds on the quay <cite>Photo: Cy Ode / Agency</cite></figcaption></figure>"
    )
    assert figure in body
    assert body.index("fifty years") < body.index(figure) < body.index("Residents lined")
    for credit in ("Foto: Dee Lux", "Image: Eve Ray", "Credit: Flo Kay"):
        assert f"<cite>{credit}</cite>" in body
    assert "<p>Crowds on the quay</p>" not in body


def test_updated_gmt_dateline_is_the_revision_time(credits_page):
    assert credits_page.revised_at == datetime(2024, 1, 7, 22, 32, tzinfo=UTC)


def test_share_furniture_never_reaches_the_body(credits_page):
    for furniture in ("Copy link", "Share this", "Facebook", "Link copied"):
        assert furniture not in credits_page.body


def test_sub_headings_are_found_on_a_page_without_metadata():
    (story,) = items(text, "page-no-metadata.txt")
    assert story.section == ""
    assert "<h2>The sea wall</h2>" in story.body
    assert "<h2>Dredging the basin</h2>" in story.body
    assert "<p>Work began in the spring of 2022.</p>" in story.body


def test_windows_1251_page_without_a_charset_is_decoded():
    (story,) = items(text, "page-cp1251.txt")
    assert story.headline == "Новости порта"
    assert "Гавань снова открыта" in story.dek + story.body
    assert "Мэр сказал" in story.body


@pytest.mark.parametrize(
    ("encoding", "sample"),
    [
        ("cp1252", "Le garçon a commandé un café très chaud, déjà prêt, à côté de la gare."),
        ("cp1253", "Η κυβέρνηση ανακοίνωσε νέα μέτρα για την οικονομία της χώρας."),
        ("cp1254", "Bakanlık yeni kararları açıkladı, şehirde güneşli bir gün bekleniyor."),
        ("koi8-r", "Гавань снова открыта после двух лет ремонта, лодки вернулись."),
    ],
)
def test_legacy_encodings_are_told_apart(encoding, sample):
    page = f"Headline\n\n{sample} {sample}\n".encode(encoding)
    (story,) = text.parse(page, name="page.txt")
    assert sample in story.body


@pytest.mark.django_db
def test_a_feed_that_is_not_well_formed_comes_in_as_drafts_and_the_output_says_why(tmp_path):
    from tests.test_import_feed import ILL_FORMED

    path = tmp_path / "local.rss"
    path.write_bytes(ILL_FORMED)
    status, out, err = run(str(path))
    assert status == 0 and "imported 2" in out
    assert "recovered: " in out and "not well-formed XML (line 3, column 19" in out
    assert Article.objects.filter(status="draft").count() == 2 and not Article.objects.published().exists()
