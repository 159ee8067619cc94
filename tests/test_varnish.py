"""Varnish in front, for real: Debian's varnishd with varnish-modules' xkey, the VCL we ship, the app purging.

Each test starts varnishd on a free port before the live server (newsroom/varnish.vcl with the live server's
port put in) and reads pages through it; X-Cache says whether Varnish answered from its cache.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from articles import freshness
from articles.models import Article
from tests.conftest import free_port, make_article, make_author, make_photo, make_section, unavailable

VCL = Path(__file__).resolve().parent.parent / "newsroom" / "varnish.vcl"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def varnish(live_server, settings, tmp_path):
    """The address of a varnishd in front of the live server; the app purges it. Stopped by its pid."""
    varnishd = shutil.which("varnishd") or (
        "/usr/sbin/varnishd" if os.path.exists("/usr/sbin/varnishd") else None
    )
    if varnishd is None:
        unavailable("no varnishd (apt-get install varnish varnish-modules)")
    host, port = re.match(r"http://([^:]+):(\d+)", live_server.url).groups()
    vcl = VCL.read_text()
    vcl = vcl.replace('.host = "127.0.0.1";', f'.host = "{host}";').replace(
        '.port = "8000";', f'.port = "{port}";'
    )
    copy = tmp_path / "varnish.vcl"
    copy.write_text(vcl)
    listen, pidfile = free_port(), tmp_path / "varnishd.pid"
    command = [varnishd, "-a", f"127.0.0.1:{listen}", "-f", str(copy), "-n", str(tmp_path / "varnish")]
    command += ["-s", "malloc,32m", "-P", str(pidfile), "-j", "none", "-p", "vcc_allow_inline_c=off"]
    started = subprocess.run(command, capture_output=True, text=True, timeout=60)
    if started.returncode != 0:
        message = started.stderr or started.stdout
        if "xkey" in message:
            unavailable(f"varnishd cannot load xkey (apt-get install varnish-modules): {message[-500:]}")
        pytest.fail(f"varnishd did not start: {message[-2000:]}")
    url = f"http://127.0.0.1:{listen}"
    for _ in range(100):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", listen)) == 0:
                break
        time.sleep(0.05)  # waiting for a server to listen, not for time to pass in the code under test
    settings.HTTP_CACHE_PURGE = "varnish"
    settings.VARNISH_URLS = url
    settings.HTTP_CACHE_PURGE_AGAIN_SECONDS = 0
    yield url
    os.kill(int(pidfile.read_text()), signal.SIGTERM)


def get(url, cookie=None):
    """(X-Cache, Cache-Control, body, all headers) of a GET."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=10) as response:
        body = response.read().decode()
        return (
            response.headers.get("X-Cache"),
            response.headers.get("Cache-Control", ""),
            body,
            response.headers,
        )


def warm(url) -> None:
    """Ask twice: the second answer must come from Varnish's cache."""
    get(url)
    assert get(url)[0] == "HIT", url


def test_a_second_request_is_a_hit_without_keys_for_readers(varnish):
    story = make_article("Harbour reopens")
    first = get(varnish + "/")
    second = get(varnish + "/")
    assert (first[0], second[0]) == ("MISS", "HIT")
    assert "Harbour reopens" in second[2]
    assert "s-maxage=300" in second[1]
    assert second[3].get("xkey") is None and second[3].get("Surrogate-Key") is None
    warm(varnish + story.get_absolute_url())


def test_an_edited_headline_shows_through_varnish_at_once(varnish):
    story = make_article("Harbour reopens")
    pages = [varnish + "/", varnish + story.get_absolute_url(), varnish + "/feeds/rss/"]
    for page in pages:
        warm(page)
    story.headline = "Harbour reopens after storm"
    story.save()
    for page in pages:
        cached, _, body, _ = get(page)
        assert cached == "MISS", page
        assert "Harbour reopens after storm" in body, page


def test_trending_now_is_an_edge_include_kept_apart_from_the_page(varnish, live_server):
    story = make_article("Harbour reopens")
    _, _, body, _ = get(varnish + "/")
    assert "<esi:" not in body and "Harbour reopens" in body.split('class="trending"')[1]
    asked = urllib.request.Request(live_server.url + "/", headers={"Surrogate-Capability": "varnish=ESI/1.0"})
    with urllib.request.urlopen(asked, timeout=10) as response:  # what the app hands Varnish
        includes = re.findall(r"<esi:include [^>]*>", response.read().decode())
        assert includes == ['<esi:include src="/fragments/rail/"/>']  # the home page's one right column
        assert response.headers["Surrogate-Control"] == 'content="ESI/1.0"'
    warm(varnish + "/fragments/rail/")
    story.headline = "Harbour closes"
    story.save()  # purges the story's key: its page, the home page and the Trending Now fragment
    _, _, body, _ = get(varnish + "/")
    assert "Harbour closes" in body.split('class="trending"')[1]


