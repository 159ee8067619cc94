import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.cache import caches
from django.db import connections
from django.test import Client
from django.utils import timezone

from articles.models import Article, Author, Byline, Photo, Section, Tag

# In CI (.ci/run sets NEWSROOM_CI=1) a missing server or browser fails the test; elsewhere it is skipped
# with the reason shown, so `make test` works on a fresh machine.
REQUIRE_SERVICES = os.environ.get("NEWSROOM_CI") == "1"
CHROMIUM = "/usr/bin/chromium"
# The real-world input files (WordPress exports, ninjs, feeds, the seed page) beside the repo.
ROOT = Path(__file__).resolve().parent.parent
SHARED_FIXTURES = Path(os.environ.get("NEWSROOM_FIXTURES") or ROOT.parent / "shared" / "fixtures")
DATA = ROOT / "tests" / "data"


def free_port() -> int:
    """A port nothing listens on now, chosen by the system."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def unavailable(reason):
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (required in CI)")
    pytest.skip(reason)


def pytest_collection_modifyitems(config, items):
    """Tests of modules that set USES_SHARED_FIXTURES need the real-world files in SHARED_FIXTURES."""
    if SHARED_FIXTURES.is_dir():
        return
    reason = f"the real-world fixture files are not at {SHARED_FIXTURES} (set NEWSROOM_FIXTURES)"
    if REQUIRE_SERVICES:
        raise pytest.UsageError(f"{reason} (required in CI)")
    for item in items:
        if getattr(item.module, "USES_SHARED_FIXTURES", False):
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture
def redis_url():
    """The real Redis server's URL (REDIS_URL, else the local default if one answers)."""
    import redis

    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.RedisError as error:
        unavailable(f"no Redis at {url}: {error}")
    return url


@pytest.fixture(scope="session")
def chromium_path():
    if not os.path.exists(CHROMIUM):
        unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    return CHROMIUM


CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip


@pytest.fixture
def browser(chromium_path, monkeypatch):
    """Debian's Chromium, headless, driven by playwright (never `playwright install`)."""
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # playwright's sync API runs an event loop
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
        # Left open, this test's PostgreSQL connection outlived the session: "test_newsroom is being accessed
        # by other users" when the test database was dropped.
        connections.close_all()


@pytest.fixture(autouse=True)
def clear_cache():
    for alias in ("default", "local"):  # the shared cache and this process's own
        caches[alias].clear()
    yield
    for alias in ("default", "local"):
        caches[alias].clear()


def make_section(name="News", **kwargs):
    from django.utils.text import slugify

    kwargs.setdefault("slug", slugify(name))
    return Section.objects.create(name=name, **kwargs)


def make_author(name="Henrik Rothen", **kwargs):
    from django.utils.text import slugify

    kwargs.setdefault("slug", slugify(name))
    return Author.objects.create(name=name, **kwargs)


def make_article(
    headline="A story", *, section=None, authors=(), tags=(), status="published", ago=None, **kwargs
):
    """A story; published an hour ago unless `status`/`ago` say otherwise (negative `ago` = scheduled)."""
    if section is None:
        section = Section.objects.first() or make_section()
    if status == "published" and "published_at" not in kwargs:
        kwargs["published_at"] = timezone.now() - (ago if ago is not None else timedelta(hours=1))
    kwargs.setdefault("body", "<p>Body text.</p>")
    article = Article.objects.create(headline=headline, section=section, status=status, **kwargs)
    for position, author in enumerate(authors):
        Byline.objects.create(article=article, author=author, position=position)
    if tags:
        article.tags.set([Tag.objects.get_or_create(name=t, defaults={"slug": t.lower()})[0] for t in tags])
    return article


def make_user(username, role, first="", last=""):
    """A staff account in `role` (the group's name: roles.WRITER, roles.EDITOR), with the password `log_in`
    types ("<username>-password-1")."""
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(
        username,
        f"{username}@example.com",
        f"{username}-password-1",
        is_staff=True,
        first_name=first,
        last_name=last,
    )
    user.groups.add(Group.objects.get(name=role))
    return user


def make_photo(**kwargs):
    kwargs.setdefault("caption", "A caption")
    kwargs.setdefault("credit", "Photo: X")
    return Photo.objects.create(**kwargs)


@pytest.fixture
def staff_client(django_user_model):
    """A logged-in superuser's browser, separate from the anonymous `client`."""
    user = django_user_model.objects.create_superuser("editor", "editor@example.com", "pw")
    staff = Client()
    staff.force_login(user)
    return staff


def log_in(browser, base, username, width=1280):
    """A new page logged in to the admin as `username` (the tests' password: "<username>-password-1")."""
    page = browser.new_page(viewport={"width": width, "height": 1000})
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", f"{username}-password-1")
    page.click("input[type=submit]")
    page.wait_for_selector("#user-tools")
    return page


def choose(page, container, text):
    """Pick `text` in one of the admin's select2 autocomplete fields."""
    page.click(f"{container} .select2-selection")
    page.fill(".select2-container--open .select2-search__field", text)
    page.click(f".select2-results__option:has-text('{text}')")
