"""A newspaper's look: one date style, typographic quotes, cards, footer pages, the phone header."""

import re
from datetime import datetime, timedelta
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import formats
from django.utils.safestring import mark_safe
from PIL import Image

from articles import freshness
from articles.templatetags.newsroom import dateline, smartquotes
from pages.models import Page
from tests.conftest import make_article, make_author, make_photo, make_section

SEED_TIME = datetime(2024, 1, 7, 11, 58, tzinfo=ZoneInfo("UTC"))  # 12:58 PM in Berlin


def photo_file():
    buffer = BytesIO()
    Image.new("RGB", (1200, 800), "#2b4c6f").save(buffer, "JPEG")
    return SimpleUploadedFile("harbour.jpg", buffer.getvalue(), content_type="image/jpeg")


# ---------------------------------------------------------------------------------------- one date style


def test_the_default_date_style_is_the_seed_pages_dateline():
    assert dateline(SEED_TIME) == "Jan.07 - 2024 12:58 PM CET"


def test_the_date_style_setting_changes_every_date(settings):
    settings.NEWSROOM_DATE_FORMAT = "j F Y, H:i"
    assert dateline(SEED_TIME) == "7 January 2024, 12:58"


def test_the_admin_takes_its_date_and_time_format_from_the_same_setting(settings):
    assert formats.get_format("DATETIME_FORMAT") == settings.NEWSROOM_DATE_FORMAT


