"""Saved HTML pages (#16): metadata, bodies without furniture, encodings, folders, our own site round trip."""

import io
import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from articles import body as story_body
from articles.importers import html_pages
from articles.importers.records import Skipped
from articles.importers.sniff import sniff
from articles.models import Article, Author
from tests.conftest import DATA
from tests.test_import_command import run  # (exit status, stdout, stderr) of one import

SITE = DATA / "imports" / "site" / "herald.example"
BRIDGE = SITE / "2024" / "01" / "07" / "council-approves-harbour-bridge" / "index.html"
GRAIN = SITE / "2024" / "03" / "02" / "drought-cuts-grain-harvest" / "index.html"
FURNITURE = (
    "Trending Now", "Related stories", "Related", "Sign up", "Subscribe", "Share on", "Copy link",
    "Facebook", "More from", "comments", "Advertisement", "Storm warning", "Ferry fares", "Skip to content",
    "Search stories", "All stories", "Topics", "Written by", "Privacy",
)  # fmt: skip


def parse(path: Path):
    (item,) = html_pages.parse(path.read_bytes(), name=path.name, tz=UTC)
    return item


def test_saved_pages_are_sniffed_as_html():
    assert sniff(BRIDGE.read_bytes(), "index.html") == "html"
    assert sniff(b"<html><body>x</body></html>") == "html"
    assert sniff((SITE / "feed" / "index.html").read_bytes(), "index.html") == "feed"


def test_news_article_json_ld_in_a_graph_gives_the_metadata():
    story = parse(BRIDGE)
    assert story.external_id == "https://herald.example/2024/01/07/council-approves-harbour-bridge/"
    assert story.slug == "council-approves-harbour-bridge"
    assert story.headline == "Council approves harbour bridge"
    assert story.dek == "Eleven years of argument end past midnight."
    assert [(b.name, b.affiliation) for b in story.bylines] == [
        ("Ana Reyes", "City hall reporter"),
        ("Bo Li", ""),
    ]
    assert story.published_at == datetime(2024, 1, 7, 11, 58, tzinfo=UTC)
    assert story.published_at.utcoffset() == timedelta(hours=1)  # the page's own offset is kept
    assert story.revised_at == datetime(2024, 1, 8, 8, 0, tzinfo=UTC)
    assert story.section == "Local"
    assert story.tags == ["Bridges", "Council", "Transport"]
    assert story.status == "published"


def test_lead_image_caption_and_credit_come_from_its_figure():
    photo = parse(BRIDGE).lead_photo
    assert photo.url == "https://herald.example/wp-content/uploads/2024/01/bridge.jpg"
    assert photo.file == "wp-content/uploads/2024/01/bridge.jpg"
    assert photo.caption == "The old ferry landing, which the bridge replaces."
    assert photo.credit == "Photo: Cy Ode"
    assert photo.alt_text == "The ferry landing at dusk"


def test_the_body_is_the_article_and_no_furniture():
    body = parse(BRIDGE).body
    assert body.startswith("<p>The council approved")
    assert "<h2>What happens next</h2>" in body
    assert "<blockquote><p>We have waited long enough for this crossing.</p></blockquote>" in body
    assert body.count("<p>") == 5
    for furniture in FURNITURE:
        assert furniture not in body, furniture
    assert "Council approves harbour bridge" not in body  # the headline is not repeated
    assert "Eleven years of argument" not in body  # nor the standfirst


def test_open_graph_page_in_windows_1251_without_a_charset():
    story = parse(GRAIN)
    assert story.headline == "Засуха сократила урожай зерна"
    assert story.published_at == datetime(2024, 3, 2, 8, 15, tzinfo=timezone(timedelta(hours=-5)))
    assert story.section == "Экономика"
    assert story.tags == ["Сельское хозяйство", "Климат"]
    assert [b.name for b in story.bylines] == ["Иван Петров"]
    assert (story.lead_photo.caption, story.lead_photo.credit) == (
        "Пшеничное поле под Ростовом.",
        "Photo: Анна Смирнова / Agency",
    )
    assert "<h2>Запасы на исходе</h2>" in story.body
    for furniture in ("Facebook", "Advertisement", "More from", "Нефть", "Отличная статья", "Вестник"):
        assert furniture not in story.body


def test_pages_that_are_not_articles_are_skipped():
    item = parse(SITE / "section" / "local" / "index.html")
    assert isinstance(item, Skipped) and "not an article page" in item.reason


@pytest.mark.django_db
def test_a_saved_site_folder_imports_its_article_pages_only():
    status, out, _ = run(str(SITE))
    assert status == 0
    assert "imported 2, updated 0, unchanged 0, skipped 1, failed 0" in out
    assert "2 files of saved sites left out" in out  # the stylesheet and the feed beside the pages
    assert Author.objects.get(name="Ana Reyes").job_title == "City hall reporter"
    assert Article.objects.published().count() == 2
    status, out, _ = run(str(SITE))
    assert "imported 0, updated 0, unchanged 2" in out


def save_site(client: Client, folder: Path, paths: list[str]) -> None:
    """Pages as `wget --mirror` keeps them: /a/b/ is a/b/index.html."""
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        target = folder / path.strip("/") / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(response.content)


