"""Fronts (articles/fronts.py): zones filled by placements and rules, pins in time, the banner, the admin."""

import json
import re
from datetime import timedelta
from html import unescape
from types import SimpleNamespace

import pytest
from django.core.cache import cache, caches
from django.test import Client, RequestFactory
from django.utils import timezone

from articles import fronts
from articles.freshness import changes, clock
from articles.models import Banner, Front, Placement, Zone
from tests.conftest import make_article, make_photo, make_section, make_user

pytestmark = pytest.mark.django_db

HEADLINE = re.compile(r'class="card-headline"><a href="[^"]+">([^<]+)</a>')


def headlines(html) -> list[str]:
    return HEADLINE.findall(html)


def main(response) -> str:
    return response.content.decode().split('<div class="rail-inline">')[0].split("<aside")[0]


def zone_headlines(page, kind) -> list[str]:
    zone = page.zone(kind)
    return [h for card in zone.cards for h in headlines(card)] if zone else []


def home_front(**zones) -> Front:
    """The home front with its default zones, `zones` changing them: kind=dict(field=value)."""
    front = fronts.ensure()
    for kind, values in zones.items():
        Zone.objects.filter(front=front, kind=kind).update(**values)
    return front


def place(front, story, zone="top", position=0, **kwargs) -> Placement:
    return Placement.objects.create(front=front, article=story, zone=zone, position=position, **kwargs)


def resolved(section=None, at=None):
    """The front as readers see it at `at` (the injected clock), rendered, with no cache in between."""
    caches["local"].clear()
    plan = fronts.read(section)
    page = fronts.arrange(plan, at)
    return fronts.render(RequestFactory().get("/"), page)[0]


@pytest.fixture
def newsroom():
    news, sport = make_section("News", menu_order=1), make_section("Sport", menu_order=2)
    stories = [make_article(f"News {i}", section=news, ago=timedelta(hours=i + 1)) for i in range(12)]
    stories += [make_article(f"Sport {i}", section=sport, ago=timedelta(hours=20 + i)) for i in range(3)]
    return SimpleNamespace(news=news, sport=sport, stories={s.headline: s for s in stories})


# Filling zones -------------------------------------------------------------------------------------------


def test_with_nothing_placed_the_home_page_is_a_lead_the_latest_and_a_block_per_section(newsroom):
    page = resolved()
    assert zone_headlines(page, "lead") == ["News 0"]
    assert zone_headlines(page, "top") == [f"News {i}" for i in range(1, 9)]
    blocks = {
        s.name: [h for c in cards for h in headlines(c)] for s, cards in page.zone("sections").block_cards
    }
    assert blocks == {"News": ["News 9", "News 10", "News 11"], "Sport": ["Sport 0", "Sport 1", "Sport 2"]}


def test_placed_stories_lead_in_their_order_and_the_rule_fills_the_rest(newsroom):
    front = home_front()
    s = newsroom.stories
    place(front, s["Sport 2"], zone="lead")
    place(front, s["News 11"], zone="top", position=2)
    place(front, s["News 10"], zone="top", position=1)
    page = resolved()
    assert zone_headlines(page, "lead") == ["Sport 2"]
    assert zone_headlines(page, "top")[:3] == ["News 10", "News 11", "News 0"]
    assert len(zone_headlines(page, "top")) == 8


def test_no_story_appears_twice_unless_its_zone_allows_repeats(newsroom):
    front = home_front()
    place(front, newsroom.stories["News 0"], zone="top")  # also the newest: the lead's rule must skip it
    page = resolved()
    everything = [h for z in page.zones for c in z.cards for h in headlines(c)]
    everything += [h for z in page.zones for _, cards in z.block_cards for c in cards for h in headlines(c)]
    assert zone_headlines(page, "lead") == ["News 1"]
    assert len(everything) == len(set(everything))

    Zone.objects.filter(front=front, kind="sections").update(allow_repeats=True)
    page = resolved()
    news_block = dict(page.zone("sections").block_cards)[newsroom.news]
    assert [h for c in news_block for h in headlines(c)] == ["News 0", "News 1", "News 2", "News 3"]


def test_a_placed_story_in_the_section_blocks_leads_its_own_sections_block(newsroom):
    front = home_front()
    place(front, newsroom.stories["Sport 2"], zone="sections")
    page = resolved()
    sport = dict(page.zone("sections").block_cards)[newsroom.sport]
    assert [h for c in sport for h in headlines(c)] == ["Sport 2", "Sport 0", "Sport 1"]


