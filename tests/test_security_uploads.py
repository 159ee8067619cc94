"""Review finding 7: photos are images we publish, by content; a failure is a form error, leaving no file."""

import io
import json
from pathlib import Path
from unittest.mock import patch

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from PIL import EpsImagePlugin, Image

from articles import roles
from articles.models import Article, Photo
from tests.conftest import make_article

pytestmark = pytest.mark.django_db

ADD_PHOTO = reverse("admin:articles_photo_add")


def encode(size, fmt, mode="RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, 0).save(out, fmt)
    return out.getvalue()


def truncated_jpeg() -> bytes:
    whole = encode((1200, 800), "JPEG")
    return whole[: len(whole) // 2]


def media_files(settings) -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


@pytest.fixture
def editor_client():
    user = User.objects.create_user("eddie", "eddie@example.com", "pw", is_staff=True)
    user.groups.add(Group.objects.get(name=roles.EDITOR))
    browser = Client()
    browser.force_login(user)
    return browser


def upload(browser, content: bytes, name: str):
    data = {
        "image": SimpleUploadedFile(name, content),
        "caption": "Chart",
        "credit": "Graphic: X",
        "alt_text": "A",
    }
    return browser.post(ADD_PHOTO, data)


BAD_FILES = pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        pytest.param(
            encode((1, 39_000_000), "PNG", "L"),
            "strip.png",
            "The image is 1×39000000 pixels; a side may be at most 30,000 pixels.",
            id="1x39000000",
        ),
        pytest.param(
            encode((100_000, 100), "PNG", "L"),
            "banner.png",
            "The image is 100000×100 pixels; a side may be at most 30,000 pixels.",
            id="100000x100",
        ),
        pytest.param(
            encode((20_000, 100), "PNG", "L"),
            "ribbon.png",
            "The image is 20000×100 pixels; one side may be at most 50 times the other.",
            id="ratio-200",
        ),
        pytest.param(
            truncated_jpeg(),
            "cut.jpg",
            "The image is damaged or cut short: image file is truncated",
            id="truncated-jpeg",
        ),
        pytest.param(encode((10, 10), "EPS"), "figure.eps", "not an image we publish", id="eps"),
        pytest.param(encode((10, 10), "EPS"), "photo.jpg", "not an image we publish", id="eps-named-jpg"),
        pytest.param(encode((10, 10), "PDF"), "page.pdf", "not an image we publish", id="pdf"),
        pytest.param(encode((10, 10), "PDF"), "photo.png", "not an image we publish", id="pdf-named-png"),
    ],
)


