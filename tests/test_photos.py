import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from articles.models import Photo
from tests.conftest import make_article

pytestmark = pytest.mark.django_db

ADD_PHOTO = reverse("admin:articles_photo_add")


def image_bytes(size=(1000, 600), mode="RGB", fmt="JPEG"):
    out = io.BytesIO()
    Image.new(mode, size, "#557799" if mode == "RGB" else 0).save(out, fmt)
    return out.getvalue()


def upload(staff_client, content, name="photo.jpg"):
    data = {
        "image": SimpleUploadedFile(name, content),
        "caption": "Harbour",
        "credit": "Photo: X",
        "alt_text": "A",
    }
    return staff_client.post(ADD_PHOTO, data)


def test_upload_makes_jpeg_and_webp_renditions_used_in_srcset(staff_client, client):
    assert upload(staff_client, image_bytes((1000, 600))).status_code == 302
    photo = Photo.objects.get()
    assert (photo.width, photo.height) == (1000, 600)
    assert [r["width"] for r in photo.renditions_of("")] == [480, 800, 1000]
    for rendition in photo.renditions:
        for kind, pil_format in (("jpeg", "JPEG"), ("webp", "WEBP")):
            with photo.image.storage.open(rendition[kind]) as f, Image.open(f) as im:
                assert (im.format, im.width) == (pil_format, rendition["width"])
    story = make_article("Pictured", lead_photo=photo)
    html = client.get(story.get_absolute_url()).content.decode()
    assert '<source type="image/webp" srcset="' in html and "480w" in html and "1000w" in html
    assert 'alt="A"' in html


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"%PDF-1.4 not an image", "photo.jpg", "The file is not an image we publish"),
        (b"", "empty.jpg", "The file is empty."),
        (
            image_bytes((10000, 5000), mode="1", fmt="PNG"),
            "bomb.png",
            "(50 megapixels); the limit is 40 megapixels",
        ),
    ],
)
def test_bad_uploads_are_refused_with_a_clear_message(staff_client, content, name, message):
    response = upload(staff_client, content, name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Photo.objects.exists()


def test_files_over_the_size_limit_are_refused(staff_client, settings):
    settings.MAX_UPLOAD_BYTES = 10_000
    response = upload(staff_client, image_bytes((2000, 2000)) + b"\0" * 20_000)
    assert "photos may be at most 9.8\xa0KB" in response.content.decode()
    assert not Photo.objects.exists()


def test_photo_without_a_file_keeps_its_credit(client):
    photo = Photo.objects.create(caption="Soon", credit="Photo: Agency")
    assert photo.renditions == []
    story = make_article("Credit only", lead_photo=photo)
    assert (
        '<span class="credit">Photo: Agency</span>' in client.get(story.get_absolute_url()).content.decode()
    )
