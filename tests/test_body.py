"""Story bodies (#14): the elements' sanitizer round trips, what the form says, rendering, query counts."""

import json
import re
from html.parser import HTMLParser
from io import BytesIO
from xml.etree import ElementTree

import pytest
from django.core.cache import cache, caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from articles import body as story_body
from articles.html import removal_messages, sanitize
from articles.models import Article, Photo
from tests import oembed_server
from tests.conftest import make_article, make_photo, make_section
from tests.forms import article_form

EMBED = (
    '<figure data-embed="https://www.youtube.com/watch?v=dQw4w9WgXcQ" data-provider="YouTube" '
    'data-title="The vote" data-author="Newsroom Video" '
    'data-frame="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?feature=oembed" '
    'data-ratio="56.25"></figure>'
)


def jpeg(name="harbour.jpg", size=(64, 48), colour=(0, 128, 128)):
    buffer = BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def photo_with_file(n=1, **kwargs):
    kwargs.setdefault("caption", f"Harbour picture {n}")
    kwargs.setdefault("credit", f"Photo: Agency {n}")
    kwargs.setdefault("alt_text", f"Cranes at dusk, number {n}")
    # a different picture each: the library keeps one photo per picture (content hash)
    return Photo.objects.create(image=jpeg(f"p{n}.jpg", colour=(n * 37 % 256, 128, 128)), **kwargs)


@pytest.fixture
def provider_server(settings):
    server = oembed_server.start()
    settings.EMBED_TEST_SERVER = server.url
    settings.EMBED_TIMEOUT_SECONDS = 0.5
    yield server
    oembed_server.stop(server)


# The sanitizer keeps exactly the elements


@pytest.mark.parametrize(
    "element",
    [
        '<figure data-photo="12"></figure>',
        '<figure data-photo="12" data-caption="The bridge &lt;at night&gt; &amp; the port"></figure>',
        '<figure data-gallery="12 13 14" data-caption="Opening day"></figure>',
        EMBED,
        '<blockquote class="pullquote"><p>We stay open.</p><p><cite>The mayor</cite></p></blockquote>',
        '<aside class="factbox"><h3>The bridge</h3><ul><li><p>Opened 1926</p></li></ul><p>400 m</p></aside>',
    ],
)
def test_each_element_survives_the_sanitizer_unchanged(element):
    body = f"<p>Before.</p>{element}<p>After.</p>"
    assert sanitize(body) == body
    assert sanitize(sanitize(body)) == body


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ('<figure data-photo="1" onclick="x()" class="big"></figure>', '<figure data-photo="1"></figure>'),
        ('<figure data-photo="1"><img src="https://evil.example/x.gif"><figcaption>c</figcaption></figure>',
         '<figure data-photo="1"></figure>'),
        ('<blockquote class="pullquote red" style="color:red"><p>q</p></blockquote>',
         '<blockquote class="pullquote"><p>q</p></blockquote>'),
        ('<aside class="sidebar"><p>x</p></aside>', '<aside class=""><p>x</p></aside>'),
        ('<div data-photo="1">x</div>', "x"),
        ('<figure data-frame="javascript:alert(1)" data-embed="https://youtu.be/x"></figure>',
         '<figure data-frame="javascript:alert(1)" data-embed="https://youtu.be/x"></figure>'),
    ],
)  # fmt: skip
def test_the_sanitizer_drops_anything_else_on_and_in_the_elements(dirty, clean):
    # (a data-frame is only a string here: it is checked against the provider's hosts when rendered)
    assert sanitize(dirty) == clean


# What the form says


@pytest.mark.parametrize(
    ("pasted", "told"),
    [
        ('<iframe src="https://evil.example/player"></iframe>', "paste the video's or post's address"),
        ("<script>alert(1)</script>", "Removed a script"),
        ("<style>p{color:red}</style>", "Removed a style sheet"),
        ('<p style="color:red">x</p>', "Removed pasted formatting"),
        ("<video src='/x.mp4'></video>", "Removed a video player"),
        ("<table><tr><td>1</td></tr></table>", "use a fact box or a list"),
        ("<marquee>x</marquee>", "Removed markup a story does not use (<marquee>)"),
        ('<form action="/x"><input name="q"></form>', "Removed a form"),
    ],
)
def test_removal_messages_say_what_was_removed_and_what_to_do_instead(pasted, told):
    messages = removal_messages(f"<p>Kept.</p>{pasted}")
    assert any(told in message for message in messages), messages