@BAD_FILES
def test_bad_upload_is_a_form_error_and_leaves_no_file(editor_client, settings, content, name, message):
    before = media_files(settings)
    response = upload(editor_client, content, name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Photo.objects.exists()
    assert media_files(settings) == before


@BAD_FILES
def test_bad_drag_and_drop_upload_answers_400_and_leaves_no_file(
    editor_client, settings, content, name, message
):
    """The library's upload (one file per POST, JSON) refuses the same files in the same words."""
    before = media_files(settings)
    upload_url = reverse("admin:articles_photo_upload")
    with patch.object(EpsImagePlugin.EpsImageFile, "_open", autospec=True) as eps_open:
        response = editor_client.post(upload_url, {"image": SimpleUploadedFile(name, content)})
    assert not eps_open.called
    assert response.status_code == 400
    assert response.json()["error"].startswith(f"{name}: ") and message in response.json()["error"]
    assert not Photo.objects.exists()
    assert media_files(settings) == before


@pytest.mark.parametrize(
    ("fmt", "extension"),
    [("JPEG", "jpg"), ("PNG", "png"), ("WEBP", "webp"), ("GIF", "gif"), ("AVIF", "avif")],
)
def test_every_format_we_publish_is_accepted_with_renditions(editor_client, fmt, extension):
    assert upload(editor_client, encode((900, 600), fmt), f"photo.{extension}").status_code == 302
    photo = Photo.objects.get()
    assert Path(photo.image.name).suffix == f".{extension}"  # the name may have a suffix against clashes
    assert [(r["width"], bool(r["jpeg"]), bool(r["webp"])) for r in photo.renditions_of("")] == [
        (480, True, True),
        (800, True, True),
        (900, True, True),
    ]


def test_postscript_never_reaches_pillows_eps_plugin(editor_client, tmp_path):
    """The EPS plugin is where Ghostscript runs: it must not even read the header of an upload or import."""
    eps = encode((10, 10), "EPS")
    media = tmp_path / "media"
    media.mkdir()
    (media / "photo.jpg").write_bytes(eps)
    data = tmp_path / "a.jsonl"
    data.write_text(
        json.dumps({"id": "1", "source": "s", "headline": "H", "lead_photo": {"file": "photo.jpg"}})
    )
    with patch.object(EpsImagePlugin.EpsImageFile, "_open", autospec=True) as eps_open:
        upload(editor_client, eps, "photo.jpg")
        call_command("import_articles", str(data), "--media-dir", str(media), stdout=io.StringIO())
    assert eps_open.call_count == 0


def test_tall_infographic_gets_jpeg_renditions_and_its_page_works(editor_client, client):
    """800×20000: WebP stops at 16383 px a side, so the photo gets JPEG copies only, at every width."""
    response = upload(editor_client, encode((800, 20_000), "PNG", "L"), "infographic.png")
    assert response.status_code == 302
    photo = Photo.objects.get()
    assert [(r["width"], r["height"]) for r in photo.renditions_of("")] == [(480, 12000), (800, 20000)]
    assert not any("webp" in r for r in photo.renditions)
    for rendition in photo.renditions:
        with default_storage.open(rendition["jpeg"]) as f, Image.open(f) as im:
            assert (im.format, im.size) == ("JPEG", (rendition["width"], rendition["height"]))
    page = client.get(make_article("Charted", lead_photo=photo).get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    assert "-480.jpg 480w" in html and "-800.jpg 800w" in html
    assert 'type="image/webp"' not in html  # no empty WebP source for browsers to stumble on


def test_file_is_stored_under_the_extension_of_its_content(editor_client):
    assert upload(editor_client, encode((600, 400), "PNG"), "chart.jpg").status_code == 302
    photo = Photo.objects.get()
    stored = Path(photo.image.name)
    assert stored.stem.startswith("chart") and stored.suffix == ".png"
    with photo.image.open("rb") as f, Image.open(f) as im:
        assert im.format == "PNG"


def test_failing_renditions_leave_no_copies_and_the_original_in_use(settings, client):
    """The disk fills after the first copies were written (in the background task): those go; the photo and
    its original stay, and pages show the original."""
    before = media_files(settings)
    real_save = default_storage.save

    def save(name, content, **kwargs):
        if "-800." in name:
            raise OSError("No space left on device")
        return real_save(name, content, **kwargs)

    photo = Photo(caption="Harbour", image=SimpleUploadedFile("harbour.jpg", encode((1000, 600), "JPEG")))
    with patch.object(default_storage, "save", side_effect=save):
        photo.save()  # the immediate test backend runs the task here; its failure is logged, not raised
    photo.refresh_from_db()
    assert photo.renditions == [] and not photo.renditions_ready
    assert media_files(settings) == before | {photo.image.name}
    html = client.get(make_article("Harbour", lead_photo=photo).get_absolute_url()).content.decode()
    assert f'src="{photo.image.url}"' in html and "srcset" not in html


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            truncated_jpeg(),
            "The image is damaged or cut short: image file is truncated",
        ),
        (encode((10, 10), "EPS"), "The file is not an image we publish (use JPEG, PNG, WebP, GIF or AVIF)"),
        (
            encode((1, 39_000_000), "PNG", "L"),
            "The image is 1×39000000 pixels; a side may be at most 30,000 pixels",
        ),
    ],
    ids=["truncated-jpeg", "eps", "1x39000000"],
)
def test_importer_keeps_the_story_and_refuses_a_bad_photo_file(tmp_path, settings, content, message):
    media = tmp_path / "media"
    media.mkdir()
    (media / "photo.jpg").write_bytes(content)
    data = tmp_path / "a.jsonl"
    lead_photo = {"file": "photo.jpg", "caption": "Boats", "credit": "Photo: X"}
    data.write_text(json.dumps({"id": "1", "source": "s", "headline": "H", "lead_photo": lead_photo}))
    before, out = media_files(settings), io.StringIO()
    call_command("import_articles", str(data), "--media-dir", str(media), stdout=out)
    assert "imported 1, updated 0, unchanged 0, skipped 0, failed 0" in out.getvalue()
    assert f"(id 1): lead photo file photo.jpg refused: {message}" in out.getvalue()
    assert out.getvalue().count("; caption and credit kept\n") == 1
    photo = Article.objects.get(external_id="1").lead_photo
    assert (photo.caption, photo.credit, photo.image.name) == ("Boats", "Photo: X", "")
    assert media_files(settings) == before
