"""The photo library in Chromium: three photos dropped at once upload with progress, a caption is edited in
place, a focal point is set by clicking and with the keyboard. Screenshots go to artifacts/browser/."""

import base64
import io

import pytest
from PIL import Image, ImageDraw

from articles import roles
from articles.models import Photo
from tests.conftest import make_user
from tests.test_browser_public import AXE
from tests.test_browser_workflow import ARTIFACTS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def picture(colour, accent) -> bytes:
    """A 1200×800 JPEG: a sky, a sea and a sun, so screenshots show where crops and points are."""
    image = Image.new("RGB", (1200, 800), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 520, 1200, 800), fill=accent)
    draw.ellipse((820, 120, 1000, 300), fill="#f4d03f")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


DROP = """([zone, files]) => {
  const transfer = new DataTransfer();
  for (const [name, data] of files) {
    const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    transfer.items.add(new File([bytes], name, { type: "image/jpeg" }));
  }
  const target = document.querySelector(zone);
  target.dispatchEvent(new DragEvent("dragenter", { dataTransfer: transfer, bubbles: true }));
  target.dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true }));
}"""


def test_editor_drops_three_photos_edits_one_in_place_and_sets_its_focal_point(browser, live_server):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    make_user("eddie", roles.EDITOR)
    page = log_in(browser, live_server.url, "eddie")
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{live_server.url}/admin/articles/photo/")
    files = [
        (f"{name}.jpg", base64.b64encode(picture(sky, sea)).decode())
        for name, sky, sea in (
            ("harbour", "#8fb8de", "#1f4e79"),
            ("dunes", "#f5cba7", "#b9770e"),
            ("fjord", "#aed6f1", "#145a32"),
        )
    ]
    page.evaluate(DROP, [".photo-drop", files])
    page.locator(".photo-upload-done").nth(2).wait_for()  # the third to finish (they go one after another)
    assert page.eval_on_selector_all(".photo-uploads progress", "bars => bars.map(b => b.value)") == [
        100,
        100,
        100,
    ]
    assert page.locator(".photo-grid .photo-card-new").count() == 3
    assert Photo.objects.count() == 3

    # the same file dropped again is found, not copied
    page.evaluate(DROP, [".photo-drop", files[:1]])
    page.wait_for_selector(".photo-upload-duplicate")
    assert "Already in the library" in page.inner_text(".photo-upload-duplicate")
    assert Photo.objects.count() == 3

    # caption edited in place, saved on leaving the field
    page.reload()
    card = page.locator(".photo-card").first
    card.locator("textarea[data-field=caption]").fill("Fishing boats leave the harbour at dawn")
    card.locator("input[data-field=credit]").click()
    card.locator(".photo-card-state:has-text('Saved')").wait_for()
    newest = Photo.objects.order_by("-created_at").first()
    assert newest.caption == "Fishing boats leave the harbour at dawn"
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(ARTIFACTS / f"photo-library-{width}.png"), full_page=True)

    # focal point: a click on the sun, then one step left with the keyboard
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/admin/articles/photo/{newest.pk}/change/")
    picker = page.locator(".focal-picker")
    box = page.locator(".focal-picker img").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.75, box["y"] + box["height"] * 0.25)
    assert abs(float(page.input_value("#id_focal_x")) - 0.75) < 0.01
    assert abs(float(page.input_value("#id_focal_y")) - 0.25) < 0.01
    picker.focus()
    page.keyboard.press("ArrowLeft")
    assert abs(float(page.input_value("#id_focal_x")) - 0.73) < 0.01
    assert "Save to make the crops again" in page.inner_text(".focal-status")
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(ARTIFACTS / f"photo-form-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    newest.refresh_from_db()
    assert abs(newest.focal_x - 0.73) < 0.01 and abs(newest.focal_y - 0.25) < 0.01
    assert newest.renditions_ready  # the test settings make them at once

    # a point outside the photo is refused with a message
    page.fill("#id_focal_x", "1.5")
    page.click("input[name=_continue]")
    page.wait_for_selector(".errorlist")
    assert "The focal point must lie inside the photo: 1.5 across is outside" in page.inner_text(".errorlist")
    assert problems == []  # no CSP refusals, no script errors
    page.close()

    # axe-core on the library and the photo form (its own context: axe is injected past the CSP)
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "eddie")
    page.fill("#id_password", "eddie-password-1")
    page.click("input[type=submit]")
    page.wait_for_selector("#user-tools")
    for url in ("/admin/articles/photo/", f"/admin/articles/photo/{newest.pk}/change/"):
        page.goto(live_server.url + url)
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate("async () => (await axe.run(document)).violations")
        serious = [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in violations
            if v["impact"] in ("serious", "critical")
        ]
        assert serious == [], url
    context.close()