@pytest.mark.django_db
def test_written_by_is_only_on_the_article_page(client):
    anna = make_author("Anna Berg")
    story = make_article("Harbour reopens", authors=[anna])
    home = client.get("/").content.decode()
    assert "Written by" not in home and "By Anna Berg" in home
    assert "Written by" not in client.get("/section/news/").content.decode()
    assert 'Written by <a href="/author/anna-berg/"' in client.get(story.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_the_right_column_holds_more_than_trending_now(client):
    for i in range(3):
        make_article(f"Story number {i}")
    story = client.get(make_article("A story").get_absolute_url()).content.decode()
    column = story.split('<aside class="sidebar"')[1]
    assert "Trending Now" in column and "Just in" in column and "Story number 2" in column
    front = client.get("/section/news/").content.decode()  # a front holds its column: once, after the stories
    column = front.split('<div class="rail-inline">')[1]
    assert "Trending Now" in column and "Just in" in column and "Story number 2" in column
    assert "<aside" not in front and front.count('class="trending"') == 1


# ---------------------------------------------------------------------------------------- typographic quotes


def test_quotes_in_text_become_typographic():
    html = smartquotes(mark_safe("<p>She said, \"It's done.\" In the '90s 'we' knew.</p>"))
    assert html == "<p>She said, \u201cIt\u2019s done.\u201d In the \u201990s \u2018we\u2019 knew.</p>"


def test_quotes_in_attributes_and_code_are_left_alone():
    source = '<p><a href="/x" title="the \'best\'">"link"</a> <code>x = "y"</code></p><pre>print("hi")</pre>'
    html = smartquotes(mark_safe(source))
    assert '<a href="/x" title="the \'best\'">\u201clink\u201d</a>' in html
    assert '<code>x = "y"</code>' in html and '<pre>print("hi")</pre>' in html


def test_plain_text_is_escaped_before_its_quotes_are_curled():
    assert smartquotes('"<b>"') == "\u201c&lt;b&gt;\u201d"


@pytest.mark.django_db
def test_the_stored_body_keeps_straight_quotes_and_the_page_shows_curly_ones(client):
    story = make_article('A "quoted" headline', body='<p>"Yes," she said. <a href="/a">it</a></p>')
    story.refresh_from_db()
    assert story.body.startswith('<p>"Yes," she said. <a href="/a"')
    html = client.get(story.get_absolute_url()).content.decode()
    assert '<p>\u201cYes,\u201d she said. <a href="/a"' in html
    assert "A \u201cquoted\u201d headline</h1>" in html


# ---------------------------------------------------------------------------------------- cards


@pytest.mark.django_db
def test_cards_carry_srcset_sizes_dimensions_and_lazy_loading_below_the_fold(rf):
    photo = make_photo(image=photo_file(), alt_text="Ferries")
    story = make_article("Harbour reopens", lead_photo=photo)
    lead, top, standard, compact = freshness.cards(
        [
            (story.pk, {"variant": "lead"}),
            (story.pk, {"variant": "top"}),
            (story.pk, {"variant": "standard"}),
            (story.pk, {"variant": "compact"}),
        ],
    )
    for html in (lead, top, standard):
        img = re.search(r"<img [^>]*>", html).group()
        assert 'srcset="' in img and "480w" in img and 'sizes="' in img
        assert 'width="1200" height="800"' in img
        assert '<source type="image/webp"' in html
    assert 'loading="eager"' in lead and 'fetchpriority="high"' in lead  # the lead is above the fold
    assert 'loading="lazy"' in top and 'loading="lazy"' in standard
    assert "<img" not in compact
    assert "card--lead" in lead and "card--top" in top and "card--standard" in standard


@pytest.mark.django_db
def test_a_front_may_override_a_cards_headline_standfirst_and_picture(rf):
    other = make_photo(image=photo_file(), alt_text="Cranes")
    story = make_article("The story's own headline", dek="Its own standfirst")
    (html,) = freshness.cards(
        [(story.pk, {"variant": "top", "headline": "Front headline", "dek": "Front dek", "photo": other})],
    )
    assert "Front headline" in html and "Front dek" in html and "own headline" not in html
    assert other.image.url in html


# ---------------------------------------------------------------------------------------- footer pages


@pytest.mark.django_db
def test_footer_pages_are_editable_and_a_change_shows_at_once(client):
    page = Page.objects.create(title="About us", slug="about", body="<p>Who we are.</p><script>x()</script>")
    assert page.body == "<p>Who we are.</p>"  # the story sanitizer
    home = client.get("/").content.decode()
    assert '<a href="/pages/about/">About us</a>' in home and 'href="/feeds/rss/"' in home
    response = client.get("/pages/about/")
    assert response.status_code == 200 and "Who we are." in response.content.decode()
    assert "Content-Security-Policy" in response.headers and "max-age" in response.headers["Cache-Control"]
    assert "page" + str(page.pk) in response.headers.get("xkey", "") + response.headers.get(
        "Surrogate-Key", ""
    )
    page.title = "About the paper"
    page.save()
    assert '<a href="/pages/about/">About the paper</a>' in client.get("/").content.decode()
    assert "About the paper" in client.get("/pages/about/").content.decode()
    assert client.get("/pages/nothing-here/").status_code == 404


@pytest.mark.django_db
def test_editors_edit_footer_pages_in_the_admin(staff_client):
    response = staff_client.post(
        "/admin/pages/page/add/",
        {
            "title": "Contact us",
            "slug": "contact",
            "body": "<p>Write to us.</p>",
            "in_footer": "on",
            "footer_order": 1,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Page.objects.get(slug="contact").title == "Contact us"


# ---------------------------------------------------------------------------------------- the phone header


@pytest.mark.django_db
def test_the_phone_header_folds_menu_and_search_into_details_elements(client):
    make_section("World")
    html = client.get("/").content.decode()
    menu = re.search(r'<details class="fold fold-menu">.*?</details>', html, re.S).group()
    assert "<summary>" in menu and 'href="/section/world/"' in menu
    search = re.search(r'<details class="fold fold-search">.*?</details>', html, re.S).group()
    assert 'action="/search/"' in search and 'name="q"' in search
    assert "<script" not in html.split("</header>")[0]  # works without JavaScript


@pytest.mark.django_db
def test_the_kept_masthead_and_footer_show_a_renamed_section_at_once(client):
    world = make_section("World")
    assert client.get("/").content.decode().count('href="/section/world/">World</a>') == 3  # menu x2, footer
    world.name = "Planet"
    world.save()
    html = client.get("/latest/").content.decode()
    header, footer = html.split("</header>")[0], html.split('<footer class="site-footer">')[1]
    assert header.count(">Planet</a>") == 2 and ">Planet</a>" in footer and ">World</a>" not in html


@pytest.mark.django_db
def test_the_kept_masthead_marks_the_section_of_the_page_and_no_other(client):
    make_section("World"), make_section("Sport")
    for url, current in [("/section/world/", "world"), ("/section/sport/", "sport"), ("/", None)]:
        header = client.get(url).content.decode().split("</header>")[0]
        marked = re.findall(r'href="/section/([a-z]+)/" aria-current="page"', header)
        assert marked == ([current] * 2 if current else []), url


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_on_a_phone_the_header_is_compact_the_menu_opens_and_nothing_scrolls_sideways(browser, live_server):
    news = make_section("News")
    make_section("World")
    make_article("A lead story with a rather long headline that wraps over lines", section=news)
    for i in range(3):
        make_article(f"Story {i}", section=news)
    page = browser.new_page(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page.goto(live_server.url + "/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator(".masthead").bounding_box()["height"] < 80  # not a quarter of the screen
    # Trending Now comes right after the lead and top stories, before the rest of the front.
    lead = page.locator(".zone--lead").bounding_box()
    top = page.locator(".zone--top").bounding_box()
    trending = page.locator(".rail-inline .trending").bounding_box()
    assert lead["y"] < top["y"] < trending["y"]
    assert page.locator(".trending").count() == 1  # not a second time at the foot
    assert not page.locator(".fold-menu .sections").is_visible()
    page.locator(".fold-menu summary").click()
    assert page.locator(".fold-menu a[href='/section/world/']").is_visible()
    page.locator(".fold-search summary").click()
    assert page.locator("#fold-search-q").is_visible()
    for path in ("/section/news/", "/search/?q=story", "/pages/none/"):
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
    page.close()


@pytest.mark.django_db
def test_search_results_show_a_storys_picture_beside_its_words(client):
    pictured = make_article("Harbour reopens", lead_photo=make_photo(image=photo_file(), alt_text="Ferries"))
    make_article("Harbour fees rise", ago=timedelta(hours=1))
    html = client.get("/search/", {"q": "harbour"}).content.decode()
    results = re.findall(
        r'<article class="search-result card card--standard( card--pictured)?">(.*?)</article>', html, re.S
    )
    assert sorted(bool(flag) for flag, _ in results) == [False, True]
    (with_picture,) = [body for flag, body in results if flag]
    assert "<mark>Harbour</mark> reopens" in with_picture and pictured.lead_photo.image.url in with_picture
    assert 'class="card-media"' in with_picture and 'loading="lazy"' in with_picture
