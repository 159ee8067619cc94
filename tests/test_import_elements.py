"""Importers map what they meet to the body's elements (articles/importers/elements.py, #14)."""

from datetime import UTC, datetime
from io import BytesIO

import pytest
from PIL import Image

from articles import body as story_body
from articles.importers import wordpress
from articles.importers.load import Loader
from articles.importers.records import ArticleRecord
from articles.models import Article, Photo

VIDEO = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


def test_wordpress_embeds_shortcodes_bare_lines_and_blocks_become_embed_elements():
    content = (
        "Intro line.\n\n"
        f"{VIDEO}\n\n"
        "[embed]http://vimeo.com/76979871[/embed]\n\n"
        "[youtube https://youtu.be/abc123]\n\n"
        '<!-- wp:embed {"url":"https://open.spotify.com/episode/4rOoJ6Egrf8K2IrywzwOMk","type":"rich",'
        '"providerNameSlug":"spotify"} -->\n<figure class="wp-block-embed is-provider-spotify">'
        '<div class="wp-block-embed__wrapper">\nhttps://open.spotify.com/episode/4rOoJ6Egrf8K2IrywzwOMk\n'
        "</div></figure>\n<!-- /wp:embed -->\n\n"
        "https://example.com/not-a-provider\nText after."
    )
    html, warnings = wordpress.render(content)
    assert html == (
        "<p>Intro line.</p>\n"
        f'<figure data-embed="{VIDEO}"></figure>\n'
        '<figure data-embed="https://vimeo.com/76979871"></figure>\n'
        '<figure data-embed="https://youtu.be/abc123"></figure>\n'
        '<figure data-embed="https://open.spotify.com/episode/4rOoJ6Egrf8K2IrywzwOMk"></figure>\n'
        "<p>https://example.com/not-a-provider<br>\nText after.</p>"
    )
    assert warnings == []


@pytest.mark.django_db
def test_an_imported_embed_not_fetched_yet_is_a_placeholder_with_a_link_and_no_frame():
    rendered = story_body.render(f'<figure data-embed="{VIDEO}"></figure>')
    assert "Open on YouTube" in rendered.html and "embed-load" not in rendered.html
    assert rendered.frame_sources == []


def jpeg_file(path, colour="teal"):
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = BytesIO()
    Image.new("RGB", (64, 48), colour).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())


GUTENBERG = (
    "<!-- wp:paragraph --><p>Intro.</p><!-- /wp:paragraph -->\n"
    '<!-- wp:image {"id":11} --><figure class="wp-block-image size-large">'
    '<img src="https://old.example/wp-content/uploads/2020/01/bridge.jpg" alt="The bridge">'
    '<figcaption class="wp-element-caption">The bridge at <em>dawn</em></figcaption></figure>'
    "<!-- /wp:image -->\n"
    '<!-- wp:gallery {"linkTo":"none"} --><figure class="wp-block-gallery has-nested-images">'
    '<!-- wp:image {"id":12} --><figure class="wp-block-image"><img src="https://old.example/wp-content/uploads/'
    '2020/01/a.jpg" alt="A"/></figure><!-- /wp:image -->'
    '<!-- wp:image {"id":13} --><figure class="wp-block-image"><img src="https://old.example/wp-content/uploads/'
    '2020/01/b.jpg" alt="B"/><figcaption>Second</figcaption></figure><!-- /wp:image -->'
    '<figcaption class="blocks-gallery-caption">Opening day</figcaption></figure><!-- /wp:gallery -->\n'
    '<!-- wp:image --><figure class="wp-block-image"><img src="https://old.example/missing.jpg" alt="M"/>'
    "</figure><!-- /wp:image -->"
)


@pytest.mark.django_db
def test_imported_figures_and_galleries_with_files_become_library_photos_once(tmp_path):
    for name, colour in (("bridge", "teal"), ("a", "orange"), ("b", "navy")):
        jpeg_file(tmp_path / "2020" / "01" / f"{name}.jpg", colour)
    record = ArticleRecord(
        source="wxr",
        external_id="https://old.example/?p=9",
        headline="Bridge",
        body=GUTENBERG,
        status="published",
        published_at=datetime(2024, 1, 7, tzinfo=UTC),
        section="News",
    )
    outcome = Loader(media_dir=tmp_path).load(record)
    assert outcome.result == "imported", outcome.error
    photos = {photo.alt_text: photo for photo in Photo.objects.all()}
    assert set(photos) == {"The bridge", "A", "B"}
    assert photos["The bridge"].caption == "The bridge at dawn" and photos["B"].caption == "Second"
    body = Article.objects.get().body
    assert f'<figure data-photo="{photos["The bridge"].pk}"></figure>' in body
    assert (
        f'<figure data-gallery="{photos["A"].pk} {photos["B"].pk}" data-caption="Opening day"></figure>'
        in body
    )
    assert "missing.jpg" not in body  # no file: removed by the sanitizer, and said so
    assert any("missing.jpg" in warning for warning in outcome.warnings)

    again = Loader(media_dir=tmp_path, update=True).load(
        ArticleRecord(**{**record.__dict__, "body": GUTENBERG, "warnings": []})
    )
    assert again.result == "unchanged", again.error
    assert Photo.objects.count() == 3


