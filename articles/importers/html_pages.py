"""Saved HTML pages: a site's own article pages, as `wget --mirror` keeps them, one story per page.

Metadata comes from what the page tells machines: schema.org NewsArticle JSON-LD first, then Open Graph and
`article:*` meta tags, then plain meta tags and the page itself. The body comes from trafilatura, which finds
the article's text and leaves menus, share buttons, "Trending Now", related links, newsletter boxes and
comments out (compared with readability-lxml in docs/importing.md); what furniture it lets through is dropped
by the same rules as for scraped text. Pages that are not articles (home, section and tag lists) are skipped.
"""

import functools
import json
import re
from collections.abc import Iterator
from datetime import tzinfo
from html import escape
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import lxml.html
import trafilatura
from lxml import etree
from trafilatura.htmlprocessing import convert_to_html
from trafilatura.settings import Extractor

from articles.importers.dates import parse_iso
from articles.importers.decode import decode_html
from articles.importers.html import strip_tags
from articles.importers.names import split_bylines
from articles.importers.records import ArticleRecord, BylineRecord, Item, PhotoRecord, Skipped, SourceError
from articles.importers.text import CREDIT, FURNITURE

SOURCE = "html"
ARTICLE_TYPES = {
    "newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
    "reviewnewsarticle", "backgroundnewsarticle", "blogposting", "liveblogposting", "report", "techarticle",
}  # fmt: skip
# white space beside block tags is the extractor's indentation; beside inline ones it parts words
_BLOCK_SPACE = re.compile(r"\s*(</?(?:p|blockquote|ul|ol|li|table|thead|tbody|tr|td|th|dl|dt|dd)\b[^>]*>)\s*")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
RENAMED = {"h1": "h2", "h4": "h3", "h5": "h3", "h6": "h3"}  # the headline is the page's one h1
_TRAILING_CREDIT = re.compile(
    r"(?:^|(?<=[.!?]))\s*\(?((?:photo|foto|image|credit)s?\b\s*(?:by\b|:).*?)\)?$", re.IGNORECASE
)


def parse(data: bytes, *, name: str, tz: tzinfo) -> Iterator[Item]:
    """Yield the one story of a saved page, or a Skipped for a page that is not an article."""
    text = _XML_DECLARATION.sub("", decode_html(data, name=name), count=1)  # lxml refuses it in a str
    try:
        tree = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as error:
        raise SourceError(f"{name}: not an HTML page ({error})") from None
    yield page(tree, name=name, tz=tz)


def _meta(tree: etree._Element) -> dict[str, list[str]]:
    """Every <meta property|name=... content=...>, lower-cased keys, values in page order."""
    found: dict[str, list[str]] = {}
    for element in tree.iter("meta"):
        key = (
            (element.get("property") or element.get("name") or element.get("itemprop") or "").strip().lower()
        )
        value = (element.get("content") or "").strip()
        if key and value:
            found.setdefault(key, []).append(value)
    return found


def _json_ld(tree: etree._Element) -> dict[str, Any]:
    """The page's article object from its JSON-LD (also inside @graph or a list), or {}."""
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json" or not script.text:
            continue
        try:
            document = json.loads(script.text)
        except ValueError:
            continue
        candidates = document if isinstance(document, list) else [document]
        while candidates:
            node = candidates.pop(0)
            if not isinstance(node, dict):
                continue
            if isinstance(node.get("@graph"), list):
                candidates.extend(node["@graph"])
            types = node.get("@type")
            types = types if isinstance(types, list) else [types]
            if any(str(t).lower() in ARTICLE_TYPES for t in types):
                return node
    return {}


def _text(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, dict):
        value = value.get("name") or value.get("@id") or value.get("url") or ""
    return " ".join(strip_tags(str(value or "")).split())


def _first(meta: dict[str, list[str]], *keys: str) -> str:
    for key in keys:
        if meta.get(key):
            return " ".join(meta[key][0].split())
    return ""