def test_zone_rules_latest_in_a_section_with_a_tag_and_most_read(newsroom):
    from articles import trending

    tagged = make_article("Tagged old", section=newsroom.news, tags=["Election"], ago=timedelta(days=30))
    front = home_front()
    zone = front.zones.get(kind="top")
    zone.rule, zone.rule_section = Zone.Rule.SECTION, newsroom.sport
    zone.save()
    assert zone_headlines(resolved(), "top") == ["Sport 0", "Sport 1", "Sport 2"]

    zone.rule, zone.rule_tag = Zone.Rule.TAG, tagged.tags.get()
    zone.save()
    assert zone_headlines(resolved(), "top") == ["Tagged old"]

    trending.record_view(newsroom.stories["News 7"].pk, count=50)
    trending.record_view(newsroom.stories["Sport 1"].pk, count=20)
    zone.rule = Zone.Rule.MOST_READ
    zone.save()
    cache.clear()
    assert zone_headlines(resolved(), "top")[:2] == ["News 7", "Sport 1"]

    zone.rule = Zone.Rule.PLACED
    zone.save()
    assert resolved().zone("top").cards == []


def test_overrides_change_the_card_on_this_front_only(client, newsroom):
    photo = make_photo(alt_text="Crowds at the harbour")
    photo.image.save("x.jpg", photo_file(), save=True)
    story = newsroom.stories["News 5"]
    place(home_front(), story, zone="lead", headline="Harbour reopens", dek="After two years.", photo=photo)
    lead = resolved().zone("lead").cards[0]
    assert headlines(lead) == ["Harbour reopens"]
    assert "After two years." in lead and photo.image.url.rsplit(".", 1)[0] in lead
    section_page = main(client.get(newsroom.news.get_absolute_url()))
    assert "News 5" in section_page and "Harbour reopens" not in section_page


def photo_file():
    from django.core.files.base import ContentFile

    from articles.demo import make_image

    return ContentFile(make_image("#336699", "x", size=(800, 500)))


# Gating through published() ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        {"status": "draft"},
        {"status": "review"},
        {"ago": timedelta(hours=-2)},  # scheduled
        {"embargo_until": timezone.now() + timedelta(hours=2)},
    ],
    ids=["draft", "in review", "scheduled", "embargoed"],
)
def test_a_placed_story_readers_may_not_see_is_not_shown_and_its_slot_fills_itself(newsroom, kwargs):
    hidden = make_article("Not public", section=newsroom.news, **kwargs)
    place(home_front(), hidden, zone="lead")
    page = resolved()
    assert zone_headlines(page, "lead") == ["News 0"]
    assert hidden.pk not in page.shown


# Pins in time, with the injected clock --------------------------------------------------------------------


def test_a_pin_shows_from_its_start_until_its_end(newsroom, monkeypatch):
    now = timezone.now()
    pin = place(
        home_front(), newsroom.stories["Sport 1"], zone="lead", starts_at=now + timedelta(hours=1),
        ends_at=now + timedelta(hours=3),
    )  # fmt: skip
    assert zone_headlines(resolved(), "lead") == ["News 0"]
    for offset, shown in ((3600 + 30, "Sport 1"), (3 * 3600 - 30, "Sport 1"), (3 * 3600 + 30, "News 0")):
        monkeypatch.setattr(clock, "offset", offset)  # the one clock (articles/freshness/clock.py)
        assert zone_headlines(resolved(), "lead") == [shown], offset
    # and at the very moments
    assert zone_headlines(resolved(at=pin.starts_at), "lead") == ["Sport 1"]
    assert zone_headlines(resolved(at=pin.ends_at - timedelta(seconds=1)), "lead") == ["Sport 1"]
    assert zone_headlines(resolved(at=pin.ends_at), "lead") == ["News 0"]


def test_the_next_start_or_end_is_a_moment_freshness_knows(newsroom):
    now = timezone.now()
    front = home_front()
    place(front, newsroom.stories["Sport 1"], ends_at=now + timedelta(minutes=30))
    place(front, newsroom.stories["Sport 2"], starts_at=now + timedelta(minutes=20))
    Banner.objects.create(
        text="Polls close", starts_at=now - timedelta(hours=1), ends_at=now + timedelta(minutes=10)
    )
    assert fronts.next_change(now) == now + timedelta(minutes=10)
    assert fronts.next_change(now + timedelta(minutes=15)) == now + timedelta(minutes=20)
    assert fronts.next_change(now + timedelta(hours=1)) is None
    assert fronts.next_pin_change(now) == now + timedelta(minutes=20)
    assert fronts.next_banner_change(now) == now + timedelta(minutes=10)
    # registered with freshness: its next moment is the banner's end (no story is scheduled)
    assert changes.next_moment(now) == pytest.approx((now + timedelta(minutes=10)).timestamp())


