"""RSS 2.0 and Atom feeds of published stories: the latest, and one per section, author and tag.

Each entry carries every byline (dc:creator in RSS, one <author> each in Atom), the section and tags as
categories, and the lead photo as an enclosure plus a Media RSS <media:content> with its credit and caption.

Every text is plain text, written as XML text (escaped once by the XML writer), except the summary: RSS
<description> and Atom <summary type="html"> are HTML to feed readers, so the plain-text standfirst is
HTML-escaped first. C0 control characters, which XML 1.0 cannot hold (Django refuses to write them), are
dropped from everything written: rows saved before save() stripped them may still hold some.
"""

import mimetypes
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import escape

from articles import freshness
from articles.models import Article, Author, Section, Tag
from articles.validators import strip_control_characters

FEED_SIZE = 30
DC_NS = "http://purl.org/dc/elements/1.1/"
MEDIA_NS = "http://search.yahoo.com/mrss/"


def add_media(handler, item):
    """<media:content> for the lead photo, with its credit and caption."""
    photo = item["photo"]
    if not photo:
        return
    attrs = {"url": photo["url"], "medium": "image", "type": photo["type"]}
    if photo["width"]:
        attrs.update(width=str(photo["width"]), height=str(photo["height"]))
    handler.startElement("media:content", attrs)
    if photo["credit"]:
        handler.addQuickElement("media:credit", photo["credit"])
    if photo["caption"]:
        handler.addQuickElement("media:description", photo["caption"], {"type": "plain"})
    handler.endElement("media:content")


class AbsoluteLinks:
    """Make the photo's and bylines' site paths full URLs, on the story link's scheme and host."""

    def add_item(self, **kwargs):
        link = kwargs["link"]
        kwargs["enclosures"] = [
            Enclosure(urljoin(link, e.url), e.length, e.mime_type) for e in kwargs.get("enclosures") or []
        ]
        kwargs["bylines"] = [(name, urljoin(link, path)) for name, path in kwargs["bylines"]]
        if kwargs["photo"]:
            kwargs["photo"] = {**kwargs["photo"], "url": urljoin(link, kwargs["photo"]["url"])}
        super().add_item(**kwargs)


def xml_safe(value):
    """`value` without control characters, in strings nested in lists, tuples and dicts too."""
    if isinstance(value, str):
        return strip_control_characters(value)
    if isinstance(value, list | tuple):
        return type(value)(xml_safe(v) for v in value)
    if isinstance(value, dict):
        return {key: xml_safe(v) for key, v in value.items()}
    return value


class XmlSafe:
    """Drop control characters from the feed's and items' texts: one in an old row would fail the feed."""

    def __init__(self, **kwargs):
        super().__init__(**xml_safe(kwargs))

    def add_item(self, **kwargs):
        super().add_item(**xml_safe(kwargs))


class NewsRssFeed(AbsoluteLinks, XmlSafe, Rss201rev2Feed):
    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:dc": DC_NS, "xmlns:media": MEDIA_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name, _url in item["bylines"]:
            handler.addQuickElement("dc:creator", name)
        add_media(handler, item)


class NewsAtomFeed(AbsoluteLinks, XmlSafe, Atom1Feed):
    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": MEDIA_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name, url in item["bylines"]:
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.addQuickElement("uri", url)
            handler.endElement("author")
        add_media(handler, item)


class LatestFeed(Feed):
    feed_type = NewsRssFeed

    def stories(self):
        return Article.objects.published().with_cards().prefetch_related("tags").latest()

    def items(self):
        freshness.depends_on("list")
        return self.stories()[:FEED_SIZE]

    def title(self):
        return f"{settings.SITE_NAME}: latest stories"

    def link(self):
        return "/"

    def description(self):
        return f"The latest stories from {settings.SITE_NAME}."

    def author_name(self):
        return settings.SITE_NAME  # Atom needs an author for entries without a byline

    def item_title(self, story):
        freshness.depends_on(*freshness.story_keys(story))
        return story.headline

    def item_description(self, story):
        # Plain text into a field readers render as HTML: escaped here, so "AT&T" and "<img onerror=...>"
        # show as typed (the XML writer escapes once more for the document itself).
        return escape(story.description_for_seo)

    def item_pubdate(self, story):
        return story.published_at

    def item_updateddate(self, story):
        return story.revised_at or story.published_at

    def item_categories(self, story):
        return [story.section.name, *(tag.name for tag in story.tags.all())]

    def item_enclosures(self, story):
        photo = photo_info(story.lead_photo)
        return [Enclosure(photo["url"], str(photo["size"]), photo["type"])] if photo else []

    def item_extra_kwargs(self, story):
        bylines = [(b.author.name, b.author.get_absolute_url()) for b in story.bylines.all()]
        return {"bylines": bylines, "photo": photo_info(story.lead_photo)}


def photo_info(photo):
    if not (photo and photo.image):
        return None
    try:
        size = photo.image.size
    except OSError:  # the file is missing from storage: still name the photo, with an unknown length
        size = 0
    return {
        "url": photo.image.url,
        "size": size,
        "type": mimetypes.guess_type(photo.image.name)[0] or "image/jpeg",
        "width": photo.width,
        "height": photo.height,
        "credit": photo.credit,
        "caption": photo.caption,
    }


class SectionFeed(LatestFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Section, slug=slug)

    def items(self, section):
        freshness.depends_on(f"list-sec{section.pk}", f"sec{section.pk}")
        return self.stories().filter(section=section)[:FEED_SIZE]

    def title(self, section):
        return f"{section.name} · {settings.SITE_NAME}"

    def link(self, section):
        return section.get_absolute_url()

    def description(self, section):
        return section.description or f"The latest {section.name} stories from {settings.SITE_NAME}."


class AuthorFeed(LatestFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Author.objects.public(), slug=slug)

    def items(self, author):
        freshness.depends_on(f"list-a{author.pk}", f"a{author.pk}")
        return self.stories().filter(bylines__author=author)[:FEED_SIZE]

    def title(self, author):
        return f"{author.name} · {settings.SITE_NAME}"

    def link(self, author):
        return author.get_absolute_url()

    def description(self, author):
        return f"The latest stories by {author.name}."


class TagFeed(LatestFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Tag.objects.public(), slug=slug)

    def items(self, tag):
        freshness.depends_on(f"list-t{tag.pk}", f"t{tag.pk}")
        return self.stories().filter(tagged_items__tag=tag)[:FEED_SIZE]

    def title(self, tag):
        return f"{tag.name} · {settings.SITE_NAME}"

    def link(self, tag):
        return tag.get_absolute_url()

    def description(self, tag):
        return f"The latest stories about {tag.name}."


class AtomMixin:
    feed_type = NewsAtomFeed

    def subtitle(self, obj=None):
        return self._get_dynamic_attr("description", obj)


class LatestAtomFeed(AtomMixin, LatestFeed):
    pass


class SectionAtomFeed(AtomMixin, SectionFeed):
    pass


class AuthorAtomFeed(AtomMixin, AuthorFeed):
    pass


class TagAtomFeed(AtomMixin, TagFeed):
    pass
