"""The editorial flow in Chromium: a writer writes and submits, an editor schedules, readers see it on time.

"On time" comes from the injected clock rather than a wait: the live server runs in this process (in a
thread), so moving freshness's one clock (`clock.offset`, articles/freshness/clock.py) past the scheduled
time moves it for the server too. Screenshots go to artifacts/browser/.
"""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from articles import roles
from articles.freshness import clock as the_clock
from articles.models import Article
from tests.conftest import choose, log_in, make_author, make_section, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts" / "browser"
HEADLINE = "Night ferry returns to the northern islands"


@pytest.fixture
def clock(monkeypatch):
    """Freshness's clock, put back as it was after the test (the live server's threads read it too)."""
    monkeypatch.setattr(the_clock, "offset", 0.0)
    return the_clock


def test_writer_submits_editor_schedules_readers_see_it_on_time(browser, live_server, clock):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    make_section("News")
    make_author("Wendy Writer")
    make_author("Eddie Editor")
    make_user("wendy", roles.WRITER)
    make_user("eddie", roles.EDITOR)

    # The writer writes the story in the rich-text editor, with two bylines, and submits it.
    page = log_in(browser, base, "wendy")
    page.goto(f"{base}/admin/articles/article/add/")
    page.fill("#id_headline", HEADLINE)
    page.fill("#id_dek", "The service stopped in 2019; islanders campaigned for five years.")
    page.click(".field-body [contenteditable=true]")
    page.keyboard.type("The first night ferry in five years left the harbour at 22:40.")
    page.keyboard.press("Enter")
    page.keyboard.type("Islanders met it with lanterns.")
    choose(page, ".field-section", "News")
    choose(page, "#bylines-0 .field-author", "Wendy Writer")
    page.click("#bylines-group .add-row a")
    choose(page, "#bylines-1 .field-author", "Eddie Editor")
    page.screenshot(path=str(ARTIFACTS / "writer-story-form.png"), full_page=True)
    page.click("button[value=review]")  # the desk's "Submit for review"; positions follow the rows' order
    page.wait_for_selector(".messagelist .success")
    story = Article.objects.get(headline=HEADLINE)
    assert story.status == "review" and story.published_at is None
    assert "<p>The first night ferry in five years left the harbour at 22:40.</p>" in story.body
    assert [b.author.name for b in story.bylines.all()] == ["Wendy Writer", "Eddie Editor"]
    page.close()

    # The editor schedules it an hour ahead.
    page = log_in(browser, base, "eddie")
    page.screenshot(path=str(ARTIFACTS / "editor-dashboard.png"), full_page=True)
    assert HEADLINE in page.locator(".newsroom-dashboard").inner_text()
    page.goto(f"{base}/admin/articles/article/{story.pk}/change/")
    due = timezone.localtime(timezone.now() + timedelta(hours=1)).replace(microsecond=0)
    page.fill("#id_published_at_0", due.strftime("%Y-%m-%d"))
    page.fill("#id_published_at_1", due.strftime("%H:%M:%S"))
    page.click("button[value=schedule]")
    page.wait_for_selector(".messagelist .success")
    page.goto(f"{base}/admin/articles/article/")
    assert "Scheduled" in page.locator("#result_list").inner_text()
    page.screenshot(path=str(ARTIFACTS / "editor-story-list.png"), full_page=True)
    page.close()

    # Readers cannot see it until its time, then find it on the home page: no save, no wait, the clock moves.
    story.refresh_from_db()
    assert story.published_at == due
    reader = browser.new_page(viewport={"width": 1280, "height": 1000})
    response = reader.goto(base + story.get_absolute_url())
    assert response.status == 404
    reader.goto(base + "/")
    assert HEADLINE not in reader.content()
    clock.offset = (due - timezone.now()).total_seconds() - 60
    reader.goto(base + "/")
    assert HEADLINE not in reader.content()  # a minute before, still nothing
    assert reader.goto(base + story.get_absolute_url()).status == 404
    clock.offset += 61
    reader.goto(base + "/")
    assert HEADLINE in reader.content()
    reader.click(f"text={HEADLINE}")
    reader.wait_for_selector("article.story h1")
    assert reader.locator(".byline").inner_text() == "Written by Wendy Writer and Eddie Editor"
    reader.screenshot(path=str(ARTIFACTS / "reader-article.png"), full_page=True)