def test_a_cached_home_page_loses_a_pin_and_a_banner_when_they_end_without_any_save(
    client, newsroom, monkeypatch, settings
):
    settings.PAGE_CACHE_SECONDS = 3600
    start = timezone.now()
    end = start + timedelta(minutes=5)
    place(home_front(), newsroom.stories["Sport 2"], zone="lead", ends_at=end)
    Banner.objects.create(text="Polls close at eight", level="developing", ends_at=end)
    first = client.get("/").content.decode()
    assert headlines(main_of(first))[0] == "Sport 2"
    assert 'class="banner banner--developing"' in first and "Polls close at eight" in first
    monkeypatch.setattr(clock, "offset", 4 * 60)
    assert client.get("/").content.decode() == first  # still kept, no save meanwhile
    # The moment comes: the one clock passes the end, and the first request after it notices.
    monkeypatch.setattr(clock, "offset", 5 * 60 + 1)
    after = client.get("/").content.decode()
    assert headlines(main_of(after))[0] == "News 0"
    assert "banner" not in after.split("<main")[0] and "Polls close at eight" not in after


def main_of(html: str) -> str:
    return html.split("<main", 1)[1].split('<div class="rail-inline">')[0].split("<aside")[0]


# Changes show at once on cached pages ---------------------------------------------------------------------


def test_a_change_to_a_front_a_placement_or_the_banner_shows_at_once_on_a_cached_page(
    client, newsroom, settings
):
    settings.PAGE_CACHE_SECONDS = 3600
    front = home_front()
    assert headlines(main(client.get("/")))[0] == "News 0"
    pin = place(front, newsroom.stories["Sport 1"], zone="lead")
    assert headlines(main(client.get("/")))[0] == "Sport 1"
    pin.headline = "Cup final tonight"
    pin.save()
    assert headlines(main(client.get("/")))[0] == "Cup final tonight"
    Zone.objects.get(front=front, kind="top").delete()
    assert "zone--top" not in main(client.get("/"))
    banner = Banner.objects.create(text="Storm warning", link="/latest/")
    assert 'href="/latest/">Storm warning</a>' in client.get("/section/sport/").content.decode()
    banner.delete()
    assert "Storm warning" not in client.get("/").content.decode()
    pin.delete()
    assert headlines(main(client.get("/")))[0] == "News 0"


def test_a_pin_on_the_home_page_leaves_section_pages_cached(client, newsroom, django_assert_num_queries):
    front = home_front()
    client.get("/"), client.get("/section/sport/")
    place(front, newsroom.stories["Sport 1"], zone="lead")  # changes "front-home" only (freshness_keys)
    with django_assert_num_queries(0):
        assert client.get("/section/sport/").status_code == 200
    assert headlines(main(client.get("/")))[0] == "Sport 1"


def test_pages_showing_a_front_name_it_and_the_banner_as_surrogate_keys(client, newsroom):
    front = home_front()
    keys = client.get("/")["xkey"].split()
    assert {"front-home", "fronts", "banner", "list"} <= set(keys)
    assert front.freshness_keys() == {"front-home"}
    section_front = fronts.ensure(newsroom.sport)
    assert section_front.freshness_keys() == {f"front-sec{newsroom.sport.pk}"}
    assert section_front.zones.first().freshness_keys() == {f"front-sec{newsroom.sport.pk}"}
    keys = client.get("/section/sport/")["xkey"].split()
    assert {f"front-sec{newsroom.sport.pk}", "fronts", "banner"} <= set(keys)
    assert "front-home" not in keys
    assert "banner" in client.get(newsroom.stories["News 1"].get_absolute_url())["xkey"].split()


def test_a_section_page_shows_its_front_then_the_rest_of_its_stories(client, newsroom):
    front = fronts.ensure(newsroom.news)
    place(front, newsroom.stories["News 9"], zone="lead")
    html = main(client.get("/section/news/"))
    shown = headlines(html)
    assert shown[:5] == ["News 9", "News 0", "News 1", "News 2", "News 3"]
    assert sorted(shown) == sorted(f"News {i}" for i in range(12))  # each once
    assert 'class="zone zone--lead' in html and 'class="zone zone--river"' in html