def test_nothing_is_reported_for_a_clean_body():
    assert removal_messages("<p>Hi <a href='https://x.example'>x</a></p>" + EMBED) == []


@pytest.fixture
def editor_client(staff_client):
    make_section()
    return staff_client


def post_story(client, body, **extra):
    from articles.models import Section

    return client.post(
        reverse("admin:articles_article_add"), article_form(Section.objects.get(), body=body, **extra)
    )


def shown_body(response):
    return response.context["adminform"].form.data["body"]


def errors(response):
    return response.context["adminform"].form.errors["body"]


def test_a_pasted_script_is_named_and_the_rest_of_the_body_is_kept_for_the_second_save(editor_client):
    response = post_story(editor_client, "<p>First.</p><script>alert(1)</script><p>Second.</p>")
    assert response.status_code == 200
    assert any("Removed a script" in e for e in errors(response))
    assert shown_body(response) == "<p>First.</p><p>Second.</p>"
    assert post_story(editor_client, shown_body(response)).status_code == 302
    assert Article.objects.get().body == "<p>First.</p><p>Second.</p>"


def test_a_pasted_youtube_iframe_becomes_an_embed_and_the_form_says_so(editor_client, provider_server):
    pasted = '<p>Watch:</p><iframe width="560" height="315" src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe>'
    response = post_story(editor_client, pasted)
    assert any("Turned the pasted YouTube player into an embed" in e for e in errors(response))
    body = shown_body(response)
    assert 'data-provider="YouTube"' in body and "Harbour bridge: the council vote" in body
    assert post_story(editor_client, body).status_code == 302
    assert 'data-embed="https://www.youtube.com/watch?v=dQw4w9WgXcQ"' in Article.objects.get().body


@pytest.mark.parametrize(
    "line",
    [
        "<p>https://vimeo.com/76979871</p>",
        '<p><a href="https://vimeo.com/76979871">https://vimeo.com/76979871</a></p>',
    ],
)
def test_an_address_on_a_line_of_its_own_is_embedded_on_save(editor_client, provider_server, line):
    assert post_story(editor_client, f"<p>Intro.</p>{line}").status_code == 302
    stored = Article.objects.get().body
    assert stored.startswith(
        '<p>Intro.</p><figure data-embed="https://vimeo.com/76979871" data-provider="Vimeo"'
    )
    assert "Night shift at the container port" in stored
    assert [r.split("?")[0] for r in provider_server.requests] == ["/vimeo"]  # fetched once, on save


def test_an_embed_fetched_before_is_not_fetched_again(editor_client, provider_server):
    assert post_story(editor_client, EMBED).status_code == 302
    assert provider_server.requests == []


def test_a_provider_that_does_not_answer_leaves_a_link_and_a_message(editor_client, provider_server):
    provider_server.answers["youtube"] = "hang"
    response = post_story(editor_client, "<p>Intro.</p><p>https://www.youtube.com/watch?v=dQw4w9WgXcQ</p>")
    assert any("Could not embed https://www.youtube.com/watch?v=dQw4w9WgXcQ" in e for e in errors(response))
    body = shown_body(response)
    assert body == (
        '<p>Intro.</p><p><a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ" rel="noopener noreferrer">'
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ</a> (YouTube)</p>"
    )
    assert post_story(editor_client, body).status_code == 302  # a second save keeps the link
    assert Article.objects.get().body == body


def test_an_address_not_on_the_allowlist_stays_a_plain_paragraph(editor_client, provider_server):
    assert post_story(editor_client, "<p>https://example.com/page</p>").status_code == 302
    assert Article.objects.get().body == "<p>https://example.com/page</p>"
    assert provider_server.requests == []


def test_missing_or_fileless_photos_are_refused_with_their_numbers(editor_client):
    empty = make_photo()  # no file
    response = post_story(
        editor_client, f'<p>x</p><figure data-photo="{empty.pk}"></figure><figure data-photo="9999"></figure>'
    )
    messages = errors(response)
    assert any(f"Photo {empty.pk} in the story" in m for m in messages)
    assert any("Photo 9999 in the story is not in the photo library" in m for m in messages)
    assert Article.objects.count() == 0
    assert 'data-photo="9999"' in shown_body(response)  # nothing removed: the editor decides


