"""A story body's structured elements: checked when the editor saves, rendered for readers and machines.

The stored body is sanitized HTML (articles/html.py) in which a few elements stand for something richer:
an empty <figure data-photo>, <figure data-gallery> or <figure data-embed> (the vocabulary is listed in
articles/html.py), a <blockquote class="pullquote"> and an <aside class="factbox">. Pull quotes and fact boxes
are shown as they are; the figures are rendered here with templates/includes/body_*.html, all the photos of a
body read in one query.
"""

import re
from html import escape, unescape
from typing import NamedTuple

from django.template.loader import get_template
from django.utils.safestring import mark_safe

from articles import embeds
from articles.models import Photo

# nh3's output writes every attribute double-quoted with its value escaped, so these find them exactly.
ELEMENT = re.compile(r"<figure\b([^>]*\sdata-(?:photo|gallery|embed)=[^>]*)></figure>")
_ATTRIBUTE = re.compile(r'\s(data-[a-z]+)="([^"]*)"')
# A paragraph holding nothing but an address (or a link to itself): the editor's way to ask for an embed.
BARE_URL = re.compile(r'<p>\s*(?:<a href="([^"]+)"[^>]*>\1</a>|(https://[^\s<>"]+))\s*</p>')
MAX_GALLERY = 100


def attributes(match: re.Match) -> dict[str, str]:
    return {name[5:]: unescape(value) for name, value in _ATTRIBUTE.findall(match.group(1))}


def photo_ids(value: str) -> list[int]:
    """'12 13, 14' -> [12, 13, 14]; anything not a number is left out."""
    return [int(part) for part in re.split(r"[\s,]+", value.strip()) if part.isdigit()][:MAX_GALLERY]


def elements(html: str) -> list[dict]:
    """The structured figures of a body, in order: {"kind": photo|gallery|embed, ...their attributes}."""
    found = []
    for match in ELEMENT.finditer(html or ""):
        values = attributes(match)
        kind = next(k for k in ("photo", "gallery", "embed") if k in values)
        found.append({"kind": kind, **values})
    return found


def usable_photos(ids) -> dict[int, Photo]:
    """The photos among `ids` that readers can see (a file is there), in one query."""
    ids = set(ids)
    if not ids:
        return {}
    return {photo.pk: photo for photo in Photo.objects.filter(pk__in=ids).exclude(image="")}


def all_photo_ids(found: list[dict]) -> list[int]:
    ids = []
    for element in found:
        if element["kind"] == "photo":
            ids += photo_ids(element["photo"])[:1]
        elif element["kind"] == "gallery":
            ids += photo_ids(element["gallery"])
    return ids


def keep_photo_links(article, stored_body: str | None = None) -> None:
    """Keep `article.photos_in_body`, the photos its body shows, true to its body, so the library asks "which
    stories show this photo?" of an index instead of reading every body. `stored_body` is the body as it was
    ("" for a new story, None when unknown): an unchanged body costs nothing, a body without photos then or
    now costs nothing, otherwise one query to read the photos that exist and what `set()` writes."""
    html = article.body or ""
    if stored_body is not None and stored_body == html:
        return
    ids = set(all_photo_ids(elements(html))) if "data-" in html else set()
    if not ids and stored_body is not None and "data-" not in stored_body:
        return
    if ids:
        ids = set(
            Photo.objects.filter(pk__in=ids).values_list("pk", flat=True)
        )  # a body may name a deleted one
    article.photos_in_body.set(ids)


def links_after_raw_save(sender, instance, raw=False, **kwargs) -> None:
    """post_save: a raw save (a restored version, loaddata) skips Article.save(); its links are read here."""
    if raw:
        keep_photo_links(instance)


def body_photos(html: str) -> list[Photo]:
    """The body's photos readers see, in order of appearance, each once (one query, none without photos)."""
    ids = all_photo_ids(elements(html))
    photos = usable_photos(ids)
    seen, ordered = set(), []
    for pk in ids:
        if pk in photos and pk not in seen:
            seen.add(pk)
            ordered.append(photos[pk])
    return ordered


def photos_of(article) -> list[Photo]:
    """The body photos of `article` other than its lead photo: those its page loaded, else one query."""
    photos = getattr(article, "body_photos", None)
    if photos is None:
        photos = article.body_photos = body_photos(article.body)
    return [photo for photo in photos if photo.pk != article.lead_photo_id]


def attach_photos(articles) -> list:
    """Set `body_photos` on each of `articles` with one query for all of them (feeds, lists)."""
    articles = list(articles)
    found = {article.pk: all_photo_ids(elements(article.body)) for article in articles}
    photos = usable_photos(pk for ids in found.values() for pk in ids)
    for article in articles:
        ordered = dict.fromkeys(pk for pk in found[article.pk] if pk in photos)
        article.body_photos = [photos[pk] for pk in ordered]
    return articles


# --- on save ---


def bare_urls_to_embeds(html: str) -> str:
    """A paragraph holding only a provider's address becomes an embed (fetched by `prepare`)."""

    def replace(match: re.Match) -> str:
        url = unescape(match.group(1) or match.group(2))
        if embeds.provider_for(url) is None:
            return match.group(0)
        return f'<figure data-embed="{escape(url, quote=True)}"></figure>'

    return BARE_URL.sub(replace, html) if "<p>" in html else html


