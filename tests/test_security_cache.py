"""The page cache cannot be bypassed by readers: fake session cookies, stray query parameters, odd methods."""

from importlib import import_module

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.test import Client, RequestFactory

from articles import freshness
from tests.conftest import make_article, make_author, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    return make_article("Harbour reopens", section=make_section("News"), authors=[make_author("Anna")])


def session_cookie_of(user) -> str:
    """The key of a live session logged in as `user` (what the browser's cookie would hold)."""
    client = Client()
    client.force_login(user)
    return client.cookies[django_settings.SESSION_COOKIE_NAME].value


def cached(client, url, **extra):
    """Request `url` twice; the second response, which must come from the cache if the first filled it."""
    client.get(url, **extra)
    return client.get(url, **extra)


def test_a_made_up_session_cookie_is_served_the_cached_page(story, django_assert_num_queries):
    Client().get("/")  # a reader fills the cache
    for cookie in ["x", "a" * 32]:
        faker = Client()
        faker.cookies[django_settings.SESSION_COOKIE_NAME] = cookie
        # At most the lookup of the session by its key; no page rendered.
        with django_assert_num_queries(0 if cookie == "x" else 1):
            response = faker.get("/")
        assert response.status_code == 200
        assert "public" in response["Cache-Control"], cookie


def test_a_session_of_a_user_who_is_not_active_staff_is_served_the_cached_page(story, django_user_model):
    reader = django_user_model.objects.create_user("reader", password="pw")
    retired = django_user_model.objects.create_user("retired", password="pw", is_staff=True)
    cookies = [session_cookie_of(reader), session_cookie_of(retired)]
    retired.is_active = False
    retired.save()
    for cookie in cookies:
        visitor = Client()
        visitor.cookies[django_settings.SESSION_COOKIE_NAME] = cookie
        assert "public" in visitor.get("/")["Cache-Control"]


def test_a_live_staff_session_still_bypasses_the_cache(story, django_user_model):
    editor = django_user_model.objects.create_user("editor", password="pw", is_staff=True)
    Client().get("/")
    staff = Client()
    staff.cookies[django_settings.SESSION_COOKIE_NAME] = session_cookie_of(editor)
    assert "no-cache" in staff.get("/")["Cache-Control"]


def test_a_staff_session_that_expired_no_longer_bypasses_the_cache(story):
    editor = get_user_model().objects.create_user("editor", password="pw", is_staff=True)
    cookie = session_cookie_of(editor)
    import_module(django_settings.SESSION_ENGINE).SessionStore(cookie).delete()
    visitor = Client()
    visitor.cookies[django_settings.SESSION_COOKIE_NAME] = cookie
    assert "public" in visitor.get("/")["Cache-Control"]


def test_unknown_query_parameters_share_the_plain_pages_entry(client, story, django_assert_num_queries):
    plain = client.get("/latest/?page=1")
    with django_assert_num_queries(0):
        for query in ["?page=1&utm_source=news", "?fbclid=abc&page=1", "?page=1&x=1&y=2", "?page=2&page=1"]:
            response = client.get("/latest/" + query)
            assert response.status_code == 200 and response["ETag"] == plain["ETag"], query
    home = client.get("/")
    with django_assert_num_queries(0):
        assert client.get("/?utm_source=a&utm_medium=b")["ETag"] == home["ETag"]
        assert client.get("/?page=7")["ETag"] == home["ETag"]  # the home page has no pages


def test_the_page_is_rendered_without_the_parameters_it_ignores():
    seen = []

    def view(request):
        seen.append((request.get_full_path(), dict(request.GET)))
        return HttpResponse("page")

    page = freshness.public_page(view, ("q", "page"))
    page(RequestFactory().get("/search/?utm_source=x&q=storm&page=2&ref=y"))
    page(RequestFactory().get("/search/?page=2&fbclid=1&q=storm"))
    assert seen == [("/search/?page=2&q=storm", {"page": ["2"], "q": ["storm"]})]


def test_the_parameters_a_page_reads_still_make_their_own_pages(client):
    for number in range(25):
        make_article(f"Story {number}")
    first, second = client.get("/latest/"), client.get("/latest/?page=2&utm_source=x")
    assert first.status_code == second.status_code == 200
    assert first["ETag"] != second["ETag"]
    assert client.get("/search/?q=harbour")["ETag"] != client.get("/search/?q=storm")["ETag"]


@pytest.mark.parametrize("url", ["/", "/latest/", "/search/?q=harbour", "/feeds/rss/", "/sitemap.xml", None])
def test_options_is_answered_without_rendering_the_page(client, story, url, django_assert_num_queries):
    url = url or story.get_absolute_url()
    with django_assert_num_queries(0):
        response = client.options(url)
    assert response.status_code == 200
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert response.content == b""


@pytest.mark.parametrize("method", ["TRACE", "PUT", "DELETE", "PATCH", "POST", "PROPFIND"])
def test_other_methods_are_refused_without_rendering_the_page(
    client, story, method, django_assert_num_queries
):
    for url in ["/", story.get_absolute_url(), "/search/?q=harbour", "/feeds/atom/"]:
        with django_assert_num_queries(0):
            response = client.generic(method, url)
        assert response.status_code == 405, (method, url)
        assert response["Allow"] == "GET, HEAD, OPTIONS"


def test_no_method_but_get_and_head_reaches_the_view():
    rendered = []
    page = freshness.public_page(lambda request: rendered.append(request.method) or HttpResponse("page"))
    for method in ["OPTIONS", "TRACE", "POST", "CONNECT"]:
        page(RequestFactory().generic(method, "/"))
    page(RequestFactory().get("/"))
    assert rendered == ["GET"]


# 10, again: the ESI holes (/fragments/<name>/) and the paper's own pages


@pytest.mark.parametrize("name", ["rail"])
def test_a_fragment_is_kept_whatever_cookie_or_query_comes_with_it(story, name, django_assert_num_queries):
    url = f"/fragments/{name}/"
    assert Client().get(url).status_code == 200  # a reader (or Varnish) fills it
    faker = Client()
    faker.cookies[django_settings.SESSION_COOKIE_NAME] = "x"
    for query in ["", "?utm_source=a", "?x=1", "?x=2"]:
        with django_assert_num_queries(0):
            response = faker.get(url + query)
        assert response.status_code == 200
        assert "public" in response["Cache-Control"]


@pytest.mark.parametrize("method", ["TRACE", "POST", "PUT", "OPTIONS"])
def test_a_fragment_answers_get_and_head_only_without_rendering(
    client, story, method, django_assert_num_queries
):
    for url in ["/fragments/rail/", "/fragments/trending/"]:  # the column; no such hole
        with django_assert_num_queries(0):
            response = client.generic(method, url)
        assert response.status_code in (404, 405), (method, url)
    with django_assert_num_queries(0):
        assert client.get("/fragments/no-such-hole/").status_code == 404


def test_the_papers_own_pages_share_one_entry_and_refuse_trace(client, django_assert_num_queries):
    from pages.models import Page

    Page.objects.create(title="About us", slug="about", body="<p>Who we are.</p>")
    client.get("/pages/about/")
    with django_assert_num_queries(0):
        assert client.get("/pages/about/?utm_source=x&y=1").status_code == 200
        assert client.generic("TRACE", "/pages/about/").status_code == 405