def _canonical(tree: etree._Element, meta: dict[str, list[str]], ld: dict) -> str:
    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href", "").strip():
            return link.get("href").strip()
    main = ld.get("mainEntityOfPage")
    return (
        _first(meta, "og:url")
        or (str(ld.get("url") or "") if isinstance(ld.get("url"), str) else "")
        or (str(main.get("@id") or "") if isinstance(main, dict) else str(main or ""))
        or str(ld.get("@id") or "")
    ).strip()


def _authors(ld: dict, meta: dict[str, list[str]], tree: etree._Element) -> list[BylineRecord]:
    people = ld.get("author") or ld.get("creator") or []
    people = people if isinstance(people, list) else [people]
    bylines: list[BylineRecord] = []
    for person in people:
        if isinstance(person, dict):
            name = _text(person.get("name"))
            job = _text(person.get("jobTitle") or person.get("affiliation"))
            pairs = [(name, job)] if name else []
        else:
            pairs = split_bylines(_text(person))
        for name, affiliation in pairs:
            if name and not name.startswith("http") and all(b.name != name for b in bylines):
                bylines.append(BylineRecord(name=name, affiliation=affiliation))
    if not bylines:
        names = [
            v for v in meta.get("author", []) + meta.get("article:author", []) if not v.startswith("http")
        ]
        names += [" ".join(a.text_content().split()) for a in tree.iter("a") if a.get("rel") == "author"]
        for value in names:
            for name, affiliation in split_bylines(value):
                if all(b.name != name for b in bylines):
                    bylines.append(BylineRecord(name=name, affiliation=affiliation))
    return bylines


def _tags(ld: dict, meta: dict[str, list[str]]) -> list[str]:
    keywords = ld.get("keywords") or []
    if isinstance(keywords, str):
        keywords = keywords.split(",")
    values = [_text(k) for k in keywords] or meta.get("article:tag", [])
    if not values and meta.get("news_keywords"):
        values = meta["news_keywords"][0].split(",")
    tags: list[str] = []
    for value in values:
        value = " ".join(value.split())
        if value and value.casefold() not in {t.casefold() for t in tags}:
            tags.append(value)
    return tags


def _image(ld: dict) -> dict:
    image = ld.get("image")
    if isinstance(image, list):
        image = image[0] if image else None
    if isinstance(image, str):
        return {"url": image}
    return image if isinstance(image, dict) else {}


def _figure_texts(tree: etree._Element, url: str) -> tuple[str, str]:
    """Caption and credit of the page's figure showing `url` (or of its first figure)."""
    figures = list(tree.iter("figure"))
    path = urlsplit(url).path.rsplit("/", 1)[-1] if url else ""
    chosen = next(
        (f for f in figures if path and any(path in (img.get("src") or "") for img in f.iter("img"))),
        figures[0] if figures else None,
    )
    caption_element = next(chosen.iter("figcaption"), None) if chosen is not None else None
    if caption_element is None:
        return "", ""
    credit = ""
    for element in caption_element.iter():
        classes = (element.get("class") or "").lower()
        if element is not caption_element and ("credit" in classes or "copyright" in classes):
            credit = " ".join(element.text_content().split())
            element.drop_tree()
            break
    caption = " ".join(caption_element.text_content().split())
    if not credit and (match := _TRAILING_CREDIT.search(caption)):
        caption, credit = caption[: match.start()].strip(), match.group(1).strip()
    return caption, credit


def _photo(ld: dict, meta: dict[str, list[str]], tree: etree._Element) -> PhotoRecord | None:
    image = _image(ld)
    url = _text(image.get("contentUrl") or image.get("url")) or _first(meta, "og:image", "twitter:image")
    if not url:
        return None
    caption = _text(image.get("caption") or image.get("description"))
    credit = _text(image.get("creditText") or image.get("copyrightHolder") or image.get("author"))
    if not caption or not credit:
        found_caption, found_credit = _figure_texts(tree, url)
        caption, credit = caption or found_caption, credit or found_credit
    return PhotoRecord(
        caption=caption,
        credit=credit,
        alt_text=_first(meta, "og:image:alt", "twitter:image:alt"),
        url=url,
        file=unquote(urlsplit(url).path).lstrip("/"),
    )


