from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from tests.conftest import make_article, make_author, make_section

pytestmark = pytest.mark.django_db

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


@pytest.fixture
def newsroom():
    make_section("Empty section")
    news = make_section("News")
    anna, ghost = make_author("Anna Berg"), make_author("Ghost Writer")
    fresh = make_article("Fresh story", section=news, authors=[anna], tags=["Shipping"])
    old = make_article("Old story", section=news, authors=[anna], ago=timedelta(days=5))
    make_article("Secret draft", section=news, authors=[ghost], tags=["Secret"], status="draft")
    make_article("Scheduled story", section=news, authors=[ghost], tags=["Secret"], ago=timedelta(hours=-2))
    return fresh, old


def locations(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    root = ElementTree.fromstring(response.content)
    return [loc.text for loc in root.iter(f"{SM}loc")]


def test_index_names_one_sitemap_per_kind(client, newsroom):
    assert locations(client, "/sitemap.xml") == [
        "http://testserver/sitemap-articles.xml",
        "http://testserver/sitemap-sections.xml",
        "http://testserver/sitemap-authors.xml",
        "http://testserver/sitemap-tags.xml",
    ]


def test_article_sitemap_lists_only_published_stories(client, newsroom):
    fresh, old = newsroom
    assert locations(client, "/sitemap-articles.xml") == [
        "http://testserver" + fresh.get_absolute_url(),
        "http://testserver" + old.get_absolute_url(),
    ]


def test_authors_and_tags_appear_only_with_a_published_story(client, newsroom):
    assert locations(client, "/sitemap-authors.xml") == ["http://testserver/author/anna-berg/"]
    assert locations(client, "/sitemap-tags.xml") == ["http://testserver/tag/shipping/"]
    sections = locations(client, "/sitemap-sections.xml")
    assert set(sections) == {"http://testserver/section/news/", "http://testserver/section/empty-section/"}


def test_article_lastmod_is_the_revision_time(client, newsroom):
    _, old = newsroom
    old.revised_at = timezone.now()
    old.save()
    root = ElementTree.fromstring(client.get("/sitemap-articles.xml").content)
    lastmods = [url.findtext(f"{SM}lastmod") for url in root.findall(f"{SM}url")]
    today = timezone.localdate().isoformat()
    assert lastmods[1] == today != timezone.localtime(old.published_at).date().isoformat()


def test_news_sitemap_has_only_published_stories_of_the_last_two_days(client, newsroom):
    fresh, _ = newsroom
    response = client.get("/sitemap-news.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ElementTree.fromstring(response.content)
    urls = root.findall(f"{SM}url")
    assert [u.findtext(f"{SM}loc") for u in urls] == ["http://testserver" + fresh.get_absolute_url()]
    news = urls[0].find(f"{NEWS}news")
    assert news.findtext(f"{NEWS}publication/{NEWS}name") == "The Newsroom"
    assert news.findtext(f"{NEWS}publication/{NEWS}language") == "en"
    assert news.findtext(f"{NEWS}title") == "Fresh story"
    published = news.findtext(f"{NEWS}publication_date")
    assert published == timezone.localtime(fresh.published_at).isoformat(timespec="seconds")
    assert published[-6:] in ("+01:00", "+02:00")  # Europe/Berlin, with its offset


def test_news_sitemap_stops_at_a_thousand_stories(client, monkeypatch):
    from articles import sitemaps

    monkeypatch.setattr(sitemaps, "NEWS_LIMIT", 3)
    for i in range(5):
        make_article(f"Story {i}", ago=timedelta(minutes=i + 1))
    root = ElementTree.fromstring(client.get("/sitemap-news.xml").content)
    assert [u.findtext(f"{NEWS}news/{NEWS}title") for u in root.findall(f"{SM}url")] == [
        "Story 0",
        "Story 1",
        "Story 2",
    ]


def test_news_titles_are_escaped(client):
    make_article("Fish & chips <cheap>")
    root = ElementTree.fromstring(client.get("/sitemap-news.xml").content)
    assert root.find(f"{SM}url/{NEWS}news/{NEWS}title").text == "Fish & chips <cheap>"


def test_robots_txt_names_both_sitemaps(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Sitemap: http://testserver/sitemap-news.xml" in lines
    assert "Disallow: /admin/" in lines and "Disallow: /preview/" in lines
