"""Metadata for search engines and social networks: JSON-LD, and the values of the Open Graph tags.

JSON-LD goes in a <script type="application/ld+json"> data block, which browsers never execute, so the strict
CSP (script-src 'self', no inline script) holds. <, > and & are escaped as in Django's json_script, so no text
in a story can end the block early.
"""

import json

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.templatetags.static import static
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles import body as story_body
from articles.models import path
from articles.photos import RATIOS
from articles.templatetags.photos import sources

register = template.Library()

JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld(data) -> str:
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


def iso(value) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds")


def image_object(photo, absolute, ratio="") -> dict:
    """An ImageObject of the photo: its crop at `ratio` (the largest copy, up to 1200 px) or the original."""
    found = sources(photo, ratio)
    image = {
        "@type": "ImageObject",
        "url": absolute(found["src"]),
        "contentUrl": absolute(found["src"]),
    }
    if found["width"]:
        image.update(width=found["width"], height=found["height"])
    if photo.caption:
        image["caption"] = photo.caption
    if photo.credit:
        image["creditText"] = photo.credit
    return image


def publisher(absolute) -> dict:
    return {
        "@type": "NewsMediaOrganization",
        "name": settings.SITE_NAME,
        "url": absolute(path("articles:home")),
        "logo": {"@type": "ImageObject", "url": absolute(static("favicon.svg"))},
    }


def news_article(article, absolute) -> dict:
    """schema.org NewsArticle for a published story."""
    url = absolute(article.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": url,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "headline": article.headline,
        "datePublished": iso(article.published_at),
        "dateModified": iso(article.revised_at or article.published_at),
        "author": [
            {"@type": "Person", "name": b.author.name, "url": absolute(b.author.get_absolute_url())}
            for b in article.bylines.all()
        ],
        "publisher": publisher(absolute),
        "articleSection": article.section.name,
        "keywords": [tag.name for tag in article.tags.all()],
        "inLanguage": settings.SITE_LANGUAGE,
        "isAccessibleForFree": True,
    }
    if article.description_for_seo:
        data["description"] = article.description_for_seo
    if article.dateline_place:
        data["dateline"] = article.dateline_place
    if article.lead_photo and article.lead_photo.image:
        # Google asks for 16:9, 4:3 and 1:1 images of a NewsArticle; the original until the crops exist
        images = [image_object(article.lead_photo, absolute, ratio) for ratio in RATIOS]
        data["image"] = list({image["url"]: image for image in images}.values())
    if body_images := [image_object(p, absolute) for p in story_body.photos_of(article)]:
        data["image"] = data.get("image", []) + body_images  # the body's photos, each with its credit
    return data


def breadcrumbs(article, absolute) -> dict:
    trail = [
        (settings.SITE_NAME, path("articles:home")),
        (article.section.name, article.section.get_absolute_url()),
        (article.headline, article.get_absolute_url()),
    ]
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": n, "name": name, "item": absolute(path)}
            for n, (name, path) in enumerate(trail, start=1)
        ],
    }


@register.simple_tag(takes_context=True)
def article_json_ld(context, article):
    """The NewsArticle and BreadcrumbList blocks of a story page."""
    absolute = context["request"].build_absolute_uri
    return json_ld(news_article(article, absolute)) + json_ld(breadcrumbs(article, absolute))


@register.simple_tag(takes_context=True)
def page_meta(context):
    """Title, description, canonical URL, image and feeds of the page, from its main object."""
    request = context["request"]
    absolute = request.build_absolute_uri
    site = settings.SITE_NAME
    meta = {"title": site, "description": f"News, analysis and opinion from {site}.", "type": "website"}
    meta["canonical"] = absolute(request.path)
    page = context.get("page_obj")
    if page is not None and page.number > 1:
        meta["canonical"] += f"?page={page.number}"
    meta["feeds"] = [(f"{site}: latest stories", "articles:feed_rss", "articles:feed_atom", None)]
    article, section, author, tag = (context.get(name) for name in ("article", "section", "author", "tag"))
    if article is not None:
        meta.update(title=article.title_for_seo, description=article.description_for_seo, type="article")
        meta["canonical"] = absolute(article.get_absolute_url())
        if article.lead_photo and article.lead_photo.image:
            # social cards: the 16:9 crop 1200 px wide (the original until the crops exist)
            photo, card = article.lead_photo, sources(article.lead_photo, "16:9")
            meta["image"] = {"width": card["width"], "height": card["height"], "alt_text": photo.alt_text}
            meta["image_url"] = absolute(card["src"])
    elif section is not None:
        meta.update(title=section.name, description=section.description or meta["description"])
        meta["feeds"].append((section.name, "articles:section_rss", "articles:section_atom", section.slug))
    elif author is not None:
        meta.update(title=author.name, description=author.bio[:300] or f"Stories by {author.name}.")
        meta["feeds"].append((author.name, "articles:author_rss", "articles:author_atom", author.slug))
    elif tag is not None:
        meta.update(title=tag.name, description=tag.description or f"Stories about {tag.name}.")
        meta["feeds"].append((tag.name, "articles:tag_rss", "articles:tag_atom", tag.slug))
    meta["feeds"] = [
        {
            "title": title,
            "rss": path(rss, *([slug] if slug else [])),
            "atom": path(atom, *([slug] if slug else [])),
        }
        for title, rss, atom, slug in meta["feeds"]
    ]
    return meta