def prepare(html: str) -> tuple[str, list[str], list[str]]:
    """Fetch the oEmbed answer of new embeds and check photo ids, before a body is saved.

    Returns the body, notes (an embed that fell back to a link) and errors (photos that cannot be shown,
    empty galleries): the caller shows both to the editor, nothing else of the body changes.
    """
    notes: list[str] = []
    errors: list[str] = []
    found = elements(html)
    photos = usable_photos(all_photo_ids(found))
    for element in found:
        if element["kind"] == "photo":
            ids = photo_ids(element["photo"])
            if not ids or ids[0] not in photos:
                errors.append(
                    f"Photo {element['photo']!s} in the story is not in the photo library or has no image "
                    "file: choose another photo from the toolbar, or upload its file in Photos."
                )
        elif element["kind"] == "gallery":
            ids = photo_ids(element["gallery"])
            if not ids:
                errors.append("A gallery in the story has no photos: add photos to it or remove it.")
            missing = [pk for pk in ids if pk not in photos]
            if missing:
                errors.append(
                    f"A gallery holds photos that are not in the library or have no image file "
                    f"({', '.join(map(str, missing))}): remove them from the gallery or upload their files."
                )

    def fetch(match: re.Match) -> str:
        values = attributes(match)
        if "embed" not in values or "provider" in values:
            return match.group(0)  # a photo, a gallery, or an embed fetched before: kept as it is
        url = values["embed"].strip()
        url = embeds.page_for_frame(url) or url  # a player pasted into the editor: its page
        try:
            data = embeds.oembed(url)
        except embeds.EmbedError as error:
            notes.append(
                f"Could not embed {url}: {error}. It is a plain link in the story now; save again to keep "
                "it so, or paste the address again later."
            )
            provider = embeds.provider_for(url)
            label = f" ({provider.name})" if provider else ""
            if not url.startswith(("https://", "http://")):
                return ""
            safe = escape(url, quote=True)
            return f'<p><a href="{safe}" rel="noopener noreferrer">{escape(url)}</a>{label}</p>'
        return embeds.figure_html(data)

    if 'data-embed="' in html:
        html = ELEMENT.sub(fetch, html)
    return html, notes, errors


# --- for readers ---


class Rendered(NamedTuple):
    html: str
    frame_sources: list[str]  # the CSP frame-src origins its embeds need
    photos: list[Photo]  # the photos shown, in order, each once (JSON-LD, surrogate keys)


def render(html: str) -> Rendered:
    """The body as readers see it: photos and galleries as figures, embeds as click-to-load placeholders."""
    found = elements(html)
    if not found:
        return Rendered(mark_safe(html), [], [])  # noqa: S308 -- sanitized on save
    ids = all_photo_ids(found)
    photos = usable_photos(ids)
    templates = {kind: get_template(f"includes/body_{kind}.html") for kind in ("photo", "gallery", "embed")}
    shown: list[dict] = []
    counter = iter(range(1, 10_000))

    def replace(match: re.Match) -> str:
        values = attributes(match)
        kind = next(k for k in ("photo", "gallery", "embed") if k in values)
        if kind == "photo":
            ids = photo_ids(values["photo"])
            photo = photos.get(ids[0]) if ids else None
            if photo is None:
                return ""  # deleted or without a file since: left out quietly
            return templates["photo"].render({"photo": photo, "caption": values.get("caption")})
        if kind == "gallery":
            items = [photos[pk] for pk in photo_ids(values["gallery"]) if pk in photos]
            if not items:
                return ""
            return templates["gallery"].render(
                {"photos": items, "caption": values.get("caption"), "number": next(counter)}
            )
        url = values.get("embed", "")
        # (an imported embed not fetched yet has no provider stored: a link until an editor saves it)
        provider = embeds.BY_NAME.get(values.get("provider", "")) or embeds.provider_for(url)
        if provider is None or embeds.provider_for(url) is not provider:
            return ""
        frame = embeds.safe_frame(provider, url, values.get("frame", ""))
        shown.append({**values, "url": url})
        return templates["embed"].render(
            {
                "url": url,
                "provider": provider.name,
                "title": values.get("title", ""),
                "author": values.get("author", ""),
                "frame": frame,
                "ratio": values.get("ratio")
                if re.fullmatch(r"\d{1,3}(\.\d+)?", values.get("ratio", ""))
                else "",
            }
        )

    rendered = ELEMENT.sub(replace, html)
    ordered = list({pk: photos[pk] for pk in ids if pk in photos}.values())
    return Rendered(mark_safe(rendered), embeds.frame_sources(shown), ordered)  # noqa: S308 -- values escaped


def for_machines(html: str, absolute) -> str:
    """The body for feeds and APIs: photos as <figure><img> with absolute addresses, embeds as links."""
    found = elements(html)
    if not found:
        return html
    photos = usable_photos(all_photo_ids(found))

    def figure(photo, caption=None) -> str:
        text = caption or photo.caption
        credit = f" <cite>{escape(photo.credit)}</cite>" if photo.credit else ""
        note = f"<figcaption>{escape(text)}{credit}</figcaption>" if text or credit else ""
        size = f' width="{photo.width}" height="{photo.height}"' if photo.width else ""
        src = escape(absolute(photo.image.url), quote=True)
        return f'<figure><img src="{src}" alt="{escape(photo.alt_text, quote=True)}"{size}>{note}</figure>'

    def replace(match: re.Match) -> str:
        values = attributes(match)
        if "photo" in values:
            ids = photo_ids(values["photo"])
            photo = photos.get(ids[0]) if ids else None
            return figure(photo, values.get("caption")) if photo else ""
        if "gallery" in values:
            return "".join(figure(photos[pk]) for pk in photo_ids(values["gallery"]) if pk in photos)
        url = values.get("embed", "")
        if not url.startswith("https://"):
            return ""
        label = values.get("title") or url
        provider = values.get("provider", "")
        suffix = f" ({escape(provider)})" if provider else ""
        return f'<p><a href="{escape(url, quote=True)}">{escape(label)}</a>{suffix}</p>'

    return ELEMENT.sub(replace, html)