# A fixed number of queries -------------------------------------------------------------------------------


def build_front(zones: int, placements: int, stories: int):
    sections = [make_section(f"Section {i}", menu_order=i) for i in range(zones)]
    made = [
        make_article(f"Story {i}", section=sections[i % zones], tags=["t"], ago=timedelta(hours=i + 1))
        for i in range(stories)
    ]
    front = home_front(top={"size": 10})
    photo = make_photo()
    Zone.objects.create(
        front=front, kind="river", size=10, position=5, rule=Zone.Rule.TAG, rule_tag=made[0].tags.get()
    )
    for i in range(placements):
        zone = ["lead", "top", "sections", "river"][i % 4]
        later = timezone.now() + timedelta(days=1)
        place(front, made[-1 - i], zone, i, headline=f"P{i}", photo=photo if i % 2 else None, ends_at=later)
    return front


@pytest.mark.parametrize("size", [(2, 2, 10), (12, 40, 200)], ids=["few", "many"])
def test_a_front_costs_the_same_queries_however_many_zones_placements_and_stories(
    client, size, django_assert_num_queries
):
    build_front(*size)
    cache.clear()
    caches["local"].clear()  # a new worker, a cold cache
    # the next moment (3: stories, pins, banners), Trending Now (3), the sections (1), the banner (1), the
    # front and its zones and placements (3), every candidate (1), the cards, their bylines and their
    # override photos (3), the sidebar's "Just in" (1) and the footer's pages (1)
    with django_assert_num_queries(17):
        html = main(client.get("/"))
    assert "P0" in html and "P1" in html


def test_a_front_rendered_again_with_nothing_changed_costs_no_query(
    client, newsroom, settings, django_assert_num_queries
):
    settings.PAGE_CACHE_SECONDS = 0  # no page is kept: the home page is rendered each time
    place(home_front(), newsroom.stories["Sport 1"], zone="lead")
    client.get("/")
    with django_assert_num_queries(0):  # the front, its arrangement and its cards are remembered
        assert headlines(main(client.get("/")))[0] == "Sport 1"


# The banner ----------------------------------------------------------------------------------------------


def test_a_banner_shows_on_every_public_page_between_its_start_and_end(client, newsroom, monkeypatch):
    now = timezone.now()
    Banner.objects.create(
        text="Polls close",
        level="breaking",
        starts_at=now + timedelta(hours=1),
        ends_at=now + timedelta(hours=2),
    )
    story = newsroom.stories["News 1"]
    urls = ["/", "/latest/", "/section/news/", story.get_absolute_url(), "/search/?q=news", "/no-such-page/"]
    assert all("Polls close" not in client.get(url).content.decode() for url in urls)
    monkeypatch.setattr(clock, "offset", 3600 + 60)  # no save: the banner's start is a registered moment
    for url in urls:
        html = client.get(url).content.decode()
        assert 'class="banner banner--breaking"' in html and "Polls close" in html, url
    monkeypatch.setattr(clock, "offset", 2 * 3600 + 60)
    for url in urls:
        assert "Polls close" not in client.get(url).content.decode(), url
    assert fronts.current_banner() is None


def test_a_banners_link_must_be_an_address_on_the_site_or_http(newsroom):
    from django.core.exceptions import ValidationError

    for good in ("/2024/01/07/story/", "https://example.com/live"):
        Banner(text="x", link=good).full_clean()
    for bad in ("javascript:alert(1)", "//evil.example/", "ftp://x/"):
        with pytest.raises(ValidationError, match="address on this site"):
            Banner(text="x", link=bad).full_clean()


# The admin ------------------------------------------------------------------------------------------------


def logged_in(username, role):
    """A browser logged in as a new "writer" or "editor"."""
    from articles import roles

    browser = Client()
    browser.force_login(make_user(username, {"writer": roles.WRITER, "editor": roles.EDITOR}[role]))
    return browser


