"""The body's structured elements across export and import (#14), kept apart from the parsers and the loader.

WordPress: `[embed]URL[/embed]`, `[youtube URL]` and friends, an embeddable address on a line of its own
(which WordPress turns into an embed) and Gutenberg `wp:embed` blocks become `<figure data-embed>`; their
oEmbed data is fetched when an editor next saves the story (an import fetches nothing); until then readers
get a link. Figures whose image file is in --media-dir become library photos, wp:gallery blocks galleries, and
[gallery] shortcodes galleries of the export's attachments (the loader makes each a library photo).

A body points at photos by their number in the library (<figure data-photo="12">, data-gallery="12 13"), and
a number means nothing in another database. So the JSON Lines export carries, beside the body, the photos it
points at (`body_photos`: number -> caption, credit, alt text, file), and the loader maps each to a photo of
the importing library (the same texts and file name, else the photo of that file) and rewrites the numbers.
Parsers of other formats use `body_photos` the same way for pictures they add to a body (ninjs associations
and feed pictures beyond the lead photo).
"""

import json
import re
from html import escape, unescape
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from django.conf import settings

from articles import embeds
from articles.importers.records import PhotoRecord

_NUMBERS = re.compile(r'(\sdata-(?:photo|gallery)=")([^"]*)(")')


def export_photos(article) -> dict[str, dict]:
    """The photos a story's body points at, keyed by their number (one query; none without elements)."""
    from articles import body as story_body  # noqa: PLC0415 -- the parsers import this module without models

    photos = story_body.usable_photos(story_body.all_photo_ids(story_body.elements(article.body)))
    return {
        str(pk): {
            "caption": photo.caption,
            "credit": photo.credit,
            "alt_text": photo.alt_text,
            "file": photo.image.name if photo.image else "",
        }
        for pk, photo in sorted(photos.items())
    }


def parse_photos(value) -> dict[str, PhotoRecord]:
    """`body_photos` of a JSON Lines record (ValueError: what is wrong)."""
    if value in (None, ""):
        return {}
    if not isinstance(value, dict):
        raise ValueError("body_photos must be an object of photo number -> photo")
    found = {}
    for number, photo in value.items():
        if not str(number).isdigit() or not isinstance(photo, dict):
            raise ValueError(f"body_photos entry {number!r} must be a number with an object")
        found[str(number)] = PhotoRecord(
            **{k: str(photo.get(k) or "") for k in ("caption", "credit", "alt_text", "url", "file")}
        )
    return found


def for_library(loader, record, warnings: list[str]) -> str:
    """The record's body pointing at this library's photos: exported numbers mapped, imported figures made
    photos from --media-dir (a loader's step, before it sanitizes the body)."""
    body = map_photos(loader, record.body, record.body_photos, warnings, record.source)
    return images_to_photos(loader, body, warnings, record.source)


def map_photos(
    loader, body: str, photos: dict[str, PhotoRecord], warnings: list[str], source: str = ""
) -> str:
    """`body` with the numbers of the source's photos turned into those of this library's photos; a number
    with no photo here is left out (a number means nothing in another library), a gallery left empty too."""
    if "data-" not in body:
        return body
    mapping: dict[str, str] = {}
    for number, wanted in photos.items():
        photo = loader.body_photo(source, wanted, warnings)
        if photo is not None:
            mapping[number] = str(photo.pk)
    unknown: list[str] = []

    def replace(match: re.Match) -> str:
        parts = [part for part in re.split(r"[\s,]+", match.group(2).strip()) if part]
        unknown.extend(part for part in parts if part not in mapping and part not in photos)
        return match.group(1) + " ".join(mapping[part] for part in parts if part in mapping) + match.group(3)

    body = _EMPTY_FIGURE.sub("", _NUMBERS.sub(replace, body))
    if unknown:  # a number the record does not describe would show whichever photo has it in this library
        warnings.append(f"body: photo numbers {', '.join(unknown)} name no photo of this export; left out")
    return body


_EMPTY_FIGURE = re.compile(r'<figure\s+data-(?:photo|gallery)=""[^>]*>\s*</figure>')


# --- WordPress ---