@pytest.mark.django_db
def test_a_ninjs_export_imports_its_body_photos_with_their_credits(tmp_path):
    import io

    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command

    from tests.conftest import make_article

    def upload(n):
        buffer = BytesIO()
        Image.new("RGB", (64, 48), (n * 90 % 256, 128, 128)).save(buffer, "JPEG")  # one photo per picture
        image = SimpleUploadedFile(f"n{n}.jpg", buffer.getvalue(), content_type="image/jpeg")
        return Photo.objects.create(
            image=image, caption=f"Caption {n}", credit=f"Photo: P{n}", alt_text=f"Alt {n}"
        )

    lead, inline = upload(0), upload(1)
    make_article("Ninjs story", lead_photo=lead, body=f'<p>x</p><figure data-photo="{inline.pk}"></figure>')
    path = tmp_path / "stories.ninjs"
    command = ["export_articles", "--format", "ninjs", "--base-url", "https://paper.example"]
    call_command(*command, "--output", str(path), stderr=io.StringIO())
    Article.objects.all().delete()
    Photo.objects.all().delete()
    out = io.StringIO()
    call_command("import_articles", str(path), "--media-dir", str(settings.MEDIA_ROOT), stdout=out)
    assert "imported 1" in out.getvalue()
    imported = Photo.objects.get(credit="Photo: P1")
    assert (imported.caption, imported.alt_text) == ("Caption 1", "Alt 1")
    assert f'<figure data-photo="{imported.pk}"></figure>' in Article.objects.get().body


@pytest.mark.django_db
def test_wordpress_gallery_shortcodes_become_galleries_of_library_photos(tmp_path):
    import io
    import json

    from django.core.management import call_command

    from tests.conftest import SHARED_FIXTURES

    export = SHARED_FIXTURES / "real" / "wxr" / "themeunittestdata.wordpress.xml"
    uploads = tmp_path / "uploads"  # a copy of wp-content/uploads with two of the gallery's pictures
    jpeg_file(uploads / "2008" / "06" / "100_5540.jpg", "teal")  # attachment 755
    jpeg_file(uploads / "2008" / "06" / "dcp_2082.jpg", "orange")  # attachment 757
    report = tmp_path / "report.json"
    out = io.StringIO()
    command = ["import_articles", str(export), "--media-dir", str(uploads), "--report", str(report)]
    call_command(*command, stdout=out)
    bridge, boardwalk = (
        Photo.objects.get(caption="Golden Gate Bridge"),
        Photo.objects.get(alt_text="Boardwalk"),
    )
    assert bridge.image and boardwalk.image  # a post's [caption] showed the bridge first: the same photo
    site = "https://wpthemetestdata.wordpress.com/?p="
    tiled = Article.objects.get(external_id=site + "1031")
    gallery = f'<figure data-gallery="{bridge.pk} {boardwalk.pk}"></figure>'
    assert gallery in tiled.body
    assert Article.objects.get(external_id=site + "555").body.count(gallery) == 10
    assert (
        Photo.objects.exclude(image="").count() == 2
    )  # one photo per picture: two stories, eleven galleries
    # and six featured images whose files are not there, kept with their texts as before
    assert "photos added 8, renditions queued 2\n" in out.getvalue()
    shown = story_body.render(tiled.body).html
    assert shown.count("<figure") == 3 and "Golden Gate Bridge" in shown  # the gallery and its two photos

    warnings = {
        entry["external_id"]: entry["warnings"] for entry in json.loads(report.read_text())["stories"]
    }
    assert warnings[site + "1031"] == [
        "gallery: attachment 763 is not in the export; left out of the story",
        f"attachment 758 file dsc03149.jpg not in --media-dir {uploads}; left out of the story",
        f"attachment 760 file dsc09114.jpg not in --media-dir {uploads}; left out of the story",
        f"attachment 766 file michelle_049.jpg not in --media-dir {uploads}; left out of the story",
    ]

    again = io.StringIO()
    call_command(*command[:4], "--update", stdout=again)
    assert "updated 0" in again.getvalue() and "photos added" not in again.getvalue()
    assert Photo.objects.exclude(image="").count() == 2


