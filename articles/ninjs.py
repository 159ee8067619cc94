"""One published story as an IPTC ninjs 3.0 document (https://iptc.org/standards/ninjs/).

`absolute` turns a site path into a full URL (e.g. request.build_absolute_uri). Times carry their UTC offset.
The lead photo becomes an association of type "picture" with its credit in `by`.
"""

import mimetypes
from collections.abc import Callable

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from articles import body as story_body

SCHEMA = "http://www.iptc.org/std/ninjs/ninjs-schema_3.0.json#"


def timestamp(value) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds")


def byline_text(story) -> str:
    """'Written by A and B. Photos by C', as in the article page."""
    sentences = []
    for role, authors in story.byline_groups():
        names = [a.name for a in authors]
        joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        sentences.append(f"{role} {joined}")
    return ". ".join(sentences)


def picture(photo, absolute: Callable[[str], str], name: str = "leadPhoto") -> dict:
    url = absolute(photo.image.url)
    rendition = {"name": "original", "href": url}
    content_type = mimetypes.guess_type(photo.image.name)[0]
    if content_type:
        rendition["contentType"] = content_type
    if photo.width:
        rendition.update(width=photo.width, height=photo.height)
    rel = "leadPhoto" if name == "leadPhoto" else "bodyPhoto"
    item = {"name": name, "rel": rel, "uri": url, "type": "picture", "renditions": [rendition]}
    if photo.credit:
        item["by"] = photo.credit
    descriptions = [
        {"role": role, "value": value}
        for role, value in (("caption", photo.caption), ("alternativeText", photo.alt_text))
        if value
    ]
    if descriptions:
        item["descriptions"] = descriptions
    return item


def story(article, absolute: Callable[[str], str]) -> dict:
    """The ninjs 3.0 document for a published story (its `with_cards()` relations and tags prefetched)."""
    page = absolute(article.get_absolute_url())
    body_photos = story_body.photos_of(article)
    body = story_body.for_machines(article.body, absolute)  # photos as <img>, embeds as links
    document = {
        "standard": {"name": "ninjs", "version": "3.0", "schema": SCHEMA},
        "uri": absolute(reverse("articles:api_story", args=[article.pk])),
        "type": "text",
        "representationType": "full",
        "version": str(getattr(article, "version", "") or 1),
        "firstCreated": timestamp(article.published_at),
        "versionCreated": timestamp(article.revised_at or article.published_at),
        "pubStatus": "usable",
        "language": settings.SITE_LANGUAGE,
        "copyrightHolder": settings.SITE_NAME,
        "headlines": [{"role": "main", "value": article.headline}],
        "bodies": [
            {
                "role": "main",
                "contentType": "text/html",
                "value": body,
                "charCount": len(strip_tags(body)),
                "wordCount": len(strip_tags(body).split()),
            }
        ],
        "renditions": [{"name": "web", "href": page, "contentType": "text/html"}],
        "subjects": [
            {
                "name": article.section.name,
                "rel": "section",
                "uri": absolute(article.section.get_absolute_url()),
            }
        ]
        + [
            {"name": tag.name, "rel": "about", "literal": tag.slug, "uri": absolute(tag.get_absolute_url())}
            for tag in sorted(article.tags.all(), key=lambda tag: tag.name)
        ],
    }
    if article.dek:
        document["headlines"].append({"role": "sub", "value": article.dek})
    bylines = list(article.bylines.all())
    if bylines:
        document["by"] = byline_text(article)
        document["people"] = [
            {
                "name": b.author.name,
                "rel": "author" if not b.role else "contributor",
                "uri": absolute(b.author.get_absolute_url()),
            }
            for b in bylines
        ]
    if article.dateline_place:
        document["located"] = article.dateline_place
    associations = []
    if article.lead_photo and article.lead_photo.image:
        associations.append(picture(article.lead_photo, absolute))
    associations += [picture(photo, absolute, f"bodyPhoto{n}") for n, photo in enumerate(body_photos, 1)]
    if associations:
        document["associations"] = associations
    return document
