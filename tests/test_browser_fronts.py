"""Fronts in Chromium: an editor arranges the home page and posts a banner, readers see them, and when the pin
and the banner end they are gone without any save.

The end comes from an injected clock rather than a wait: the live server runs in this process (in a
thread), so moving freshness's one clock (`clock.offset`, articles/freshness/clock.py) moves it for the
server too. Screenshots go to artifacts/fronts/.
"""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from articles import roles
from articles.freshness import clock as the_clock
from articles.models import Banner, Front
from tests.conftest import choose, log_in, make_article, make_section

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts" / "fronts"
PIN = "Pinned for the evening"
BANNER = "Polls have closed in the capital"


@pytest.fixture
def clock(monkeypatch):
    """Freshness's clock, put back as it was after the test (the live server's threads read it too)."""
    monkeypatch.setattr(the_clock, "offset", 0.0)
    return the_clock


HEADLINE = re.compile(r'class="card-headline"><a href="[^"]+">([^<]+)</a>')


def zone(html, kind):
    """The headlines of one zone of a page."""
    part = html.split(f"zone--{kind}", 1)[1].split("</section>", 1)[0]
    return HEADLINE.findall(part)


def test_an_editor_arranges_the_home_page_and_readers_see_it_until_the_pin_and_banner_end(
    browser, live_server, clock
):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    news = make_section("News")
    stories = {
        name: make_article(name, section=news, ago=timedelta(hours=i + 1))
        for i, name in enumerate(["Newest", "Ferry returns", "Council vote", "Harbour lights", "Old archive"])
    }
    editor = User.objects.create_user("eddie", "eddie@example.com", "eddie-password-1", is_staff=True)
    editor.groups.add(Group.objects.get(name=roles.EDITOR))

    # Two top stories from the story list.
    page = log_in(browser, base, "eddie")
    page.goto(f"{base}/admin/articles/article/")
    for name in ("Ferry returns", "Council vote"):
        page.check(f"tr:has-text('{name}') input.action-select")
    page.select_option("select[name=action]", "put_on_home_page")
    page.click("button[name=index]")
    page.wait_for_selector(".messagelist .success")
    page.click("text=Arrange the home page")
    page.wait_for_selector("#placements-group")

    # The lead, and a pin at the top of the top stories with its own headline, ending in an hour.
    end = timezone.localtime(timezone.now() + timedelta(hours=1)).replace(microsecond=0)
    choose(page, "#placements-2 .field-article", "Old archive")  # the empty form the editor offers
    page.select_option("#id_placements-2-zone", "lead")
    page.click("#placements-group .add-row a")
    choose(page, "#placements-3 .field-article", "Harbour lights")
    page.select_option("#id_placements-3-zone", "top")
    assert not page.is_visible("#id_placements-3-headline")  # what changes it on this front only is folded
    page.click("#placements-3 .front-overrides summary")
    page.fill("#id_placements-3-headline", PIN)
    page.fill("#id_placements-3-ends_at", end.strftime("%Y-%m-%dT%H:%M:%S"))
    # Dragged by its heading above the first top story (both in view: a drag that scrolls loses its source).
    page.set_viewport_size({"width": 1280, "height": 3000})
    page.drag_and_drop("#placements-3 h3", "#placements-0 h3")
    order = page.eval_on_selector_all(
        "#placements-group .inline-related:not(.empty-form)", "items => items.map(i => i.id)"
    )
    assert order[:2] == ["placements-3", "placements-0"]
    assert page.input_value("#id_placements-3-position") == "0"
    page.screenshot(path=str(ARTIFACTS / "front-editor-1280.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 900})
    page.screenshot(path=str(ARTIFACTS / "front-editor-390.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 1000})

    # The preview opens beside the form, as readers will see the page, and saves nothing.
    with page.context.expect_page() as opened:
        page.click("input[name=_preview]")
    preview = opened.value
    preview.wait_for_load_state()
    assert zone(preview.content(), "lead") == ["Old archive"]
    assert zone(preview.content(), "top")[:3] == [PIN, "Ferry returns", "Council vote"]
    preview.close()
    assert Front.objects.get(section=None).placements.count() == 2

    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    assert Front.objects.get(section=None).placements.count() == 4
    # Opened again, the pin shows its own headline; a placement that changes nothing keeps its fold shut.
    page.goto(f"{base}/admin/articles/front/{Front.objects.get(section=None).pk}/change/")
    pinned = Front.objects.get(section=None).placements.get(headline=PIN)
    forms = page.eval_on_selector_all(
        "#placements-group .inline-related:not(.empty-form)",
        "items => items.map(i => [i.querySelector('input[name$=\"-id\"]').value,"
        " i.querySelector('.front-overrides details').open])",
    )
    assert [open for pk, open in forms if pk] == [pk == str(pinned.pk) for pk, _ in forms if pk]

    # A banner, ending at the same time.
    page.goto(f"{base}/admin/articles/banner/add/")
    page.fill("#id_text", BANNER)
    page.fill("#id_link", stories["Council vote"].get_absolute_url())
    page.select_option("#id_level", "breaking")
    page.fill("#id_ends_at_0", end.strftime("%Y-%m-%d"))
    page.fill("#id_ends_at_1", end.strftime("%H:%M:%S"))
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    assert Banner.objects.get().ends_at == end
    page.close()

    # A reader sees the arrangement and the banner on every page.
    reader = browser.new_page(viewport={"width": 1280, "height": 1000})
    reader.goto(base + "/")
    html = reader.content()
    assert zone(html, "lead") == ["Old archive"]
    assert zone(html, "top")[:3] == [PIN, "Ferry returns", "Council vote"]
    assert reader.locator(".banner.banner--breaking").inner_text().endswith(BANNER)
    reader.screenshot(path=str(ARTIFACTS / "reader-home-1280.png"), full_page=True)
    reader.goto(base + stories["Newest"].get_absolute_url())
    assert reader.locator(".banner").count() == 1
    reader.click(f".banner a:has-text('{BANNER}')")
    reader.wait_for_url(base + stories["Council vote"].get_absolute_url())

    # The end comes: nobody saves anything, and the pin and the banner are gone.
    clock.offset = (end - timezone.now() + timedelta(seconds=1)).total_seconds()
    reader.goto(base + "/")
    html = reader.content()
    assert PIN not in html and BANNER not in html and reader.locator(".banner").count() == 0
    assert zone(html, "lead") == ["Old archive"]
    assert zone(html, "top")[:2] == ["Ferry returns", "Council vote"]
    reader.screenshot(path=str(ARTIFACTS / "reader-home-after-1280.png"), full_page=True)
