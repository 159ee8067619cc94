import re
from functools import lru_cache

from django import template
from django.conf import settings
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from articles import freshness

register = template.Library()


def nav_links() -> list[dict]:
    def links():
        return [{"name": s.name, "url": s.get_absolute_url()} for s in freshness.all_sections().values()]

    return freshness.fragment(("nav-links",), links)


def current_section(context, sections) -> str:
    """The address of the section whose page this is, or ""."""
    path = context["request"].path if "request" in context else ""
    return path if any(section["url"] == path for section in sections) else ""


@register.simple_tag(takes_context=True)
def section_nav(context):
    """The sections menu, rendered again only when a section changes (per section marked current)."""
    sections = nav_links()
    current = current_section(context, sections)
    return freshness.fragment(
        ("nav", current),
        lambda: (
            freshness.depends_on("sections")
            or get_template("includes/section_nav.html").render({"sections": sections, "current": current})
        ),
    )


@register.simple_tag(takes_context=True)
def masthead(context):
    """includes/header.html, kept per section marked current and per day (it shows the date) until a section
    changes: every page shows it, the same but for those two."""
    key = ("masthead", current_section(context, nav_links()), timezone.localdate().isoformat())
    return freshness.fragment(key, lambda: get_template("includes/header.html").template.render(context))


@register.simple_tag(takes_context=True)
def site_footer(context):
    """includes/footer.html, kept per year (its copyright line) until a section or a footer page changes."""
    key = ("footer", timezone.localdate().year)
    return freshness.fragment(key, lambda: get_template("includes/footer.html").template.render(context))


@register.filter
def dateline(value):
    """Format an aware datetime in the site's one date style (NEWSROOM_DATE_FORMAT), in its time zone."""
    if not value:
        return ""
    zone, language = timezone.get_current_timezone_name(), translation.get_language()
    return _dateline(value, zone, language, settings.NEWSROOM_DATE_FORMAT)


@lru_cache(maxsize=8192)
def _dateline(value, zone, language, style):
    # Django's date formatting costs ~0.4 ms; a list page shows 20-60 datelines, the same ones on every view.
    return template.defaultfilters.date(timezone.localtime(value), style)


# Typographic quotes. Only text between tags changes: tag markup (attributes) is copied as it is, and so is
# everything inside the elements below, where a straight quote is code or a value, not punctuation.
LITERAL_ELEMENTS = {"code", "pre", "kbd", "samp", "script", "style", "textarea", "var"}
MARKUP = re.compile(r"(<!--.*?-->|<[^>]*>)", re.S)
TAG_NAME = re.compile(r"</?\s*([a-zA-Z][a-zA-Z0-9]*)")
QUOTE = re.compile(r"&quot;|&#34;|&#x22;|&#39;|&#x27;|[\"']", re.I)
# After one of these (or at the start of the text) a quote opens; after anything else it closes.
OPENS_AFTER = set(" \t\r\n\u00a0([{\u2014\u2013-/\u201c\u2018")


def curl(text: str, before: str) -> tuple[str, str]:
    """`text` (escaped HTML text, no tags) with typographic quotes; `before` is the character preceding it."""
    out, last, previous = [], 0, before
    for match in QUOTE.finditer(text):
        start = match.start()
        if start > last:
            previous = text[start - 1]
        double = match.group() in ('"', "&quot;", "&#34;") or match.group().lower() == "&#x22;"
        opening = previous in OPENS_AFTER or previous == ""
        following = text[match.end() : match.end() + 1]
        if double:
            mark = "\u201c" if opening else "\u201d"
        elif opening and not following.isdigit():
            mark = "\u2018"
        else:  # apostrophes (it's, the '90s) and closing single quotes
            mark = "\u2019"
        out.append(text[last:start] + mark)
        last, previous = match.end(), mark
    out.append(text[last:])
    result = "".join(out)
    return result, (result[-1] if result else before)


@register.filter(is_safe=True)
def smartquotes(value):
    """Straight quotes in text to typographic ones, leaving tags, attributes and code alone.

    For output only (stored text keeps what the writer typed); plain text is escaped first.
    """
    html = str(conditional_escape(value))
    parts, literal, before = [], [], ""
    for i, piece in enumerate(MARKUP.split(html)):
        if i % 2:  # a tag or a comment
            parts.append(piece)
            name = TAG_NAME.match(piece)
            if name and name.group(1).lower() in LITERAL_ELEMENTS and not piece.endswith("/>"):
                if piece.startswith("</"):
                    if literal:
                        literal.pop()
                else:
                    literal.append(name.group(1).lower())
            elif (
                name and not piece.startswith("</") and name.group(1).lower() in ("p", "br", "li", "h2", "h3")
            ):
                before = ""
        elif literal or not piece:
            parts.append(piece)
            if piece:
                before = piece[-1]
        else:
            curled, before = curl(piece, before)
            parts.append(curled)
    return mark_safe("".join(parts))


def join_names(parts):
    """'A', 'A and B', 'A, B and C' from already-escaped HTML parts."""
    if len(parts) <= 1:
        return mark_safe("".join(parts))
    return mark_safe(", ".join(parts[:-1]) + " and " + parts[-1])


@register.simple_tag
def byline(article, links=True):
    """'Written by A and B. Photos by C', each name linking to the author's page."""
    sentences = []
    for role, authors in article.byline_groups():
        if links:
            names = [
                format_html('<a href="{}" rel="author">{}</a>', a.get_absolute_url(), a.name) for a in authors
            ]
        else:
            names = [format_html("{}", a.name) for a in authors]
        sentences.append(format_html("{} {}", role, join_names(names)))
    return format_html_join(". ", "{}", ((s,) for s in sentences))
