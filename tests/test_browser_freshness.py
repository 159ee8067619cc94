"""A story taken down and put back is readable at once in a real browser (issue #12's 410 bug)."""

import pytest

from tests.conftest import make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def reader_page(browser):
    """A page whose reading beacon is dropped: these tests save stories between visits, and on the embedded
    SQLite a beacon in flight on the server's thread made that save fail ("database table is locked")."""
    page = browser.new_page()
    page.route("**/views/*/", lambda route: route.abort())
    return page


def test_a_republished_story_is_readable_at_once_in_chromium(browser, live_server):
    story = make_article("Harbour reopens")
    url = live_server.url + story.get_absolute_url()
    page = reader_page(browser)
    assert page.goto(url).status == 200
    story.status = "draft"
    story.save()
    assert page.goto(url).status == 410
    story.status = "published"
    story.save()
    response = page.goto(url)
    assert response.status == 200, "the browser kept the 410 from its cache"
    assert "Harbour reopens" in page.content()


def test_an_old_address_taken_by_a_new_story_shows_it_in_chromium(browser, live_server):
    first = make_article("Bridge closes", slug="bridge")
    old = live_server.url + first.get_absolute_url()
    first.slug = "bridge-closes-for-repairs"
    first.save()
    page = reader_page(browser)
    page.goto(old)
    assert page.url == live_server.url + first.get_absolute_url()  # the old slug answers 301
    second = make_article("Bridge reopens", slug="bridge", published_at=first.published_at)
    assert live_server.url + second.get_absolute_url() == old
    page.goto(old)
    assert page.url == old, "the browser kept the old redirect"
    assert "Bridge reopens" in page.content()