_WP_EMBED_BLOCK = re.compile(
    r"<!--\s*wp:(?:core-)?embed(?:/[\w-]+)?\s+(\{.*?\})\s*/?-->(?:.*?<!--\s*/wp:(?:core-)?embed(?:/[\w-]+)?\s*-->)?",
    re.DOTALL,
)
_EMBED_SHORTCODE = re.compile(r"\[embed\b[^\]]*\]\s*(\S+?)\s*\[/embed\]", re.IGNORECASE)
_PROVIDER_SHORTCODE = re.compile(
    r"\[(?:youtube|vimeo|soundcloud|spotify|tweet|twitter|instagram|tiktok)\s+(?:url=)?[\"']?(https?://[^\s\"'\]]+)[\"']?[^\]]*\]",
    re.IGNORECASE,
)
_LINE_URL = re.compile(r"^[ \t]*(https?://[^\s<>\"]+)[ \t]*$", re.MULTILINE)


def embeddable(url: str) -> str:
    """`url` as we embed it (http:// made https://), or '' when no provider of ours has it."""
    url = unescape(url.strip())
    if url.startswith("http://"):
        url = "https://" + url[len("http://") :]
    return url if embeds.provider_for(url) else ""


def _figure(url: str) -> str:
    return f'\n\n<figure data-embed="{escape(url, quote=True)}"></figure>\n\n'


def wordpress_embeds(content: str) -> str:
    """WordPress's ways of embedding, as embed elements; any other address or shortcode is left as it is."""
    if "http" not in content:
        return content

    def block(match: re.Match) -> str:
        try:
            url = embeddable(str(json.loads(match.group(1)).get("url") or ""))
        except (ValueError, AttributeError):
            url = ""
        return _figure(url) if url else match.group(0)

    def shortcode(match: re.Match) -> str:
        url = embeddable(match.group(1))
        return _figure(url) if url else match.group(0)

    content = _WP_EMBED_BLOCK.sub(block, content)
    content = _EMBED_SHORTCODE.sub(shortcode, content)
    content = _PROVIDER_SHORTCODE.sub(shortcode, content)
    return _LINE_URL.sub(shortcode, content)


_GALLERY_SHORTCODE = re.compile(r"\[gallery\b([^\]]*)\]", re.IGNORECASE)
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".jpe", ".png", ".gif", ".webp", ".avif")


def is_image(file: str) -> bool:
    """Whether a WordPress attachment is a picture (WXR gives no MIME type: its file name says)."""
    return PurePosixPath(urlsplit(file).path).suffix.lower() in IMAGE_EXTENSIONS


def _ids(value: str) -> list[str]:
    return [part for part in re.split(r"[\s,]+", value) if part.isdigit()]


def wordpress_galleries(
    content: str,
    post_id: str,
    attachments: dict[str, PhotoRecord],
    attached: dict[str, list[tuple[int, int]]],
) -> tuple[str, dict[str, PhotoRecord], list[str]]:
    """`[gallery ids="1,2,3"]` (or `include`) as a gallery element of those attachments, in that order;
    `[gallery]` without ids shows the images attached to the post (or to the post `id="..."` names;
    `attached`: post id -> (menu order, id)) in WordPress's order, menu order then id (`order="DESC"` reverses
    it, `exclude` leaves some out). Returns the content, the pictures by attachment id (the loader makes them
    library photos) and a warning per picture left out."""
    photos: dict[str, PhotoRecord] = {}
    warnings: list[str] = []

    def gallery(match: re.Match) -> str:
        values = {
            name.lower(): value.strip("\"'") for name, value in _ATTRIBUTE.findall(unescape(match.group(1)))
        }
        ids = _ids(values.get("ids") or values.get("include") or "")
        if not ids:
            children = attached.get(values.get("id") or post_id, [])
            ids = [str(pk) for _, pk in sorted(children, reverse=values.get("order", "").upper() == "DESC")]
        excluded = set(_ids(values.get("exclude", "")))
        shown = []
        for pk in ids:
            photo = attachments.get(pk)
            note = ""
            if photo is None:
                note = f"gallery: attachment {pk} is not in the export; left out of the story"
            elif not is_image(photo.file or photo.url):
                name = PurePosixPath(photo.file or urlsplit(photo.url).path).name
                note = f"gallery: attachment {pk} ({name}) is not a picture; left out of the story"
            elif pk not in excluded and pk not in shown:
                shown.append(pk)
                photos[pk] = PhotoRecord(**vars(photo))
            if note and note not in warnings:
                warnings.append(note)
        if not shown:
            warnings.append(f"{match.group(0)} shows no picture of this export; removed")
            return ""
        return f'\n\n<figure data-gallery="{" ".join(shown)}"></figure>\n\n'

    return _GALLERY_SHORTCODE.sub(gallery, content), photos, warnings


