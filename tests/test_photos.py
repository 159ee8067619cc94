import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from articles.models import Article, Photo
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


# One photo per picture (#16)

WXR = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/"><channel>
<link>https://site.example</link><wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>https://site.example</wp:base_site_url>
{items}</channel></rss>"""


def wxr_post(post_id, thumbnail):
    return (
        f"<item><title>Story {post_id}</title><content:encoded><![CDATA[<p>Text.</p>]]></content:encoded>"
        f"<wp:post_id>{post_id}</wp:post_id><wp:post_date_gmt>2024-01-0{post_id % 9 + 1} 10:00:00"
        f"</wp:post_date_gmt><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>"
        f"<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value>{thumbnail}</wp:meta_value>"
        "</wp:postmeta></item>\n"
    )


def wxr_attachment(post_id, file):
    return (
        f"<item><title>{file}</title><wp:post_id>{post_id}</wp:post_id><wp:post_type>attachment</wp:post_type>"
        f"<wp:attachment_url>https://site.example/uploads/{file}</wp:attachment_url>"
        f"<wp:postmeta><wp:meta_key>_wp_attached_file</wp:meta_key><wp:meta_value>{file}</wp:meta_value>"
        "</wp:postmeta></item>\n"
    )


def import_file(path, *args):
    from django.core.management import call_command

    out = io.StringIO()
    call_command("import_articles", str(path), *args, stdout=out, stderr=out)
    return out.getvalue()


def test_stories_sharing_an_attachment_share_one_photo_across_reimports(tmp_path):
    media = tmp_path / "media"
    media.mkdir()
    (media / "harbour.jpg").write_bytes(image_bytes((900, 600)))
    items = wxr_attachment(100, "harbour.jpg") + "".join(wxr_post(n, 100) for n in range(1, 6))
    data = tmp_path / "export.xml"
    data.write_text(WXR.format(items=items))
    assert "imported 5," in import_file(data, "--media-dir", str(media))
    photo = Photo.objects.get()
    assert photo.source_key == "wxr:https://site.example:100"
    assert len(photo.sha256) == 64 and photo.image
    assert {a.lead_photo_id for a in Article.objects.all()} == {photo.pk}
    # a re-import with --update, and another export naming the same file otherwise, reuse it
    assert "unchanged 5," in import_file(data, "--media-dir", str(media), "--update")
    (media / "copy.jpg").write_bytes((media / "harbour.jpg").read_bytes())
    other = tmp_path / "other.xml"
    other.write_text(WXR.format(items=wxr_attachment(7, "copy.jpg") + wxr_post(8, 7)).replace("site.", "b."))
    assert "imported 1," in import_file(other, "--media-dir", str(media))
    assert Photo.objects.count() == 1
    assert Article.objects.filter(lead_photo=photo).count() == 6


def test_stories_naming_the_same_address_share_one_photo_without_files(tmp_path):
    lead = {"url": "https://cdn.example/p/1.jpg", "caption": "Boats", "credit": "Photo: X"}
    lines = [
        {"id": str(n), "source": "s", "headline": f"H{n}", "body": "<p>T</p>", "lead_photo": lead}
        for n in range(3)
    ]
    data = tmp_path / "a.jsonl"
    data.write_text("".join(json.dumps(line) + "\n" for line in lines))
    import_file(data)
    photo = Photo.objects.get()
    assert (photo.source_key, photo.caption, photo.image.name) == ("https://cdn.example/p/1.jpg", "Boats", "")


def test_renditions_are_made_once_per_photo_whatever_uses_it(tmp_path, monkeypatch):
    from articles import photos

    calls = []
    real = photos.make_renditions
    monkeypatch.setattr(photos, "make_renditions", lambda *a, **k: calls.append(a) or real(*a, **k))
    media = tmp_path / "media"
    media.mkdir()
    (media / "a.jpg").write_bytes(image_bytes((700, 500)))
    items = wxr_attachment(50, "a.jpg") + "".join(wxr_post(n, 50) for n in range(1, 9))
    data = tmp_path / "export.xml"
    data.write_text(WXR.format(items=items))
    import_file(data, "--media-dir", str(media))
    import_file(data, "--media-dir", str(media), "--update")
    photo = Photo.objects.get()
    photo.caption = "Edited"
    photo.save()
    assert len(calls) == 1
    assert photo.renditions_ready and Photo.objects.get().renditions_of("1:1")


def test_the_same_file_uploaded_twice_is_one_photo_and_the_form_links_it(staff_client):
    content = image_bytes((800, 500))
    assert upload(staff_client, content, "first.jpg").status_code == 302
    photo = Photo.objects.get()
    response = upload(staff_client, content, "again.jpg")
    html = response.content.decode()
    assert response.status_code == 200
    assert "This file is already in the library" in html
    assert f'href="{reverse("admin:articles_photo_change", args=[photo.pk])}"' in html
    assert Photo.objects.count() == 1


# Focal points and crops (#14)

RED = (255, 0, 0)


def dotted_image(size, dot, radius=10):
    """A white picture with a red dot at `dot`."""
    from PIL import ImageDraw

    image = Image.new("RGB", size, "white")
    x, y = dot
    ImageDraw.Draw(image).ellipse((x - radius, y - radius, x + radius, y + radius), fill=RED)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def red_centre(photo, rendition):
    """Where the red dot is in a rendition (None if it was cropped away)."""
    with photo.image.storage.open(rendition["jpeg"]) as f, Image.open(f) as im:
        im = im.convert("RGB")
        points = [
            (x, y)
            for y in range(im.height)
            for x in range(im.width)
            if (p := im.getpixel((x, y)))[0] > 200 and p[1] < 80 and p[2] < 80
        ]
    if not points:
        return None
    return (sum(x for x, _ in points) / len(points), sum(y for _, y in points) / len(points))


def photo_with_dot(focal):
    from django.core.files.uploadedfile import SimpleUploadedFile as Upload

    photo = Photo(image=Upload("dot.png", dotted_image((1600, 900), (1300, 250))), alt_text="Dot")
    photo.focal_x, photo.focal_y = focal
    photo.save()
    return Photo.objects.get(pk=photo.pk)


@pytest.mark.parametrize(
    ("ratio", "size", "where"),
    [
        # 1600×900 is 16:9 already: the whole picture, 1200 px wide, the dot scaled by 0.75
        ("16:9", (1200, 675), (975, 187.5)),
        # 4:3 is 1200×900 of it; centred on x=1300 it would pass the right edge, so it ends there
        ("4:3", (1200, 900), (900, 250)),
        # 1:1 is 900×900, its left edge at 700: the dot 600 px in
        ("1:1", (900, 900), (600, 250)),
    ],
)
def test_crops_keep_the_focal_point_in_view(ratio, size, where):
    photo = photo_with_dot((1300 / 1600, 250 / 900))
    widest = photo.renditions_of(ratio)[-1]
    assert (widest["width"], widest["height"]) == size
    found = red_centre(photo, widest)
    assert found is not None
    assert abs(found[0] - where[0]) <= 2 and abs(found[1] - where[1]) <= 2


def test_without_a_focal_point_a_square_crop_is_centred_and_loses_the_dot():
    photo = photo_with_dot((None, None))
    assert red_centre(photo, photo.renditions_of("1:1")[-1]) is None


def test_a_new_focal_point_makes_new_crops_and_pages_use_the_original_meanwhile(client, settings):
    photo = photo_with_dot((None, None))
    story = make_article("Dot", lead_photo=photo)
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}  # nothing runs
    photo.focal_x, photo.focal_y = 0.8, 0.3
    photo.save()
    html = client.get(story.get_absolute_url()).content.decode()
    assert f'src="{photo.image.url}"' in html and "srcset" not in html
    from articles.tasks import make_renditions

    make_renditions.call(photo.pk)
    photo.refresh_from_db()
    assert red_centre(photo, photo.renditions_of("1:1")[-1]) is not None


def test_og_image_is_the_16_9_crop_1200_wide(client):
    photo = photo_with_dot((0.5, 0.5))
    story = make_article("Social", lead_photo=photo)
    html = client.get(story.get_absolute_url()).content.decode()
    card = photo.rendition("16:9", 1200)
    assert (
        f'<meta property="og:image" content="http://testserver{photo.image.storage.url(card["jpeg"])}">'
        in html
    )
    assert '<meta property="og:image:width" content="1200">' in html
    assert '<meta property="og:image:height" content="675">' in html


def test_picture_include_takes_a_ratio(client):
    from django.template import Context, Template

    photo = photo_with_dot((0.5, 0.5))
    html = Template(
        '{% include "includes/picture.html" with photo=photo sizes="50vw" alt="x" ratio="1:1" %}'
    ).render(Context({"photo": photo}))
    assert "-1x1-480.webp 480w" in html and 'width="900" height="900"' in html
    plain = Template('{% include "includes/picture.html" with photo=photo sizes="50vw" alt="x" %}').render(
        Context({"photo": photo})
    )
    assert "-1x1-" not in plain and 'width="1600" height="900"' in plain
