import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import make_article

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]


def policy(response):
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.fixture
def story():
    return make_article("Harbour reopens", tags=["Harbour"])


def public_urls(story):
    return [
        "/",
        "/latest/",
        "/section/news/",
        "/tag/harbour/",
        "/search/?q=harbour",
        story.get_absolute_url(),
    ]


def test_public_pages_have_a_strict_policy_without_nonces(client, story):
    for url in public_urls(story):
        csp = policy(client.get(url))
        assert csp["script-src"] == ["'self'"], url  # no nonce: a cached page is valid for every reader
        assert csp["style-src"] == ["'self'"], url
        assert csp["default-src"] == ["'self'"] and csp["object-src"] == ["'none'"]
        assert csp["frame-ancestors"] == ["'none'"] and csp["base-uri"] == ["'none'"]
        assert csp["form-action"] == ["'self'"]


def test_no_policy_anywhere_allows_unsafe_inline_or_eval(client, admin_client, story):
    for response in [client.get("/"), client.get(story.get_absolute_url()), admin_client.get("/admin/")]:
        assert "unsafe-" not in response["Content-Security-Policy"]


def test_a_cached_page_keeps_a_policy_it_satisfies(client, story):
    first, second = client.get(story.get_absolute_url()), client.get(story.get_absolute_url())
    assert second.content == first.content
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert "nonce" not in second.content.decode()


def test_admin_scripts_carry_the_responses_nonce(admin_client):
    response = admin_client.get("/admin/articles/article/add/")
    assert response.status_code == 200
    (nonce,) = re.findall(r"'nonce-([^']+)'", " ".join(policy(response)["script-src"]))
    html = response.content.decode()
    inline_scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    for attrs in inline_scripts:
        assert f'nonce="{nonce}"' in attrs or "application/json" in attrs
    assert f'nonce="{nonce}"' in html
    assert (
        admin_client.get("/admin/articles/article/add/")["Content-Security-Policy"]
        != response["Content-Security-Policy"]
    )  # a fresh nonce per response


def test_other_security_headers(client, story):
    for url in public_urls(story) + ["/feeds/rss/", "/api/ninjs/", "/sitemap.xml"]:
        response = client.get(url)
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin", url
        assert response["X-Frame-Options"] == "DENY", url
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", url


def test_production_settings_turn_on_hsts_and_secure_cookies():
    env = {**os.environ, "DEBUG": "0", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "news.example.com"}
    code = (
        "import newsroom.settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["31536000", "True", "True", "True"]