def form_data(front, placements=(), **extra):
    """The front editor's POST: its zones as they are, `placements` (dicts) as the only placed stories."""
    zones = list(front.zones.all())
    existing = list(front.placements.all())
    data = {
        "section": front.section_id or "",
        "lock_version": front.version,
        "zones-TOTAL_FORMS": len(zones),
        "zones-INITIAL_FORMS": len(zones),
        "placements-TOTAL_FORMS": len(existing) + len(placements),
        "placements-INITIAL_FORMS": len(existing),
        **extra,
    }
    for i, zone in enumerate(zones):
        for name in ("id", "position", "kind", "title", "size", "rule"):
            data[f"zones-{i}-{name}"] = getattr(zone, name) if name != "id" else zone.pk
        data[f"zones-{i}-front"] = front.pk
    for i, placement in enumerate(existing):
        data[f"placements-{i}-id"] = placement.pk
        data[f"placements-{i}-front"] = front.pk
        data[f"placements-{i}-article"] = placement.article_id
        data[f"placements-{i}-zone"] = placement.zone
        data[f"placements-{i}-position"] = placement.position
        data[f"placements-{i}-DELETE"] = "on"
    for j, values in enumerate(placements, start=len(existing)):
        data[f"placements-{j}-front"] = front.pk
        for name, value in values.items():
            data[f"placements-{j}-{name}"] = value
    return data


def change_url(front):
    return f"/admin/articles/front/{front.pk}/change/"


def test_an_editor_arranges_the_home_page_in_the_front_editor(client, newsroom):
    editor = logged_in("eddie", "editor")
    front = home_front()
    page = editor.get(change_url(front))
    assert page.status_code == 200 and "js/front-editor.js" in page.content.decode()
    inlines = re.findall(r'data-inline-formset="([^"]*)"', page.content.decode())
    added = [json.loads(unescape(data))["options"]["addText"] for data in inlines]
    assert added == ["Add another placed story", "Add another zone"]  # the desk's sentence case
    s = newsroom.stories
    response = editor.post(change_url(front), form_data(front, [
        {"article": s["Sport 2"].pk, "zone": "lead", "position": 0, "headline": "Derby day"},
        {"article": s["News 11"].pk, "zone": "top", "position": 1},
    ]))  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    html = main(client.get("/"))
    assert headlines(html)[:2] == ["Derby day", "News 11"]


def test_writers_cannot_touch_fronts_or_banners(newsroom):
    writer = logged_in("wendy", "writer")
    front = home_front()
    before = (front.version, list(front.placements.values_list("pk", flat=True)))
    assert writer.get("/admin/articles/front/").status_code == 403
    assert writer.get(change_url(front)).status_code == 403
    data = form_data(front, [{"article": newsroom.stories["Sport 2"].pk, "zone": "lead", "position": 0}])
    assert writer.post(change_url(front), data).status_code == 403
    assert writer.post(change_url(front), {**data, "_preview": "1"}).status_code == 403
    assert writer.post("/admin/articles/banner/add/", {"text": "x", "level": "breaking"}).status_code == 403
    front.refresh_from_db()
    assert (front.version, list(front.placements.values_list("pk", flat=True))) == before
    assert not Banner.objects.exists()
    # and the story list offers writers no "Put on the home page"
    listing = writer.get("/admin/articles/article/").content.decode()
    assert "put_on_home_page" not in listing


def test_a_story_placed_in_a_zone_the_page_does_not_have_is_refused_with_a_clear_error(newsroom):
    editor = logged_in("eddie", "editor")
    front = home_front()
    data = form_data(front, [{"article": newsroom.stories["Sport 2"].pk, "zone": "river", "position": 0}])
    response = editor.post(change_url(front), data)
    assert response.status_code == 200
    assert (
        "This page has no “Latest river” zone: add one under Zones, or choose another."
        in response.content.decode()
    )
    assert not front.placements.exists()


def test_a_stale_front_is_not_saved_and_the_form_keeps_what_was_arranged(newsroom):
    editor = logged_in("eddie", "editor")
    front = home_front()
    opened = form_data(front, [{"article": newsroom.stories["Sport 2"].pk, "zone": "lead", "position": 0,
                                "headline": "Mine"}])  # fmt: skip
    place(front, newsroom.stories["Sport 1"], zone="lead")
    front.save()  # someone else saved meanwhile
    response = editor.post(change_url(front), opened)
    assert response.status_code == 200
    assert "Someone else saved this front" in response.content.decode()
    assert 'value="Mine"' in response.content.decode()
    assert list(front.placements.values_list("article__headline", flat=True)) == ["Sport 1"]


