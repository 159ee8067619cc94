"""Trending Now cannot be bought (security review #17, finding 9): the beacon counts readers, not requests.

Every test goes through the view with the test client, on the database backend and on the real Redis.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles import trending
from tests.conftest import make_article
from tests.test_trending_redis import closed_breaker, redis_backend  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

CHROME = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
)
# The review's list: HTTP libraries and scanners that no reader's browser sends.
NOT_BROWSERS = [
    "Go-http-client/1.1",
    "okhttp/4.12.0",
    "Java/17.0.2",
    "axios/1.6.7",
    "Python/3.12 aiohttp/3.9.3",
    "PostmanRuntime/7.36.1",
    "libwww-perl/6.72",
    "Mozilla/5.0 zgrab/0.x",
    "Apache-HttpClient/4.5.14 (Java/17.0.9)",
    "python-requests/2.31.0",
    "curl/8.5.0",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0 Safari/537",
    "",
]
# A fixed moment at the start of this hour and of a rate-limit window (they start on multiples of their
# length), so a window's edges are known and the next window is in the same hour. Redis drops hours long past.
NOW = datetime.now(UTC).replace(minute=0, second=30, microsecond=0)


@pytest.fixture(params=["database", "redis"])
def backend(request, monkeypatch):
    """Each test once on the database backend (the cache holds marks and limits) and once on Redis."""
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    if request.param == "redis":
        return request.getfixturevalue("redis_backend")
    return trending.DatabaseBackend()


def counted(backend, story, at=NOW) -> int:
    return backend.hour_counts(trending.hour_of(at), [story.pk]).get(story.pk, 0)


def beacon(client, story, user_agent=CHROME, **headers):
    return client.post(reverse("articles:beacon", args=[story.pk]), HTTP_USER_AGENT=user_agent, **headers)


def test_rotating_user_agents_from_one_address_counts_at_most_the_address_limit(client, backend, settings):
    story = make_article("Bought")
    for n in range(3 * settings.TRENDING_ADDRESS_VIEWS):
        assert beacon(client, story, f"{CHROME} rotated/{n}", REMOTE_ADDR="203.0.113.9").status_code == 204
    assert counted(backend, story) == settings.TRENDING_ADDRESS_VIEWS


def test_the_address_limit_is_per_address_and_per_window(client, backend, settings, monkeypatch):
    settings.TRENDING_ADDRESS_VIEWS = 5
    stories = [make_article(f"Story {n}") for n in range(8)]
    for story in stories:
        beacon(client, story, REMOTE_ADDR="203.0.113.9")
        beacon(client, story, REMOTE_ADDR="198.51.100.7")
    assert sum(counted(backend, story) for story in stories) == 10
    later = NOW + timedelta(seconds=settings.TRENDING_ADDRESS_SECONDS)
    monkeypatch.setattr(timezone, "now", lambda: later)
    for story in stories[5:]:  # not yet counted for this reader: counted now the next window has begun
        beacon(client, story, REMOTE_ADDR="203.0.113.9")
    assert sum(counted(backend, story) for story in stories) == 13


def test_duplicates_do_not_use_up_the_address_limit(client, backend, settings):
    settings.TRENDING_ADDRESS_VIEWS = 3
    first, second = make_article("First"), make_article("Second")
    for _ in range(10):
        beacon(client, first, REMOTE_ADDR="203.0.113.9")
    beacon(client, second, REMOTE_ADDR="203.0.113.9")
    assert (counted(backend, first), counted(backend, second)) == (1, 1)


def test_an_ipv6_network_shares_one_limit(client, backend, settings):
    settings.TRENDING_ADDRESS_VIEWS = 4
    story = make_article("Bought over IPv6")
    for n in range(20):  # anyone with a /64 has 2**64 addresses to rotate through
        beacon(client, story, REMOTE_ADDR=f"2001:db8:1:2::{n + 1:x}")
    beacon(client, story, REMOTE_ADDR="2001:db8:1:3::1")
    assert counted(backend, story) == 5


def test_readers_behind_a_trusted_load_balancer_count_one_by_one(client, backend, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    story = make_article("Read by many")
    for n in range(50):  # fifty readers with the same browser, all through the balancer
        response = beacon(client, story, REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=f"198.51.100.{n + 1}")
        assert response.status_code == 204
    assert counted(backend, story) == 50


def test_forwarded_for_from_an_untrusted_client_is_ignored(client, backend, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    story = make_article("Bought")
    for n in range(50):
        beacon(client, story, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"198.51.100.{n + 1}")
    assert counted(backend, story) == 1


@pytest.mark.parametrize("user_agent", NOT_BROWSERS)
def test_bots_and_http_libraries_are_not_counted(client, backend, user_agent):
    story = make_article("Read me")
    assert beacon(client, story, user_agent).status_code == 204
    assert counted(backend, story) == 0


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_SEC_FETCH_SITE": "none"},
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_SEC_FETCH_SITE": "same-origin", "HTTP_ORIGIN": "http://testserver.evil.example"},
    ],
)
def test_cross_site_beacons_are_refused(client, backend, headers):
    story = make_article("Read me")
    assert beacon(client, story, **headers).status_code == 403
    assert counted(backend, story) == 0


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "same-origin", "HTTP_ORIGIN": "http://testserver"},
        {"HTTP_SEC_FETCH_SITE": "same-site"},
        {"HTTP_ORIGIN": "https://testserver"},
        {},  # an older browser, sending neither
    ],
)
def test_beacons_from_the_site_itself_are_counted(client, backend, headers):
    story = make_article("Read me")
    assert beacon(client, story, **headers).status_code == 204
    assert counted(backend, story) == 1


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_browser_beacon_counts_and_another_sites_is_refused(browser, live_server, monkeypatch):
    """Chromium's own navigator.sendBeacon: from the story's page it is counted, from another site refused."""
    from articles import views

    story = make_article("Read in a browser")
    verdicts = []
    judge = views.sent_by_another_site
    monkeypatch.setattr(
        views, "sent_by_another_site", lambda request: verdicts.append(judge(request)) or verdicts[-1]
    )
    # Headless Chromium calls itself HeadlessChrome, a bot; the second reader's browser differs, so only
    # the refusal, not the deduplication, can keep its view from counting.
    reader = browser.new_context(user_agent=CHROME)
    page = reader.new_page()
    page.goto(live_server.url + story.get_absolute_url())
    page.wait_for_load_state("networkidle")
    # Another site's page beaconing to ours: the story at 127.0.0.1, a site other than localhost (and a real
    # loopback page, which Chromium lets call localhost), its own beacon script and our CSP left out.
    elsewhere = browser.new_context(user_agent=f"{CHROME} Edg/131.0.0.0", bypass_csp=True)
    page = elsewhere.new_page()
    page.route("**/beacon.js", lambda route: route.abort())
    page.goto(live_server.url.replace("localhost", "127.0.0.1") + story.get_absolute_url())
    beacon_url = live_server.url + reverse("articles:beacon", args=[story.pk])
    page.evaluate(f"navigator.sendBeacon({beacon_url!r})")
    page.wait_for_load_state("networkidle")
    reader.close()
    elsewhere.close()
    assert verdicts == [False, True]
    assert counted(trending.DatabaseBackend(), story, at=timezone.now()) == 1