def without_figures(html: str) -> str:
    """`html` without its figures (a gallery's title stays beside its pictures without --media-dir)."""
    return re.sub(r"<figure\b.*?</figure>|<figcaption\b.*?</figcaption>", "", html, flags=re.DOTALL)


def normalized(html: str) -> str:
    """Block tags without the white space around them; quotes straight (the site shows them typographic)."""
    html = html.translate(str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'}))
    return re.sub(
        r"\s*(</?(?:p|h2|h3|blockquote|ul|ol|li|figure|figcaption)\b[^>]*>)\s*", r"\1", html
    ).strip()


@pytest.mark.django_db
def test_our_own_site_comes_back_whole_and_clean(tmp_path):
    call_command("load_demo", stdout=io.StringIO())
    client = Client()
    stories = list(Article.objects.published().select_related("section", "lead_photo"))
    assert len(stories) >= 20
    paths = ["/", "/latest/", *{f"/section/{s.section.slug}/" for s in stories}]
    paths += [s.get_absolute_url() for s in stories]
    save_site(client, tmp_path / "site", paths)
    (tmp_path / "site" / "static").mkdir()
    (tmp_path / "site" / "static" / "site.css").write_text("body {}")

    status, out, err = run(str(tmp_path / "site"))
    assert status == 0, err
    assert (
        f"imported {len(stories)}, updated 0, unchanged 0, skipped {len(paths) - len(stories)}, failed 0"
        in out
    )
    for original in stories:
        url = "http://testserver" + original.get_absolute_url()
        copy = Article.objects.select_related("section", "lead_photo").get(source="html", external_id=url)
        assert copy.headline == original.headline
        assert copy.dek == original.dek
        # the body's photos come back as the old site's pictures (library photos with --media-dir), each with
        # its caption; pull quotes and fact boxes as they were
        pictures = re.findall(r"<figure><img [^>]*>\s*<figcaption>(.*?)</figcaption></figure>", copy.body)
        shown = story_body.body_photos(original.body)
        assert [re.sub(r"\s*<cite>.*", "", c) for c in pictures] == [p.caption for p in shown], (
            original.headline
        )
        assert normalized(without_figures(copy.body)) == normalized(without_figures(original.body)), (
            original.headline
        )
        for furniture in FURNITURE:
            assert furniture not in copy.body, (original.headline, furniture)
        assert copy.section.name == original.section.name
        assert sorted(copy.tags.names()) == sorted(original.tags.names())
        names = list(copy.bylines.order_by("position").values_list("author__name", flat=True))
        assert names == list(original.bylines.order_by("position").values_list("author__name", flat=True))
        assert copy.published_at == original.published_at
        assert copy.status == "published"
        if original.lead_photo:
            assert (copy.lead_photo.caption, copy.lead_photo.credit, copy.lead_photo.alt_text) == (
                original.lead_photo.caption,
                original.lead_photo.credit,
                original.lead_photo.alt_text,
            )


ELEMENTS_PAGE = """<!doctype html><html><head><title>Bridge</title>
<script type="application/ld+json">{"@type": "NewsArticle", "headline": "The bridge in numbers",
"datePublished": "2026-11-02T10:00:00Z", "url": "https://old.example.com/2026/bridge/"}</script></head>
<body><nav><a href="/">Home</a></nav><article><h1>The bridge in numbers</h1><div class="story-body">
<p>The bridge reopened at dawn after two years of repairs, and the first cars crossed at six.</p>
<figure class="photo body-photo"><img src="/media/bridge-1600.jpg" alt="Cars on a bridge">
<figcaption>The first cars across. <span class="credit">Photo: Ana Reyes</span></figcaption></figure>
<p>The council said the repairs came in under budget, which nobody in the town had expected.</p>
<blockquote class="pullquote"><p>We kept our promise.</p></blockquote>
<p>The mayor spoke first, then the engineers who had worked through two winters on the deck.</p>
<aside class="factbox"><h3>The bridge</h3><p>Built in 1931.</p><p>Repairs cost 40 million.</p></aside>
</div></article><footer>Contact us</footer></body></html>"""


def test_a_pages_photos_pull_quotes_and_fact_boxes_come_through_the_extraction():
    """trafilatura keeps text, not boxes: a fact box would be dropped and a pull quote flattened."""
    (item,) = html_pages.parse(ELEMENTS_PAGE.encode(), name="bridge.html", tz=UTC)
    assert normalized(item.body) == (
        "<p>The bridge reopened at dawn after two years of repairs, and the first cars crossed at six.</p>"
        '<figure><img src="https://old.example.com/media/bridge-1600.jpg" alt="Cars on a bridge">'
        "<figcaption>The first cars across. <cite>Photo: Ana Reyes</cite></figcaption></figure>"
        "<p>The council said the repairs came in under budget, which nobody in the town had expected.</p>"
        '<blockquote class="pullquote"><p>We kept our promise.</p></blockquote>'
        "<p>The mayor spoke first, then the engineers who had worked through two winters on the deck.</p>"
        '<aside class="factbox"><h3>The bridge</h3><p>Built in 1931.</p><p>Repairs cost 40 million.</p>'
        "</aside>"
    )