@functools.cache
def _extractor() -> Extractor:
    """trafilatura's options, made once (a tenth of a page's time when made for each)."""
    return Extractor(
        output_format="html",
        fast=True,  # no second opinion from readability/jusText: twice the speed, the same text on news pages
        precision=True,  # leave out what only might be the story: furniture never gets in
        comments=False,
        formatting=True,
        links=True,
        images=False,  # the lead photo comes from the metadata; images from the old site stay there
        tables=True,
        dedup=False,
    )


# A story's own elements, as our pages and many others mark them up. trafilatura keeps text, not boxes: it
# drops a fact box and flattens a pull quote or a photo. So each is set aside before the extraction, a
# placeholder paragraph holding its place, and put back after it in the form the loader reads: a photo or
# gallery as figures with their images (library photos from --media-dir, else removed with a warning).
_ELEMENTS = etree.XPath(
    "//aside[contains(concat(' ', normalize-space(@class), ' '), ' factbox ')]"
    " | //blockquote[contains(concat(' ', normalize-space(@class), ' '), ' pullquote ')]"
    " | //figure[contains(concat(' ', normalize-space(@class), ' '), ' body-photo ')]"
    " | //figure[contains(concat(' ', normalize-space(@class), ' '), ' gallery ')]"
)
_PLACEHOLDER = re.compile(r"<p>(newsroomelement\d{4})</p>")


def _plain(element) -> str:
    return " ".join(element.text_content().split()) if element is not None else ""


def _image_figure(figure, base: str) -> str:
    """`<figure><img><figcaption>` of a figure's picture (its `src`) and caption, the credit in <cite>."""
    img = next(figure.iter("img"), None)
    if img is None or not img.get("src"):
        return ""
    caption, cite = next(figure.iter("figcaption"), None), ""
    if caption is not None:
        credit = next((e for e in caption.iter() if "credit" in (e.get("class") or "")), None)
        if credit is not None:
            cite = f"<cite>{escape(_plain(credit))}</cite>"
            credit.drop_tree()
        for position in caption.xpath(".//*[contains(@class, 'gallery-position')]"):  # "1 of 3."
            position.drop_tree()
    text = escape(_plain(caption))
    return (
        f'<figure><img src="{escape(urljoin(base, img.get("src")))}" alt="{escape(img.get("alt") or "")}">'
        f"<figcaption>{text}{' ' if text and cite else ''}{cite}</figcaption></figure>"
    )


def _element(element, base: str) -> str:
    classes = (element.get("class") or "").split()
    if element.tag == "aside":
        inner = "".join(
            f"<{child.tag}>{escape(_plain(child))}</{child.tag}>"
            for child in element
            if child.tag in ("h2", "h3", "p") and _plain(child)
        )
        return f'<aside class="factbox">{inner}</aside>' if inner else ""
    if element.tag == "blockquote":
        return f'<blockquote class="pullquote"><p>{escape(_plain(element))}</p></blockquote>'
    if "gallery" in classes:  # a gallery: its title, then each photo (the loader's gallery form)
        title = next((e for e in element if e.tag == "figcaption"), None)
        for count in title.xpath(".//*[contains(@class, 'gallery-count')]") if title is not None else []:
            count.drop_tree()
        items = "".join(_image_figure(f, base) for f in element.iter("figure") if f is not element)
        heading = f'<figcaption class="blocks-gallery-caption">{escape(_plain(title))}</figcaption>'
        return f"<!-- wp:gallery -->{items}{heading if title is not None else ''}<!-- /wp:gallery -->"
    return _image_figure(element, base)


