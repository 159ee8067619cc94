"""The newspaper's look in Chromium: axe-core finds no serious or critical problem on the front, a section and
a story at phone (390 px) and desk (1280 px) widths, with the menu and search folded and unfolded."""

import pytest

from tests.test_browser_public import AXE, newsroom, pages, urlpatterns  # noqa: F401 (fixture, URLs)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.urls(__name__)]


def serious(page):
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("async () => (await axe.run(document)).violations")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("name", ["home", "section", "article"])
def test_no_serious_accessibility_problem_at_phone_and_desk_widths(
    browser,
    live_server,
    newsroom,  # noqa: F811 (the fixture imported above)
    name,
    width,
):
    context = browser.new_context(bypass_csp=True, viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + pages(newsroom)[name])
    assert serious(page) == []
    if width < 960:  # the folded menu and search, opened
        page.locator(".fold-menu summary").click()
        page.locator(".fold-search summary").click()
        assert serious(page) == []
    context.close()


def test_a_section_front_on_a_phone_opens_with_the_sections_name(
    browser,
    live_server,
    newsroom,  # noqa: F811 (the fixture imported above)
):
    page = browser.new_page(viewport={"width": 390, "height": 900})
    page.goto(live_server.url + pages(newsroom)["section"])
    assert page.locator(".zone--lead, .home-lead").count()  # a front, whose lead moves up on phones
    heading = page.locator(".list-header h1").bounding_box()
    lead = page.locator(".zone--lead, .home-lead").first.bounding_box()
    assert heading["y"] < lead["y"] < 900
    page.close()
