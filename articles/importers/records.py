"""Neutral records that parsers produce and the loader writes: plain values, no database."""

from dataclasses import dataclass, field
from datetime import datetime

MAX_JSON_DEPTH = 64  # a story is a few levels deep; thousands of levels are an attack on the parser's stack


class SourceError(ValueError):
    """A whole source cannot be read: not the format, malformed, refused. The message is one line."""


def too_deep(value: object, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether parsed JSON nests lists and objects more than `limit` levels (walked without recursion)."""
    stack = [(value, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > limit:
                return True
            stack.extend(
                (child, depth + 1) for child in (value.values() if isinstance(value, dict) else value)
            )
    return False


@dataclass
class PhotoRecord:
    caption: str = ""
    credit: str = ""
    alt_text: str = ""
    url: str = ""  # where the image lives at the source
    file: str = ""  # path of the image file, looked up under --media-dir
    source_id: str = ""  # the source's own id for the picture (a WordPress attachment, a ninjs uri), if any
    label: str = ""  # how messages name it when its file is missing: "attachment 611", "association portrait"


@dataclass
class BylineRecord:
    name: str
    role: str = ""  # "" means "Written by"
    slug: str = ""  # only a hint, used when the author has to be created
    affiliation: str = (
        ""  # "Michigan State University" in "Ana Reyes, Michigan State University": a job title
    )


@dataclass
class ArticleRecord:
    source: str
    external_id: str
    headline: str
    where: str = ""  # the item in its file, for messages: "export.xml: item 3 (post 42)"
    body: str = ""  # HTML; the loader sanitizes it
    dek: str = ""
    slug: str = ""
    section: str = ""  # name
    section_slug: str = ""
    bylines: list[BylineRecord] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    tag_slugs: dict[str, str] = field(default_factory=dict)  # name -> slug hint
    status: str | None = None  # "draft", "published" or None (the loader decides)
    published_at: datetime | None = None
    revised_at: datetime | None = None
    embargo_until: datetime | None = None  # ninjs `embargoed`: not public before this moment
    dateline_place: str = ""
    lead_photo: PhotoRecord | None = None
    body_photos: dict[str, PhotoRecord] = field(default_factory=dict)  # exported number -> photo (#14)
    seo_title: str = ""
    seo_description: str = ""
    warnings: list[str] = field(default_factory=list)


@dataclass
class BadItem:
    """One item of a source that could not be turned into a record; the others go on."""

    where: str
    error: str
    external_id: str = ""


@dataclass
class Skipped:
    """An item that is deliberately not a story (a WordPress page, a ninjs picture)."""

    where: str
    reason: str
    external_id: str = ""


@dataclass
class Recovered:
    """A source was malformed but read the way a lenient reader would (WordPress's importer, a browser).

    The run reports it ("recovered: ...") and never hands it to the loader.
    """

    where: str
    message: str


Item = ArticleRecord | BadItem | Skipped | Recovered