def _set_aside(tree: etree._Element, base: str) -> dict[str, str]:
    """The story's own elements in `tree`, each replaced by a placeholder paragraph (their pictures' addresses
    made absolute against `base`, the page's own: they are the old site's, not this library's)."""
    kept = {}
    for element in _ELEMENTS(tree):
        if element.getparent() is None or any(a.tag == "figure" for a in element.iterancestors()):
            continue
        key = f"newsroomelement{len(kept):04d}"
        kept[key] = _element(element, base)
        placeholder = etree.Element("p")
        placeholder.text, placeholder.tail = key, element.tail
        element.getparent().replace(element, placeholder)
    return kept


def _body(tree: etree._Element, headline: str, dek: str, url: str) -> str:
    kept = _set_aside(tree, url)
    # bare_extraction and convert_to_html are what extract(output_format="html") runs, without the content
    # fingerprint it also computes (a third of the time) and a round trip through a string
    document = trafilatura.bare_extraction(tree, options=_extractor())
    if document is None or document.body is None:
        return ""
    body = convert_to_html(document.body).find("body")
    if body is None:
        return ""
    skip = {" ".join(headline.split()).casefold(), " ".join(dek.split()).casefold()}
    blocks: list[str] = []
    for block in body:
        plain = " ".join("".join(block.itertext()).split())
        if not plain or plain.casefold() in skip or FURNITURE.match(plain) or CREDIT.match(plain):
            continue
        block.tag = RENAMED.get(block.tag, block.tag)
        block.tail = None
        markup = etree.tostring(block, method="html", encoding="unicode").strip()
        blocks.append(_BLOCK_SPACE.sub(r"\1", markup))
    html = "\n".join(blocks)
    return _PLACEHOLDER.sub(lambda m: kept.get(m.group(1), ""), html) if kept else html


def page(tree: etree._Element, *, name: str, tz: tzinfo) -> Item:
    """One parsed page as a record."""
    meta = _meta(tree)
    ld = _json_ld(tree)
    og_type = _first(meta, "og:type").lower()
    if not ld and og_type != "article":
        return Skipped(name, "not an article page (no NewsArticle JSON-LD, no og:type article)")
    url = _canonical(tree, meta, ld)
    h1 = next(iter(tree.iter("h1")), None)
    title = next(iter(tree.iter("title")), None)
    headline = (
        _text(ld.get("headline") or ld.get("name"))
        or _first(meta, "og:title", "twitter:title")
        or (" ".join(h1.text_content().split()) if h1 is not None else "")
        or (" ".join(title.text_content().split()) if title is not None else "")
    )
    record = ArticleRecord(source=SOURCE, external_id=url or name, headline=headline, where=name)
    record.status = "published"  # it was on the site for anyone to read
    record.dek = _text(ld.get("description")) or _first(meta, "og:description", "description")
    record.bylines = _authors(ld, meta, tree)
    published = _text(ld.get("datePublished")) or _first(meta, "article:published_time", "date", "dc.date")
    modified = _text(ld.get("dateModified")) or _first(meta, "article:modified_time", "og:updated_time")
    if not published:
        stamp = next((t.get("datetime") for t in tree.iter("time") if t.get("datetime")), "")
        published = stamp or ""
    record.published_at = parse_iso(published, tz)
    precise = parse_iso(_first(meta, "article:published_time"), tz)  # JSON-LD often drops the fraction
    if precise and record.published_at and precise.replace(microsecond=0) == record.published_at:
        record.published_at = precise
    if published and record.published_at is None:
        record.warnings.append(f"date {published!r} could not be read")
    revised = parse_iso(modified, tz)
    if revised and record.published_at and revised > record.published_at:
        record.revised_at = revised
    section = ld.get("articleSection")
    record.section = _text(section) if section else _first(meta, "article:section")
    record.tags = _tags(ld, meta)
    record.lead_photo = _photo(ld, meta, tree)
    record.slug = unquote(urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]) if url else ""
    record.seo_title = _first(meta, "og:title") if _first(meta, "og:title") != headline else ""
    record.body = _body(tree, headline, record.dek, url or name)
    if not record.body:
        record.warnings.append("no article text found in the page")
    return record