@pytest.mark.django_db
def test_ninjs_associations_and_feed_pictures_beyond_the_lead_become_library_photos(tmp_path):
    import io

    from django.core.management import call_command

    from tests.conftest import SHARED_FIXTURES
    from tests.test_import_feed import MEDIA_GROUPS

    multimedia = SHARED_FIXTURES / "real" / "ninjs" / "doc-examples" / "3.1" / "007_multimedia.json"
    portrait_file = "2643c588-dc8d-4923-bebd-e3b904xyz000-big.jpg"  # the portrait's largest rendition
    out = io.StringIO()
    call_command("import_articles", str(multimedia), stdout=out)  # no --media-dir: said, and left out
    story = Article.objects.get()
    assert "data-photo" not in story.body
    assert f"association portrait file {portrait_file} not imported (no --media-dir)" in out.getvalue()

    media = tmp_path / "media"
    jpeg_file(media / portrait_file, "maroon")
    jpeg_file(media / "b-1200.jpg", "olive")
    groups = tmp_path / "groups.rss"
    groups.write_bytes(MEDIA_GROUPS)
    out = io.StringIO()
    call_command(
        "import_articles", str(multimedia), str(groups), "--media-dir", str(media), "--update", stdout=out
    )
    portrait = Photo.objects.get(credit="Paulo Santalucia", image__endswith=".jpg")
    assert portrait.source_key == "ninjs:http://ninjs.example.com/newsitems/20130709simpPh456"
    story.refresh_from_db()
    assert story.body.endswith(f'<figure data-photo="{portrait.pk}"></figure>')
    assert (
        story.lead_photo.credit == "Paulo Santalucia" and not story.lead_photo.image
    )  # mainpic's file is not there

    harbour = Article.objects.get(external_id="urn:1")
    quay = Photo.objects.get(caption="The quay")
    assert harbour.body.endswith(
        f'<figure data-gallery="{quay.pk}"></figure>'
    )  # c.jpg and d.png are not there
    assert "picture https://pics.example/d.png file d.png not in --media-dir" in out.getvalue()
    assert story_body.render(harbour.body).html.count("<img") >= 1


@pytest.mark.django_db
def test_an_exported_photo_number_without_its_file_is_left_out_not_kept_pointing_at_another_photo(tmp_path):
    import json

    from articles.importers import jsonl

    stranger = Photo.objects.create(caption="Somebody else's photo")  # whatever photo has a number here
    jpeg_file(tmp_path / "here.jpg", "olive")
    line = {
        "id": "1",
        "headline": "Numbers",
        "body": f'<p>x</p><figure data-photo="{stranger.pk}"></figure>'
        f'<figure data-gallery="{stranger.pk} 9001"></figure>',
        "body_photos": {
            str(stranger.pk): {"caption": "Gone", "file": "gone.jpg"},
            "9001": {"caption": "Here", "file": "here.jpg"},
        },
    }
    (record,) = jsonl.parse(json.dumps(line).encode() + b"\n", name="n.jsonl")
    outcome = Loader(media_dir=tmp_path).load(record)
    here = Photo.objects.get(caption="Here")
    assert Article.objects.get().body == f'<p>x</p><figure data-gallery="{here.pk}"></figure>'
    assert (
        f"body photo file gone.jpg not in --media-dir {tmp_path}; left out of the story" in outcome.warnings
    )


@pytest.mark.django_db
def test_photo_numbers_a_record_does_not_describe_are_left_out_with_a_warning(tmp_path):
    """A body from elsewhere (any format) naming <figure data-photo="N"> without saying what N is would show
    whichever photo has that number here, an embargoed story's included."""
    import json

    from articles.importers import jsonl

    stranger = Photo.objects.create(caption="An embargoed story's photo")
    line = {
        "id": "1",
        "headline": "Numbers from elsewhere",
        "body": f'<p>x</p><figure data-photo="{stranger.pk}"></figure>'
        f'<figure data-gallery="{stranger.pk} 77"></figure><p>y</p>',
    }
    (record,) = jsonl.parse(json.dumps(line).encode() + b"\n", name="n.jsonl")
    outcome = Loader(media_dir=tmp_path).load(record)
    assert Article.objects.get().body == "<p>x</p><p>y</p>"
    assert f"body: photo numbers {stranger.pk}, {stranger.pk}, 77 name no photo of this export; left out" in (
        outcome.warnings
    )
