"""The photo library in the admin (#15): uploads answering JSON, duplicates, texts edited in place, focal
points, filters, the story form's chooser, and the writer/editor rules on all of it."""

import io

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from articles import roles
from articles.models import Photo
from articles.photo_admin import PhotoChooserWidget
from tests.conftest import make_article, make_photo, make_section, make_user
from tests.test_workflow import login

pytestmark = pytest.mark.django_db

UPLOAD = reverse("admin:articles_photo_upload")
CHOOSE = reverse("admin:articles_photo_choose")
LIBRARY = reverse("admin:articles_photo_changelist")


def jpeg(size=(640, 480), colour="#557799"):
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG")
    return out.getvalue()


def text_url(photo):
    return reverse("admin:articles_photo_text", args=[photo.pk])


@pytest.fixture
def newsroom():
    make_section("News")
    return {
        "writer": login(make_user("wendy", roles.WRITER)),
        "other": make_user("walt", roles.WRITER),
        "editor": login(make_user("eddie", roles.EDITOR)),
    }


def test_each_upload_answers_json_at_once_and_a_second_copy_points_at_the_first(newsroom):
    writer = newsroom["writer"]
    first = writer.post(UPLOAD, {"image": SimpleUploadedFile("boats.jpg", jpeg())})
    assert first.status_code == 201
    photo = Photo.objects.get()
    assert first.json()["url"] == reverse("admin:articles_photo_change", args=[photo.pk])
    again = writer.post(UPLOAD, {"image": SimpleUploadedFile("boats-copy.jpg", jpeg())})
    assert again.status_code == 200
    assert again.json()["duplicate"] is True and again.json()["id"] == photo.pk
    assert Photo.objects.count() == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.4", "notes.pdf: The file is not an image we publish"),
        (b"", "notes.pdf: The file is empty."),
    ],
)
def test_a_bad_upload_answers_400_naming_the_file(newsroom, content, message):
    response = newsroom["editor"].post(UPLOAD, {"image": SimpleUploadedFile("notes.pdf", content)})
    assert response.status_code == 400
    assert response.json()["error"].startswith(message)
    assert not Photo.objects.exists()


def test_upload_needs_a_logged_in_colleague(client):
    response = client.post(UPLOAD, {"image": SimpleUploadedFile("a.jpg", jpeg())})
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not Photo.objects.exists()


def test_an_editor_edits_caption_credit_and_alt_text_in_place(newsroom):
    photo = make_photo()
    make_article("Live", lead_photo=photo)
    for field, value in (("caption", "Boats at dawn"), ("credit", "Photo: Ana"), ("alt_text", "Three boats")):
        response = newsroom["editor"].post(text_url(photo), {"field": field, "value": f"  {value} "})
        assert response.status_code == 200 and response.json()["value"] == value
    photo.refresh_from_db()
    assert (photo.caption, photo.credit, photo.alt_text) == ("Boats at dawn", "Photo: Ana", "Three boats")


def test_in_place_edits_refuse_other_fields_and_long_texts_with_a_message(newsroom):
    photo = make_photo(caption="Kept")
    editor = newsroom["editor"]
    response = editor.post(text_url(photo), {"field": "source_key", "value": "x"})
    assert response.status_code == 400 and response.json()["error"] == "source_key cannot be edited here."
    response = editor.post(text_url(photo), {"field": "caption", "value": "x" * 501})
    assert response.status_code == 400
    assert response.json()["error"].startswith("Caption: Ensure this value has at most 500 characters")
    assert Photo.objects.get().caption == "Kept"


def test_a_writer_edits_in_place_only_photos_the_rules_let_them_change(newsroom):
    live, unused = make_photo(caption="Live"), make_photo(caption="Unused")
    make_article("Live", lead_photo=live)
    writer = newsroom["writer"]
    refused = writer.post(text_url(live), {"field": "caption", "value": "Defaced"})
    assert refused.status_code == 403 and refused.json()["error"] == "You may not change this photo."
    assert writer.post(text_url(unused), {"field": "caption", "value": "Mine now"}).status_code == 200
    assert Photo.objects.get(pk=live.pk).caption == "Live"
    # the grid offers fields only where they would be accepted
    page = writer.get(LIBRARY).content.decode()
    assert f'data-text-url="{text_url(unused)}"' in page
    assert page.count('data-field="caption"') == 1


