"""The editing desk in Chromium: a writer's story from an empty form to review, bylines dragged into order, a
tag made with Enter, two editors who see each other, a take-over, a stale save's diff; axe-core on the desk's
screens. Screenshots at 1280 and 390 px go to artifacts/desk/.
"""

from pathlib import Path

import pytest

from articles import roles
from articles.models import Article, Author, Tag
from tests.conftest import make_article, make_author, make_section, make_user
from tests.test_browser_workflow import choose

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts" / "desk"
AXE = Path(__file__).resolve().parent / "browser" / "vendor" / "axe.min.js"
WIDTHS = (1280, 390)


def make_writer_author(username, role, first, last):
    """A staff account with the author it writes as."""
    user = make_user(username, role, first, last)
    Author.objects.create(name=f"{first} {last}", slug=username, user=user)
    return user


def log_in(context, base, username, width=1280):
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": 1000})
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", f"{username}-password-1")
    page.click("input[type=submit]")
    page.wait_for_selector("#user-tools")
    return page


def watch_console(page):
    """Console errors (a CSP refusal shows up here) collected while the page lives."""
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    return errors


def shoot(page, name):
    """Full-page screenshots of what the page shows now at both widths."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 1000})
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"{name} scrolls sideways at {width} px ({scroll_width} px wide)"
    page.set_viewport_size({"width": 1280, "height": 1000})


def serious_violations(browser, base, username, path):
    context = browser.new_context(bypass_csp=True)  # axe is injected as an inline script
    page = log_in(context, base, username)
    page.goto(base + path)
    page.wait_for_load_state("networkidle")
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("async () => (await axe.run(document)).violations")
    context.close()
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


# The new story form is usable once the headline has the focus (to type at once) and the body editor exists;
# answers the milliseconds since the navigation started (bench/desk_form.py measures the same).
FORM_USABLE = """() => {
  const headline = document.getElementById("id_headline");
  const body = document.querySelector(".field-body [contenteditable=true]");
  return headline && document.activeElement === headline && body ? performance.now() : false;
}"""


def test_writer_writes_a_story_from_an_empty_form_to_review(browser, live_server):
    base = live_server.url
    make_section("News")
    make_author("Tomas Berg")
    Tag.objects.create(name="Climate", slug="climate")
    for i in range(20):  # a list like the demo's
        make_article(f"Earlier story {i}")
    make_writer_author("ana", roles.WRITER, "Ana", "Reyes")

    context = browser.new_context()
    page = log_in(context, base, "ana")
    errors = watch_console(page)
    page.goto(f"{base}/admin/articles/article/")
    page.click("text=Add story")
    # usable: the headline has the focus and the body editor is there (docs/desk.md has the figures)
    usable_ms = page.wait_for_function(FORM_USABLE, polling="raf").json_value()
    print(f"\n'Add story' to a usable form: {usable_ms:.0f} ms from the navigation's start")
    assert page.evaluate("document.activeElement.id") == "id_headline"

    # Nothing read-only and empty on a new story; the writer's own byline is there already.
    assert page.locator(".readonly").count() == 0
    assert page.locator("#bylines-0 .field-author .select2-selection__rendered").inner_text().strip(
        "×\n "
    ) == ("Ana Reyes")
    assert page.locator("button[value=publish]").count() == 0  # writers do not publish

    page.click("#id_headline")
    page.keyboard.type("Night ferry returns to the islands")
    assert "34 characters" in page.locator("#headline-count").inner_text()
    page.keyboard.press("Tab")
    page.keyboard.type("Islanders campaigned for five years.")
    page.click(".field-body [contenteditable=true]")
    page.keyboard.type("The first night ferry in five years left at 22:40.")
    page.keyboard.press("Enter")
    page.keyboard.type("Islanders met it with lanterns.")
    choose(page, ".field-section", "News")

    # A new tag: type it and press Enter.
    page.click(".field-tags .select2-selection")
    page.keyboard.type("Harbour ferries")
    page.wait_for_selector(".select2-results__option:has-text('Create tag')")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    assert "Harbour ferries" in page.locator(".field-tags .select2-selection").inner_text()

    # A second byline, then drag it above the first.
    page.click("#bylines-group .add-row a:text-is('Add another byline')")
    choose(page, "#bylines-1 .field-author", "Tomas Berg")
    page.drag_and_drop(
        "#bylines-1 .byline-handle", "#bylines-0 .byline-handle", target_position={"x": 5, "y": 2}
    )
    order = page.locator(
        "#bylines-group .byline-row:not(.empty-form) .field-author .select2-selection__rendered"
    )
    assert [name.strip("×\n ") for name in order.all_inner_texts()] == ["Tomas Berg", "Ana Reyes"]
    assert page.locator("#bylines-group input[type=number]").count() == 0  # no raw positions

    # A new author, made without leaving the form.
    page.fill("#desk-new-author-name", "Lena Fischer")
    page.keyboard.press("Enter")
    page.wait_for_selector(".desk-new-author-status:has-text('added')")
    shoot(page, "story-form-writer")

    page.click("button[value=review]")
    page.wait_for_selector(".messagelist .success")
    story = Article.objects.get(headline="Night ferry returns to the islands")
    assert story.status == Article.Status.REVIEW
    assert "<p>Islanders met it with lanterns.</p>" in story.body
    assert [b.author.name for b in story.bylines.all()] == ["Tomas Berg", "Ana Reyes", "Lena Fischer"]
    assert list(story.tags.names()) == ["Harbour ferries"]
    assert not [e for e in errors if "Content Security Policy" in e], errors

    # Submitted, the writer reads it rendered, not as HTML source.
    page.goto(f"{base}/admin/articles/article/{story.pk}/change/")
    assert page.locator(".desk-read-body p").first.inner_text() == (
        "The first night ferry in five years left at 22:40."
    )
    assert "&lt;p&gt;" not in page.content() and "<p>" not in page.locator("#content-main").inner_text()
    shoot(page, "story-read-only-writer")
    context.close()


def test_two_editors_see_each_other_take_over_and_a_stale_save_shows_the_diff(browser, live_server):
    base = live_server.url
    story = make_article("Bridge vote tonight", status="review", body="<p>The council meets at six.</p>")
    make_section("Politics")
    make_writer_author("ana", roles.EDITOR, "Ana", "Reyes")
    make_writer_author("bob", roles.EDITOR, "Bob", "Stone")
    url = f"{base}/admin/articles/article/{story.pk}/change/"

    ana_context, bob_context = browser.new_context(), browser.new_context()
    ana = log_in(ana_context, base, "ana")
    ana_errors = watch_console(ana)
    ana.goto(url)
    assert ana.locator(".desk-take-over").is_hidden()
    bob = log_in(bob_context, base, "bob")
    bob.goto(url)
    assert "Ana Reyes is editing since" in bob.locator("#desk-presence").inner_text()
    ana.evaluate("desk.presence.beat()")
    ana.wait_for_selector("#desk-presence:has-text('Also here: Bob Stone')")
    shoot(bob, "story-form-locked")

    # Bob takes over; Ana is told at her next heartbeat, and her save is refused.
    bob.click(".desk-take-over")
    bob.wait_for_selector(".desk-take-over", state="hidden")
    ana.evaluate("desk.presence.beat()")
    ana.wait_for_selector("#desk-presence:has-text('Bob Stone took over this story')")
    shoot(ana, "story-form-taken-over")
    ana.fill("#id_headline", "Bridge vote: council says yes")
    ana.click(".field-body [contenteditable=true]")
    ana.keyboard.press("End")
    ana.keyboard.type(" It votes yes.")
    ana.click("button[value=save]")
    assert "Bob Stone took over this story" in ana.locator(".errornote, .errorlist").first.inner_text() or (
        "Bob Stone took over" in ana.locator("#content-main").inner_text()
    )

    # Bob saves his headline; Ana takes the story back and saves what she typed: refused as stale, with
    # who saved when and the word diff, and one click per field to keep hers or take his.
    bob.fill("#id_headline", "Bridge vote delayed to Friday")
    choose(bob, ".field-section", "Politics")
    bob.click("button[value=save]")
    bob.wait_for_selector(".messagelist .success")
    ana.click(".desk-take-over")
    ana.wait_for_selector(".desk-take-over", state="hidden")
    ana.click("button[value=save]")
    ana.wait_for_selector(".desk-conflict")
    conflict = ana.locator(".desk-conflict").inner_text()
    assert "Bob Stone saved this story at" in conflict
    headline_diff = ana.locator(".desk-conflict-field[data-field=headline]")
    assert "delayed to Friday" in headline_diff.locator("del").first.inner_text()  # theirs, not in mine
    assert "says yes" in headline_diff.locator("ins").first.inner_text()  # mine, not in theirs
    shoot(ana, "story-form-stale-save")
    section_choice = ana.locator(".desk-conflict-field[data-field=section]")
    assert "Politics" in section_choice.locator(".desk-conflict-theirs").inner_text()
    assert "News" in section_choice.locator(".desk-conflict-mine").inner_text()
    ana.click(".desk-conflict-field[data-field=headline] .desk-take-theirs")
    assert ana.input_value("#id_headline") == "Bridge vote delayed to Friday"
    section_choice.locator(".desk-take-theirs").click()
    assert ana.locator(".field-section.desk-overridden").count() == 1
    assert section_choice.locator(".desk-conflict-note").is_visible()
    shoot(ana, "story-form-stale-save-choices")
    ana.click("button[value=save]")
    ana.wait_for_selector(".messagelist .success")
    story.refresh_from_db()
    assert story.headline == "Bridge vote delayed to Friday"  # theirs, as chosen
    assert "It votes yes." in story.body  # hers, kept
    assert story.section.name == "Politics"  # his, taken
    assert not [e for e in ana_errors if "Content Security Policy" in e], ana_errors
    ana_context.close()
    bob_context.close()


def test_closing_the_tab_frees_the_lock(browser, live_server):
    base = live_server.url
    story = make_article("Ferry timetable", status="review")
    make_writer_author("ana", roles.EDITOR, "Ana", "Reyes")
    make_writer_author("bob", roles.EDITOR, "Bob", "Stone")
    url = f"{base}/admin/articles/article/{story.pk}/change/"
    ana_context, bob_context = browser.new_context(), browser.new_context()
    ana = log_in(ana_context, base, "ana")
    ana.goto(url)
    bob = log_in(bob_context, base, "bob")
    bob.goto(url)
    assert "Ana Reyes is editing since" in bob.locator("#desk-presence").inner_text()
    ana.close(run_before_unload=True)  # pagehide: desk-presence.js says goodbye with sendBeacon
    # the lock is Bob's at his next heartbeat once the goodbye has arrived (the predicate sends heartbeats)
    bob.wait_for_function("async () => (await desk.presence.beat()).you_hold_lock", polling=250)
    assert bob.locator(".desk-take-over").is_hidden()
    ana_context.close()
    bob_context.close()


def test_desk_screens_pass_axe_and_are_screenshotted(browser, live_server):
    base = live_server.url
    news = make_section("News")
    author = make_author("Henrik Rothen")
    story = make_article("Harbour bridge vote", section=news, authors=[author], tags=["Harbour"])
    make_article("Draft about ferries", status="draft")
    make_writer_author("eddie", roles.EDITOR, "Eddie", "Editor")
    context = browser.new_context()
    page = log_in(context, base, "eddie")
    errors = watch_console(page)
    screens = {
        "dashboard": "/admin/",
        "story-list": "/admin/articles/article/",
        "story-form-new": "/admin/articles/article/add/",
        "story-form-editor": f"/admin/articles/article/{story.pk}/change/",
    }
    for name, path in screens.items():
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        shoot(page, name)
    assert not [e for e in errors if "Content Security Policy" in e], errors
    # "View on site" says whether it is the preview
    page.goto(base + screens["story-form-editor"])
    assert page.locator(".object-tools .viewsitelink").text_content() == "View on site"
    page.goto(base + screens["story-list"] + "?mine=1")
    assert page.locator(".quick-filter-mine[aria-current=true]").count() == 1
    context.close()
    problems = {name: serious_violations(browser, base, "eddie", path) for name, path in screens.items()}
    assert problems == {name: [] for name in screens}