def test_preview_shows_the_front_as_readers_will_see_it_without_saving(client, newsroom):
    editor = logged_in("eddie", "editor")
    front = home_front()
    version = front.version
    data = form_data(front, [{"article": newsroom.stories["Sport 2"].pk, "zone": "lead", "position": 0,
                              "headline": "Derby day"}], _preview="1")  # fmt: skip
    response = editor.post(change_url(front), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert headlines(main(response))[0] == "Derby day"
    assert 'class="front front--home"' in html and "no-cache" in response["Cache-Control"]
    front.refresh_from_db()
    assert front.version == version and not front.placements.exists()
    assert headlines(main(client.get("/")))[0] == "News 0"


def test_preview_of_a_section_front(newsroom):
    editor = logged_in("eddie", "editor")
    front = fronts.ensure(newsroom.sport)
    data = form_data(front, [{"article": newsroom.stories["Sport 2"].pk, "zone": "lead", "position": 0}],
                     _preview="1")  # fmt: skip
    response = editor.post(change_url(front), data)
    assert headlines(main(response))[0] == "Sport 2"
    assert "<h1>Sport</h1>" in response.content.decode()


def test_put_on_the_home_page_from_the_story_list(client, newsroom):
    editor = logged_in("eddie", "editor")
    chosen = [newsroom.stories["Sport 2"], newsroom.stories["News 11"]]
    response = editor.post(
        "/admin/articles/article/",
        {"action": "put_on_home_page", "_selected_action": [s.pk for s in chosen]},
        follow=True,
    )
    assert "Put 2 stories at the top of the home page" in response.content.decode()
    front = Front.objects.get(section=None)
    assert list(front.placements.values_list("article__headline", "zone")) == [
        ("News 11", "top"),
        ("Sport 2", "top"),
    ]
    top = headlines(main(client.get("/")).split("zone--top", 1)[1])
    assert top[:2] == ["News 11", "Sport 2"]


def test_a_fronts_history_restores_its_arrangement(newsroom):
    import reversion
    from reversion.models import Version

    editor = logged_in("eddie", "editor")
    front = home_front()
    with reversion.create_revision():
        place(front, newsroom.stories["Sport 2"], zone="lead")
        front.save()
    with reversion.create_revision():
        front.placements.all().delete()
        place(front, newsroom.stories["Sport 1"], zone="lead")
        front.save()
    assert editor.get(f"/admin/articles/front/{front.pk}/history/").status_code == 200
    old = Version.objects.get_for_object(front).order_by("pk").first()
    url = f"/admin/articles/front/{front.pk}/history/{old.pk}/"
    assert editor.get(url).status_code == 200
    version = Front.objects.get(pk=front.pk).version
    data = form_data(Front.objects.get(pk=front.pk))
    for key in [k for k in data if k.startswith("placements-")]:
        del data[key]
    restored = list(front.placements.all())  # as the form would show the old version
    data.update({"placements-TOTAL_FORMS": 1, "placements-INITIAL_FORMS": 1})
    response = editor.get(url)
    pk = re.search(r'name="placements-0-id" value="(\d+)"', response.content.decode())[1]
    row = {
        "id": pk,
        "front": front.pk,
        "zone": "lead",
        "position": 0,
        "article": newsroom.stories["Sport 2"].pk,
    }
    data.update({f"placements-0-{name}": value for name, value in row.items()})
    assert restored
    response = editor.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    front.refresh_from_db()
    assert list(front.placements.values_list("article__headline", flat=True)) == ["Sport 2"]
    assert front.version == version + 1  # the counter moves on from the current one, never back


def test_the_demo_has_an_arranged_home_page_and_a_banner(client):
    from django.core.management import call_command

    call_command("load_demo", stdout=open("/dev/null", "w"))
    html = client.get("/").content.decode()
    lead = html.split("zone--lead", 1)[1].split("</section>", 1)[0]
    assert headlines(lead) == [
        "Upstream and downstream nations reach draft deal on sharing a drought-hit river"
    ]
    top = headlines(html.split("zone--top", 1)[1].split("</section>", 1)[0])
    assert top[:3] == [
        "Housing bill clears committee with rent cap amendment intact",
        "Central bank holds interest rates but signals cuts could come later this year",
        "Kessington votes today: the independent edges ahead in the final poll",
    ]
    assert "Parliament to debate lowering the voting age to 16" not in html  # scheduled: its slot filled
    assert 'class="banner banner--developing"' in html and "Flood warning for Eastmere" in html
