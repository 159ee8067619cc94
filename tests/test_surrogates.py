"""Surrogate keys on public pages, what each save purges, and the Fastly and Cloudflare purge APIs."""

import json
import logging
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.cache import caches

from articles import freshness
from articles.freshness import purge
from articles.models import Article
from tests.conftest import free_port, make_article, make_author, make_photo, make_section

pytestmark = pytest.mark.django_db


def keys_of(response) -> set[str]:
    xkey = set(response["xkey"].split())
    assert set(response["Surrogate-Key"].split()) == xkey
    assert set(response["Cache-Tag"].split(",")) == xkey
    return xkey


@pytest.fixture
def newsroom():
    photo = make_photo(alt_text="Harbour")
    section, sport = make_section("News"), make_section("Sport")
    author = make_author("Ann Lee")
    story = make_article(
        "Harbour reopens", section=section, authors=[author], tags=["ports"], lead_photo=photo
    )
    other = make_article("Match report", section=sport, tags=["ports"], ago=timedelta(hours=2))
    return {"photo": photo, "section": section, "author": author, "story": story, "other": other}


def test_home_page_names_its_stories_their_sections_authors_photos_the_list_and_the_menu(client, newsroom):
    s, o = newsroom["story"], newsroom["other"]
    expected = {"all", "list", "sections", "banner", "fronts", "front-home"}  # the front and what changes it
    expected |= {f"s{s.pk}", f"s{o.pk}", f"sec{s.section_id}", f"sec{o.section_id}"}
    expected |= {f"list-sec{s.section_id}", f"list-sec{o.section_id}"}  # the front's section blocks
    expected |= {"pages"}  # the footer's pages (pages/models.py)
    expected |= {f"a{newsroom['author'].pk}", f"p{newsroom['photo'].pk}"}
    assert keys_of(client.get("/")) == expected
    assert keys_of(client.get("/")) == expected  # served from the page cache: the same keys


def test_cards_remembered_in_the_worker_keep_their_keys(client, newsroom):
    client.get("/latest/")  # renders and remembers the cards
    section = newsroom["section"]
    keys = keys_of(client.get(section.get_absolute_url()))  # the same cards, from the worker's memory
    story = newsroom["story"]
    assert {f"s{story.pk}", f"a{newsroom['author'].pk}", f"p{newsroom['photo'].pk}"} <= keys
    assert {f"list-sec{section.pk}", f"sec{section.pk}"} <= keys and "list" not in keys


def test_article_page_names_its_tags_and_related_stories(client, newsroom):
    story, other = newsroom["story"], newsroom["other"]
    keys = keys_of(client.get(story.get_absolute_url()))
    tag = story.tags.get()
    assert {f"s{story.pk}", f"sec{story.section_id}", f"t{tag.pk}", f"s{other.pk}", "sections"} <= keys
    assert "list" not in keys


def test_tag_author_feed_sitemap_and_api_pages_name_what_they_list(client, newsroom):
    story, author = newsroom["story"], newsroom["author"]
    tag = story.tags.get()
    assert {f"list-t{tag.pk}", f"t{tag.pk}", f"s{story.pk}"} <= keys_of(client.get("/tag/ports/"))
    assert {f"list-a{author.pk}", f"a{author.pk}"} <= keys_of(client.get(author.get_absolute_url()))
    assert {"list", f"s{story.pk}"} <= keys_of(client.get("/feeds/rss/"))
    assert {f"list-a{author.pk}", f"s{story.pk}"} <= keys_of(client.get(f"/author/{author.slug}/atom/"))
    assert {"list", "sitemaps"} <= keys_of(client.get("/sitemap-articles.xml"))
    assert {"list", f"s{story.pk}", f"t{tag.pk}"} <= keys_of(client.get("/api/ninjs/"))


def test_a_missing_page_is_purged_when_a_story_is_published(client, db):
    assert "list" in keys_of(client.get("/2026/01/01/not-yet/"))


def test_keys_cost_no_query_on_a_cached_page(client, newsroom, django_assert_num_queries):
    client.get("/")
    with django_assert_num_queries(0):
        assert "list" in keys_of(client.get("/"))


@pytest.fixture
def purged(settings, monkeypatch, django_capture_on_commit_callbacks):
    """The keys each purge sends, once the save's transaction commits."""
    settings.HTTP_CACHE_PURGE, settings.HTTP_CACHE_PURGE_AGAIN_SECONDS = "varnish", 0
    sent = []
    monkeypatch.setitem(purge.BACKENDS, "varnish", lambda keys: sent.append(set(keys)))

    class Purged:
        def after(self, change):
            sent.clear()
            with django_capture_on_commit_callbacks(execute=True):
                change()
            return set().union(*sent)

    return Purged()


def test_a_draft_save_purges_nothing(purged, newsroom):
    draft = make_article("Not yet", status="draft")
    draft.headline = "Still not"
    assert purged.after(draft.save) == set()
    assert purged.after(lambda: make_article("Scheduled", ago=-timedelta(hours=1))) == set()


def test_editing_a_public_story_purges_only_the_story(purged, newsroom):
    story = Article.objects.get(pk=newsroom["story"].pk)
    story.headline = "Harbour reopens after storm"
    assert purged.after(story.save) == {f"s{story.pk}", "sitemaps"}  # not the home page's `list`


def test_publishing_unpublishing_and_deleting_purge_the_lists_showing_the_story(purged, newsroom):
    story = Article.objects.get(pk=newsroom["story"].pk)
    tag, author = story.tags.get(), newsroom["author"]
    lists = {f"s{story.pk}", "list", "sitemaps", f"list-sec{story.section_id}", f"list-t{tag.pk}"}
    lists.add(f"list-a{author.pk}")
    story.status = Article.Status.DRAFT
    assert purged.after(story.save) == lists
    story.status = Article.Status.PUBLISHED
    assert purged.after(story.save) == lists
    assert lists <= purged.after(story.delete)