def test_the_library_filters_by_use_alt_text_and_source(newsroom):
    used = make_photo(caption="Used one", alt_text="Boats")
    make_article("Live", lead_photo=used)
    make_photo(caption="Lonely one", alt_text="")
    make_photo(caption="Imported one", alt_text="Gulls", source_key="wxr:https://site:9")

    def shown(query):
        page = newsroom["editor"].get(LIBRARY + query).content.decode()
        return {c for c in ("Used one", "Lonely one", "Imported one") if c in page}

    assert shown("") == {"Used one", "Lonely one", "Imported one"}
    assert shown("?used=no") == {"Lonely one", "Imported one"}
    assert shown("?used=yes") == {"Used one"}
    assert shown("?alt=no") == {"Lonely one"}
    assert shown("?source=import") == {"Imported one"}
    assert shown("?q=gulls") == {"Imported one"}


def test_a_focal_point_outside_the_photo_is_refused_with_a_clear_message(newsroom):
    photo = Photo(image=SimpleUploadedFile("a.jpg", jpeg()), caption="C", alt_text="A")
    photo.save()
    url = reverse("admin:articles_photo_change", args=[photo.pk])
    data = {"caption": "C", "credit": "", "alt_text": "A", "focal_x": "1.4", "focal_y": "0.5"}
    page = newsroom["editor"].post(url, data)
    assert page.status_code == 200
    assert "The focal point must lie inside the photo: 1.4 across is outside" in page.content.decode()
    saved = newsroom["editor"].post(url, {**data, "focal_x": "0.25"})
    assert saved.status_code == 302
    photo.refresh_from_db()
    assert (photo.focal_x, photo.focal_y) == (0.25, 0.5)
    assert photo.renditions_for.endswith("@0.2500,0.5000") and photo.renditions_ready  # re-cropped


def test_the_photo_form_has_the_focal_picker_and_its_script(newsroom):
    photo = Photo(image=SimpleUploadedFile("a.jpg", jpeg()), alt_text="A")
    photo.save()
    page = newsroom["editor"].get(reverse("admin:articles_photo_change", args=[photo.pk])).content.decode()
    assert 'class="focal-picker" tabindex="0"' in page
    assert "js/photo-admin.js" in page and 'data-focal="x"' in page


def test_the_chooser_lists_photos_with_files_newest_first_and_searches(newsroom):
    older = Photo(image=SimpleUploadedFile("a.jpg", jpeg(colour="red")), caption="Harbour at dawn")
    older.save()
    newer = Photo(image=SimpleUploadedFile("b.jpg", jpeg(colour="blue")), caption="Council vote")
    newer.save()
    make_photo(caption="No file")
    results = newsroom["writer"].get(CHOOSE).json()["results"]
    assert [r["id"] for r in results] == [newer.pk, older.pk]
    assert [r["label"] for r in newsroom["writer"].get(CHOOSE, {"q": "harbour"}).json()["results"]] == [
        "Harbour at dawn"
    ]


def test_the_chooser_widget_renders_the_chosen_photo_and_posts_its_id():
    photo = Photo(image=SimpleUploadedFile("a.jpg", jpeg()), caption="Harbour", alt_text="Boats")
    photo.save()

    class StoryForm(forms.Form):
        lead_photo = forms.ModelChoiceField(Photo.objects.all(), required=False, widget=PhotoChooserWidget())

    html = str(StoryForm(initial={"lead_photo": photo.pk})["lead_photo"])
    assert f'type="hidden" name="lead_photo" value="{photo.pk}"' in html
    assert 'alt="Boats"' in html and f'data-choose-url="{CHOOSE}"' in html
    assert StoryForm({"lead_photo": str(photo.pk)}).is_valid()