def test_an_empty_gallery_is_refused(editor_client):
    response = post_story(editor_client, '<p>x</p><figure data-gallery=""></figure>')
    assert any("has no photos" in m for m in errors(response))


def test_a_story_with_every_element_saves_in_one_go(editor_client):
    photos = [photo_with_file(n) for n in range(3)]
    body = (
        f'<p>Intro.</p><figure data-photo="{photos[0].pk}" data-caption="Our caption"></figure>'
        f'<figure data-gallery="{photos[1].pk} {photos[2].pk}"></figure>{EMBED}'
        '<blockquote class="pullquote"><p>Quote.</p></blockquote><aside class="factbox"><p>Fact.</p></aside>'
    )
    assert post_story(editor_client, body).status_code == 302
    assert Article.objects.get().body == body


# XSS in captions, embed titles and oEmbed HTML

XSS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' onmouseover='alert(1)",
    "<svg onload=alert(1)>",
    "javascript:alert(1)",
    "</figure><script>alert(1)</script>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
]


class ActiveContent(HTMLParser):
    """Finds what a browser would run in parsed HTML: script-like elements, handlers, javascript: values."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "svg", "iframe", "object", "embed", "math", "base", "meta", "style"):
            self.found.append(tag)
        for name, value in attrs:
            url = name in ("href", "src", "srcset", "action", "formaction", "data-frame")
            if name.startswith("on") or (url and (value or "").strip().lower().startswith("javascript:")):
                self.found.append(f"{tag} {name}={value}")


def has_script(html: str) -> bool:
    parser = ActiveContent()
    parser.feed(html)
    return bool(parser.found)


@pytest.mark.django_db
@pytest.mark.parametrize("payload", XSS)
def test_payloads_in_captions_titles_and_authors_are_escaped_when_rendered(payload):
    photo = photo_with_file(1, caption=payload, credit=payload, alt_text=payload)
    attribute = payload.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
    stored = sanitize(
        f'<figure data-photo="{photo.pk}" data-caption="{attribute}"></figure>'
        f'<figure data-gallery="{photo.pk}" data-caption="{attribute}"></figure>'
        f'<figure data-embed="https://www.youtube.com/watch?v=dQw4w9WgXcQ" data-provider="YouTube" '
        f'data-title="{attribute}" data-author="{attribute}" data-frame="{attribute}"></figure>'
    )
    rendered = story_body.render(stored).html
    assert not has_script(rendered), rendered
    assert "data-frame=" not in rendered  # no frame on YouTube's hosts: the click opens YouTube


@pytest.mark.django_db
def test_an_oembed_answer_with_script_keeps_only_escaped_text(provider_server):
    from articles import embeds

    provider_server.answers["youtube"] = (200, {}, (oembed_server.FIXTURES / "xss.json").read_bytes())
    data = embeds.oembed("https://www.youtube.com/watch?v=dQw4w9WgXcQ")
    assert data["frame"] == ""  # javascript: is no frame on YouTube's hosts
    stored = sanitize(embeds.figure_html(data))
    rendered = story_body.render(stored).html
    assert not has_script(rendered), rendered
    assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;" in rendered  # shown as text


# Rendering


@pytest.mark.django_db
def test_photos_render_with_renditions_caption_override_and_credit():
    photo = photo_with_file(1)
    html = story_body.render(f'<figure data-photo="{photo.pk}" data-caption="Tonight\'s vote"></figure>').html
    assert "<picture>" in html or "srcset" in html or photo.image.url in html
    assert (
        "Tonight&#x27;s vote" in html
        and "Photo: Agency 1" in html
        and 'alt="Cranes at dusk, number 1"' in html
    )
    assert "Harbour picture 1" not in html  # the override replaces the photo's own caption


@pytest.mark.django_db
def test_missing_photos_are_dropped_quietly_when_rendered():
    kept = photo_with_file(1)
    fileless = make_photo()
    html = story_body.render(
        f'<p>a</p><figure data-photo="9999"></figure><figure data-photo="{fileless.pk}"></figure>'
        f'<figure data-gallery="9999 {kept.pk}"></figure><figure data-gallery="9998"></figure><p>b</p>'
    ).html
    assert html.count('<li class="gallery-item"') == 1
    assert "9999" not in html and "<p>a</p>" in html and "<p>b</p>" in html


@pytest.mark.django_db
def test_an_embed_renders_a_placeholder_that_loads_nothing_from_the_provider():
    rendered = story_body.render(EMBED)
    assert "The vote" in rendered.html and "Open on YouTube" in rendered.html
    assert "<iframe" not in rendered.html and "<img" not in rendered.html and "<script" not in rendered.html
    assert rendered.frame_sources == ["https://www.youtube-nocookie.com"]


@pytest.mark.django_db
def test_an_embed_whose_provider_and_address_do_not_agree_is_dropped():
    forged = EMBED.replace(
        'data-embed="https://www.youtube.com/watch?v=dQw4w9WgXcQ"', 'data-embed="https://evil.example/"'
    )
    assert story_body.render(forged).html == ""


# The article page


def count_queries(client, url):
    cache.clear()
    caches["local"].clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.mark.django_db
def test_a_page_with_10_photos_a_gallery_of_20_and_5_embeds_costs_what_a_page_with_one_photo_costs(client):
    photos = [photo_with_file(n) for n in range(30)]
    section = make_section()
    plain = make_article("Plain", section=section, body="<p>Text.</p>", slug="plain")
    one = make_article(
        "One", section=section, body=f'<p>Text.</p><figure data-photo="{photos[0].pk}"></figure>', slug="one"
    )
    rich_body = "<p>Text.</p>" + "".join(f'<figure data-photo="{p.pk}"></figure>' for p in photos[:10])
    rich_body += '<figure data-gallery="' + " ".join(str(p.pk) for p in photos[10:30]) + '"></figure>'
    rich_body += EMBED * 5
    rich = make_article("Rich", section=section, body=rich_body, slug="rich")
    led = make_article("Led", section=section, body=rich_body, slug="led", lead_photo=photos[0])
    lead_only = make_article("Lead only", section=section, body="<p>Text.</p>", slug="lead-only")
    lead_only.lead_photo = photos[1]
    lead_only.save()
    plain_count, _ = count_queries(client, plain.get_absolute_url())
    one_count, _ = count_queries(client, one.get_absolute_url())
    rich_count, response = count_queries(client, rich.get_absolute_url())
    html = response.content.decode()
    assert html.count('class="photo body-photo"') == 10 and html.count('class="gallery-item"') == 20
    assert html.count("data-embed-view") == 5
    assert rich_count == one_count == plain_count + 1  # all the body's photos: one query, embeds: none
    # The lead photo comes with the story's own row (a join); the body's photo numbers are known only once
    # that row is read, so they cost one query of their own, however many, and the lead photo none.
    assert count_queries(client, lead_only.get_absolute_url())[0] == plain_count
    cache.clear()
    caches["local"].clear()
    with CaptureQueriesContext(connection) as ctx:
        client.get(led.get_absolute_url())
    assert len(ctx.captured_queries) == plain_count + 1
    assert len([q for q in ctx.captured_queries if 'FROM "articles_photo"' in q["sql"]]) == 1


@pytest.mark.django_db
def test_only_a_page_with_embeds_may_frame_their_provider_also_from_the_cache(client):
    section = make_section()
    with_embed = make_article("Video", section=section, body=f"<p>x</p>{EMBED}", slug="video")
    without = make_article("Words", section=section, body="<p>x</p>", slug="words")
    for _ in range(2):  # rendered, then from the page cache
        policy = client.get(with_embed.get_absolute_url())["Content-Security-Policy"]
        assert "frame-src https://www.youtube-nocookie.com" in policy
    assert "frame-src" not in client.get(without.get_absolute_url())["Content-Security-Policy"]


@pytest.mark.django_db
def test_body_photos_reach_json_ld_feeds_and_ninjs_with_their_credits(client):
    lead = photo_with_file(0)
    inline, in_gallery = photo_with_file(1), photo_with_file(2)
    story = make_article(
        "Bridge",
        lead_photo=lead,
        body=f'<p>x</p><figure data-photo="{inline.pk}"></figure>'
        f'<figure data-gallery="{in_gallery.pk} {lead.pk}"></figure>{EMBED}',
    )
    page = client.get(story.get_absolute_url()).content.decode()
    blocks = [
        json.loads(b)
        for b in re.findall(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', page, re.S)
    ]
    article = next(b for b in blocks if b.get("@type") == "NewsArticle")
    # the lead photo at 16:9, 4:3 and 1:1 (as Google asks of a NewsArticle), then the body's photos
    assert [i.get("creditText") for i in article["image"]] == [
        *["Photo: Agency 0"] * 3,
        "Photo: Agency 1",
        "Photo: Agency 2",
    ]

    feed = ElementTree.fromstring(client.get(reverse("articles:feed_rss")).content)
    media = feed.findall(".//{http://search.yahoo.com/mrss/}content")
    credits = [m.findtext("{http://search.yahoo.com/mrss/}credit") for m in media]
    assert credits == ["Photo: Agency 0", "Photo: Agency 1", "Photo: Agency 2"]
    assert all(m.get("url").startswith("http://testserver/media/") for m in media)

    document = client.get(reverse("articles:api_story", args=[story.pk])).json()
    assert [(a["rel"], a.get("by")) for a in document["associations"]] == [
        ("leadPhoto", "Photo: Agency 0"), ("bodyPhoto", "Photo: Agency 1"), ("bodyPhoto", "Photo: Agency 2"),
    ]  # fmt: skip
    body = document["bodies"][0]["value"]
    assert "data-photo" not in body and '<img src="http://testserver/media/' in body
    assert '<a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ">The vote</a> (YouTube)' in body


@pytest.mark.django_db
def test_feeds_read_the_body_photos_of_all_their_stories_in_one_query(client):
    section = make_section()
    for n in range(4):
        photo = photo_with_file(n)
        make_article(
            f"Story {n}", section=section, slug=f"s{n}", body=f'<figure data-photo="{photo.pk}"></figure>'
        )
    counts = []
    for _ in range(2):
        cache.clear()
        caches["local"].clear()
        with CaptureQueriesContext(connection) as ctx:
            client.get(reverse("articles:feed_rss"))
        counts.append(len([q for q in ctx.captured_queries if 'FROM "articles_photo"' in q["sql"]]))
    assert counts == [1, 1]


# Export and import


@pytest.mark.django_db
def test_the_jsonl_round_trip_keeps_the_elements_and_maps_the_photos_to_the_new_library(tmp_path):
    import io

    from django.conf import settings
    from django.core.management import call_command

    photos = [photo_with_file(n) for n in range(3)]
    body = (
        f'<p>x</p><figure data-photo="{photos[0].pk}" data-caption="Ours"></figure>'
        f'<figure data-gallery="{photos[1].pk} {photos[2].pk}" data-caption="Day"></figure>{EMBED}'
        '<blockquote class="pullquote"><p>Q.</p></blockquote><aside class="factbox"><p>F.</p></aside>'
    )
    make_article("Round trip", body=body)
    path = tmp_path / "all.jsonl"
    call_command("export_articles", "--all", "--output", str(path), stderr=io.StringIO())
    exported = json.loads(path.read_text())
    assert exported["body_photos"][str(photos[0].pk)]["credit"] == "Photo: Agency 0"
    Article.objects.all().delete()
    Photo.objects.all().delete()

    out = io.StringIO()
    command = ["import_articles", str(path), "--media-dir", str(settings.MEDIA_ROOT)]
    call_command(*command, stdout=out, stderr=io.StringIO())
    assert "imported 1" in out.getvalue()
    new = {photo.credit: photo.pk for photo in Photo.objects.all()}
    assert len(new) == 3
    expected = (
        f'<p>x</p><figure data-photo="{new["Photo: Agency 0"]}" data-caption="Ours"></figure>'
        f'<figure data-gallery="{new["Photo: Agency 1"]} {new["Photo: Agency 2"]}" '
        'data-caption="Day"></figure>'
        f'{EMBED}<blockquote class="pullquote"><p>Q.</p></blockquote><aside class="factbox"><p>F.</p></aside>'
    )
    assert Article.objects.get().body == expected

    out = io.StringIO()
    call_command(*command, "--update", stdout=out, stderr=io.StringIO())
    assert "imported 0, updated 0, unchanged 1" in out.getvalue()
    assert Photo.objects.count() == 3  # the same photos found again, none made twice


# The toolbar's photo search


@pytest.mark.django_db
def test_the_photo_search_finds_photos_with_files_by_caption_credit_or_alt_text(staff_client, client):
    bridge = photo_with_file(1, caption="The harbour bridge at night")
    photo_with_file(2, caption="A ferry")
    make_photo(caption="The harbour bridge, no file yet")
    url = reverse("body_photo_search")
    found = staff_client.get(url, {"q": "harbour bridge"}).json()["photos"]
    assert [(p["id"], p["credit"]) for p in found] == [(bridge.pk, "Photo: Agency 1")]
    assert found[0]["thumbnail"].startswith("/media/")
    by_ids = staff_client.get(url, {"ids": f"{bridge.pk},x,9999"}).json()["photos"]
    assert [p["id"] for p in by_ids] == [bridge.pk]
    assert client.get(url).status_code == 302  # the admin's login page for everyone else


# --- which stories show a photo: Article.photos_in_body, kept by every save ---


def linked(story):
    return set(story.photos_in_body.values_list("pk", flat=True))


@pytest.mark.django_db
def test_a_stories_body_photos_are_linked_as_its_body_changes():
    one, two, three = make_photo(caption="1"), make_photo(caption="2"), make_photo(caption="3")
    story = make_article(body=f'<p>x</p><figure data-photo="{one.pk}"></figure>')
    assert linked(story) == {one.pk}
    story.body = f'<figure data-gallery="{two.pk} {three.pk} 999999"></figure>'  # 999999: no such photo
    story.save()
    assert linked(story) == {two.pk, three.pk}
    story.body = "<p>Text only now.</p>"
    story.save()
    assert linked(story) == set()
    assert set(one.in_bodies.all()) == set()


@pytest.mark.django_db
def test_a_save_that_leaves_the_body_alone_touches_no_links():
    photo = make_photo()
    story = make_article(body=f'<figure data-photo="{photo.pk}"></figure>')
    story.headline = "A new headline"
    with CaptureQueriesContext(connection) as saved:
        story.save()
    assert not [q for q in saved.captured_queries if "photos_in_body" in q["sql"]]
    plain = make_article("Plain", body="<p>no photos</p>")
    plain.body = "<p>still no photos</p>"
    with CaptureQueriesContext(connection) as saved:
        plain.save()
    assert not [q for q in saved.captured_queries if "photos_in_body" in q["sql"]]


@pytest.mark.django_db
def test_a_restored_version_brings_its_bodys_links_back():
    import reversion
    from reversion.models import Version

    old, new = make_photo(caption="old"), make_photo(caption="new")
    with reversion.create_revision():
        story = make_article(body=f'<figure data-photo="{old.pk}"></figure>')
    with reversion.create_revision():
        story.body = f'<figure data-photo="{new.pk}"></figure>'
        story.save()
    assert linked(story) == {new.pk}
    Version.objects.get_for_object(story).last().revision.revert()  # a raw save, past Article.save()
    assert linked(story) == {old.pk}


@pytest.mark.django_db
def test_the_migration_links_the_bodies_already_stored():
    import importlib

    from django.apps import apps

    migration = importlib.import_module("articles.migrations.0015_body_photo_links")
    photo, gone = make_photo(), make_photo()
    story = make_article(body=f'<figure data-gallery="{photo.pk} {gone.pk}"></figure>')
    make_article("No photos", body="<p>x</p>")
    gone.delete()
    story.photos_in_body.clear()
    migration.link_existing_bodies(apps, None)
    assert linked(story) == {photo.pk}
    assert Article.photos_in_body.through.objects.count() == 1


@pytest.mark.django_db
def test_who_shows_a_photo_costs_the_same_queries_however_many_stories_there_are(django_user_model):
    from articles.photo_admin import shown_elsewhere

    writer = django_user_model.objects.create_user("w", is_staff=True)
    photo = make_photo()
    make_article("Shows it", body=f'<figure data-photo="{photo.pk}"></figure>')
    with CaptureQueriesContext(connection) as few:
        assert shown_elsewhere([photo.pk], writer) == {photo.pk}
    for n in range(30):
        make_article(f"Other {n}", body=f'<figure data-photo="{make_photo(caption=str(n)).pk}"></figure>')
    with CaptureQueriesContext(connection) as many:
        assert shown_elsewhere([photo.pk], writer) == {photo.pk}
    assert len(many) == len(few)
    assert not [q for q in many.captured_queries if "REGEXP" in q["sql"].upper() or "~" in q["sql"]]