def test_moving_a_public_story_purges_both_sections_lists(purged, newsroom):
    story = Article.objects.get(pk=newsroom["story"].pk)
    old, new = story.section_id, newsroom["other"].section_id
    story.section_id = new
    assert {f"list-sec{old}", f"list-sec{new}", f"s{story.pk}"} <= purged.after(story.save)


def test_sections_authors_tags_and_photos_purge_their_own_keys(purged, newsroom):
    section, author, photo = newsroom["section"], newsroom["author"], newsroom["photo"]
    tag = newsroom["story"].tags.get()
    assert purged.after(section.save) == {f"sec{section.pk}", "sections", "sitemaps"}
    assert purged.after(author.save) == {f"a{author.pk}", "sitemaps"}
    assert purged.after(tag.save) == {f"t{tag.pk}", "sitemaps"}
    assert purged.after(photo.save) == {f"p{photo.pk}"}


def test_tagging_a_public_story_purges_the_tag_list(purged, newsroom):
    story = newsroom["story"]
    keys = purged.after(lambda: story.tags.add("harbours"))
    tag = story.tags.get(name="harbours")
    assert {f"s{story.pk}", f"list-t{tag.pk}"} <= keys


def test_an_import_purges_once_at_the_end(purged, newsroom):
    def run():
        with freshness.batch():
            make_article("Imported one")
            make_article("Imported two")

    with_batch = []
    purge.BACKENDS["varnish"] = lambda keys: with_batch.append(keys)
    purged.after(run)
    assert with_batch == [["all"]]  # an import changes everything, once


def test_nothing_is_purged_without_a_backend(purged, settings, newsroom):
    settings.HTTP_CACHE_PURGE = ""
    story = newsroom["story"]
    story.status = Article.Status.DRAFT
    assert purged.after(story.save) == set()


def test_shared_caches_keep_pages_longer_with_purging_until_the_next_go_live(client, settings, newsroom):
    assert "s-maxage=30" in client.get("/")["Cache-Control"]  # purging off: unchanged
    settings.HTTP_CACHE_PURGE = "varnish"
    caches["local"].clear()
    assert "s-maxage=300" in client.get("/")["Cache-Control"]
    make_article("Scheduled", ago=-timedelta(seconds=100))  # goes live in 100 s, with no save then
    control = client.get("/")["Cache-Control"]
    age = int(control.split("s-maxage=")[1].split(",")[0])
    assert 90 <= age <= 100


# Purge APIs, against a local fake -------------------------------------------------------------------------


@pytest.fixture
def fake_api():
    """A local HTTP server recording each request's method, path, headers and body."""
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            received.append(
                {"method": self.command, "path": self.path, "headers": self.headers, "body": body}
            )
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"success": true}')

        do_PURGE = do_POST

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", received
    server.shutdown()
    server.server_close()


def test_fastly_purges_by_surrogate_key(settings, fake_api):
    url, received = fake_api
    settings.HTTP_CACHE_PURGE, settings.HTTP_CACHE_PURGE_AGAIN_SECONDS = "fastly", 0
    settings.FASTLY_API_URL, settings.FASTLY_SERVICE_ID, settings.FASTLY_API_TOKEN = url, "svc1", "secret"
    purge.purge({"s1", "list"})
    [request] = received
    assert (request["method"], request["path"]) == ("POST", "/service/svc1/purge")
    assert request["headers"]["Fastly-Key"] == "secret"
    assert request["headers"]["Surrogate-Key"] == "list s1"


def test_cloudflare_purges_by_cache_tag_thirty_at_a_time(settings, fake_api):
    url, received = fake_api
    settings.HTTP_CACHE_PURGE, settings.HTTP_CACHE_PURGE_AGAIN_SECONDS = "cloudflare", 0
    settings.CLOUDFLARE_API_URL, settings.CLOUDFLARE_ZONE_ID, settings.CLOUDFLARE_API_TOKEN = url, "z9", "tok"
    keys = {f"s{i}" for i in range(31)}
    purge.purge(keys)
    assert [r["path"] for r in received] == ["/client/v4/zones/z9/purge_cache"] * 2
    assert received[0]["headers"]["Authorization"] == "Bearer tok"
    assert received[0]["headers"]["Content-Type"] == "application/json"
    tags = [json.loads(r["body"])["tags"] for r in received]
    assert len(tags[0]) == 30 and set(tags[0] + tags[1]) == keys


def test_varnish_gets_purge_with_xkey_purge_from_every_url(settings, fake_api):
    url, received = fake_api
    settings.HTTP_CACHE_PURGE, settings.HTTP_CACHE_PURGE_AGAIN_SECONDS = "varnish", 0
    settings.VARNISH_URLS = f"{url}, {url}/"
    purge.purge({"s1", "list"})
    assert [(r["method"], r["path"], r["headers"]["xkey-purge"]) for r in received] == [
        ("PURGE", "/", "list s1")
    ] * 2


def test_a_failed_purge_is_logged_not_raised(settings, caplog):
    settings.HTTP_CACHE_PURGE, settings.HTTP_CACHE_PURGE_AGAIN_SECONDS = "varnish", 0
    settings.VARNISH_URLS = f"http://127.0.0.1:{free_port()}"  # nothing listens
    with caplog.at_level(logging.WARNING, logger="articles.freshness.purge"):
        purge.purge({"s1"})
    assert "Purging PURGE" in caplog.text