# --- imported figures (WordPress [caption] and wp:image, wp:gallery blocks) ---

_FIGURE_IMAGE = re.compile(
    r"<figure\b[^>]*>\s*(?:<a\b[^>]*>\s*)?<img\b([^>]*?)/?>\s*(?:</a>\s*)?"
    r"(?:<figcaption\b[^>]*>(.*?)</figcaption>\s*)?</figure>",
    re.IGNORECASE | re.DOTALL,
)
_WP_GALLERY = re.compile(r"<!--\s*wp:gallery\b.*?-->(.*?)<!--\s*/wp:gallery\s*-->", re.DOTALL)
_GALLERY_CAPTION = re.compile(r"<figcaption\b[^>]*blocks-gallery-caption[^>]*>(.*?)</figcaption>", re.DOTALL)
_ATTRIBUTE = re.compile(r"""([\w-]+)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""")


def _text(html: str) -> str:
    from django.utils.html import strip_tags  # noqa: PLC0415

    return " ".join(unescape(strip_tags(html or "")).split())


_CREDIT = re.compile(r"<cite\b[^>]*>(.*?)</cite>\s*$", re.IGNORECASE | re.DOTALL)


def _caption_and_credit(html: str) -> tuple[str, str]:
    """A figcaption's text, and its credit when it ends in <cite> (as our own feeds and ninjs write it)."""
    credit = _CREDIT.search(html or "")
    if credit:
        return _text(html[: credit.start()]), _text(credit.group(1))
    return _text(html), ""


def _photo_for_image(loader, attributes: str, figcaption: str, warnings: list[str], source: str):
    """A library photo for an imported <img> whose file is in --media-dir, else None (left to sanitize)."""
    from articles.html import is_own_media  # noqa: PLC0415

    values = {name.lower(): unescape(value.strip("\"'")) for name, value in _ATTRIBUTE.findall(attributes)}
    src = values.get("src", "")
    if not src or is_own_media(src) or loader.media_dir is None:
        return None
    path = urlsplit(src).path
    media = urlsplit(settings.MEDIA_URL).path  # a ninjs or feed export of a site like ours: /media/photos/…
    for folder in ("/uploads/", media):  # a copy of wp-content/uploads, or of a media folder
        if folder and folder in path:
            path = path.split(folder, 1)[-1]
            break
    file = path.lstrip("/")
    if loader._media_file(file, src) is None:
        return None
    caption, credit = _caption_and_credit(figcaption)
    wanted = PhotoRecord(caption=caption, credit=credit, alt_text=values.get("alt", ""), file=file, url=src)
    return loader.body_photo(source, wanted, warnings)


def images_to_photos(loader, body: str, warnings: list[str], source: str = "") -> str:
    """Imported figures whose image file is in --media-dir become library photos, and WordPress galleries
    galleries; others stay as they are (the sanitizer then removes images from other sites, and says so)."""
    if "<img" not in body or loader.media_dir is None:
        return body

    def gallery(match: re.Match) -> str:
        inner = match.group(1)
        ids = []
        for figure in _FIGURE_IMAGE.finditer(inner):
            photo = _photo_for_image(loader, figure.group(1), figure.group(2), warnings, source)
            if photo is not None:
                ids.append(str(photo.pk))
        if not ids:
            return match.group(0)
        title = _GALLERY_CAPTION.search(inner)
        caption = f' data-caption="{escape(_text(title.group(1)), quote=True)}"' if title else ""
        return f'<figure data-gallery="{" ".join(ids)}"{caption}></figure>'

    def single(match: re.Match) -> str:
        photo = _photo_for_image(loader, match.group(1), match.group(2), warnings, source)
        return match.group(0) if photo is None else f'<figure data-photo="{photo.pk}"></figure>'

    if "wp:gallery" in body:
        body = _WP_GALLERY.sub(gallery, body)
    return _FIGURE_IMAGE.sub(single, body)