def test_a_story_page_is_one_edge_include_the_right_column(varnish, live_server):
    """Each include costs Varnish about a request of its own (docs/benchmarks.md): a story page has one, the
    right column (Trending Now and "Just in"), and Varnish fills it."""
    story = make_article("Harbour reopens")
    asked = urllib.request.Request(
        live_server.url + story.get_absolute_url(), headers={"Surrogate-Capability": "varnish=ESI/1.0"}
    )
    with urllib.request.urlopen(asked, timeout=10) as response:
        assert re.findall(r"<esi:include [^>]*>", response.read().decode()) == [
            '<esi:include src="/fragments/rail/"/>'
        ]
    _, _, body, _ = get(varnish + story.get_absolute_url())
    column = body.split('<aside class="sidebar"')[1]
    assert "<esi:" not in body and "Trending Now" in column and "Just in" in column


def test_publishing_a_story_shows_it_on_the_home_page_through_varnish(varnish):
    make_article("Harbour reopens")
    draft = make_article("Council votes", status="draft")
    warm(varnish + "/")
    draft.status = Article.Status.PUBLISHED
    draft.save()
    cached, _, body, _ = get(varnish + "/")
    assert cached == "MISS" and "Council votes" in body


def test_editing_a_story_not_on_the_home_page_leaves_it_cached(varnish):
    section = make_section("News")
    now = timezone.now()
    # Older than the home page's 60 newest, and than the Trending Now top-up: written without signals.
    old = make_article("An old story", section=section, published_at=now - timedelta(days=400))
    Article.objects.bulk_create(
        Article(headline=f"Story {i}", slug=f"story-{i}", section=section, status="published",
                published_at=now - timedelta(hours=i + 1))
        for i in range(70)
    )  # fmt: skip
    freshness.changed_everything()  # bulk_create sends no signal: the documented call
    warm(varnish + "/")
    warm(varnish + old.get_absolute_url())
    old.headline = "An old story, corrected"
    old.save()
    assert get(varnish + "/")[0] == "HIT"
    cached, _, body, _ = get(varnish + old.get_absolute_url())
    assert cached == "MISS" and "An old story, corrected" in body


def test_a_photo_only_on_an_author_page_leaves_the_home_page_cached(varnish):
    photo = make_photo(alt_text="Portrait")
    author = make_author("Ann Lee", photo=photo)
    make_article("Harbour reopens")
    make_article("Bylined story", authors=[author])
    warm(varnish + "/")
    warm(varnish + author.get_absolute_url())
    photo.caption = "A new caption"
    photo.save()
    assert get(varnish + "/")[0] == "HIT"
    assert get(varnish + author.get_absolute_url())[0] == "MISS"


def test_a_draft_save_purges_nothing(varnish):
    story = make_article("Harbour reopens", tags=["ports"])
    pages = [varnish + "/", varnish + story.get_absolute_url(), varnish + "/tag/ports/", varnish + "/latest/"]
    for page in pages:
        warm(page)
    draft = make_article("Not yet", status="draft", tags=["ports"])
    draft.headline = "Not yet, still"
    draft.save()
    for page in pages:
        assert get(page)[0] == "HIT", page
    draft.status = Article.Status.PUBLISHED  # the same story made public: now the lists go
    draft.save()
    cached, _, body, _ = get(varnish + "/tag/ports/")
    assert cached == "MISS" and "Not yet, still" in body


def test_staff_with_a_session_bypass_varnish(varnish, django_user_model):
    make_article("Harbour reopens")
    warm(varnish + "/")
    staff = Client()
    staff.force_login(django_user_model.objects.create_superuser("editor", "editor@example.com", "pw"))
    cookie = f"sessionid={staff.cookies['sessionid'].value}; csrftoken=x"
    for _ in range(2):
        cached, cache_control, body, _ = get(varnish + "/", cookie=cookie)
        assert cached == "MISS"
        assert "no-cache" in cache_control
    assert get(varnish + "/", cookie="csrftoken=x; _ga=1")[0] == "HIT"  # other cookies are dropped


def test_only_local_addresses_may_purge(varnish):
    request = urllib.request.Request(varnish + "/", method="PURGE")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 400  # from 127.0.0.1 (allowed), but no xkey-purge header
