"""KeptPageMiddleware: a reader's kept page is answered before the rest of the middleware, with the headers
the rest added the last time, and only where the full stack would have answered the same.
"""

import pytest
from django.middleware.security import SecurityMiddleware
from django.test import Client

from articles import roles
from tests.conftest import make_article, make_author, make_section, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def stack(monkeypatch):
    """How many requests went through the rest of the middleware (SecurityMiddleware comes second)."""
    seen = []
    process_request = SecurityMiddleware.process_request

    def counted(self, request):
        seen.append(request.path)
        return process_request(self, request)

    monkeypatch.setattr(SecurityMiddleware, "process_request", counted)
    return seen


@pytest.fixture
def story():
    return make_article(
        "Harbour reopens", section=make_section("News"), authors=[make_author("Anna")], tags=["Harbour"]
    )


def test_a_kept_page_is_answered_before_the_stack_with_the_same_headers(stack, story):
    client, url = Client(), story.get_absolute_url()
    rendered, through_stack = client.get(url), client.get(url)  # rendered, then answered from the cache
    assert len(stack) == 2
    early = client.get(url)
    assert len(stack) == 2  # the stack did not run
    assert early.status_code == 200 and early.content == through_stack.content
    assert dict(early.items()) == dict(through_stack.items())
    for name in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy"):
        assert early[name] == rendered[name]
    assert early["Content-Length"] == str(len(early.content))
    # A browser's revalidation: 304 with the stack's headers, still without running it.
    again = client.get(url, headers={"if-none-match": early["ETag"]})
    assert again.status_code == 304 and len(stack) == 2
    assert again["X-Frame-Options"] == early["X-Frame-Options"] and again["Content-Length"] == "0"


def test_a_new_version_of_the_page_goes_through_the_stack_once_more(stack, story):
    client, url = Client(), story.get_absolute_url()
    for _ in range(3):
        client.get(url)
    assert len(stack) == 2
    story.headline = "Harbour reopens at dawn"
    story.save()
    changed = client.get(url)
    assert "Harbour reopens at dawn" in changed.content.decode() and len(stack) == 3
    client.get(url)  # the new version's headers noted
    assert len(stack) == 4
    assert "Harbour reopens at dawn" in client.get(url).content.decode() and len(stack) == 4


def test_staff_and_other_methods_always_go_through_the_stack(stack, story):
    url = story.get_absolute_url()
    reader = Client()
    for _ in range(3):
        reader.get(url)
    assert len(stack) == 2
    make_user("desk", roles.EDITOR)
    staff = Client()
    assert staff.login(username="desk", password="desk-password-1")
    response = staff.get(url)
    assert len(stack) == 3 and "no-cache" in response["Cache-Control"]
    assert reader.post(url).status_code == 405 and len(stack) == 4
    assert reader.options(url).status_code == 200 and len(stack) == 5


def test_what_the_stack_refuses_is_never_answered_early(stack, story, settings):
    settings.SECURE_SSL_REDIRECT = True
    url = story.get_absolute_url()
    client = Client()
    for _ in range(3):
        assert client.get(url, secure=True).status_code == 200
    assert len(stack) == 2
    # The same path over plain HTTP is another address: the stack redirects it, every time.
    for _ in range(3):
        assert client.get(url).status_code == 301
    assert len(stack) == 5
    # Another Host (not in ALLOWED_HOSTS) is refused by the stack, every time.
    for _ in range(2):
        assert client.get(url, secure=True, headers={"host": "evil.example"}).status_code == 400
    assert len(stack) == 7
