from functools import lru_cache

from django import template
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from articles import freshness

register = template.Library()

# The seed page's dateline style: "Jan.07 - 2024 12:58 PM CET", in the newsroom's time zone.
DATELINE_FORMAT = "M.d - Y h:i A T"


@register.simple_tag
def trending_now():
    """The Trending Now sidebar: a hole in cached pages, filled at each answer (it changes every 30 s)."""
    return freshness.hole("trending")


@register.simple_tag(takes_context=True)
def section_nav(context):
    """The sections menu, rendered again only when a section changes (per section marked current)."""

    def links():
        return [{"name": s.name, "url": s.get_absolute_url()} for s in freshness.all_sections().values()]

    sections = freshness.fragment(("nav-links",), links)
    path = context["request"].path if "request" in context else ""
    current = path if any(section["url"] == path for section in sections) else ""
    return freshness.fragment(
        ("nav", current),
        lambda: (
            freshness.depends_on("sections")
            or get_template("includes/section_nav.html").render({"sections": sections, "current": current})
        ),
    )


@register.filter
def dateline(value):
    """Format an aware datetime like the seed page, in the site's time zone."""
    if not value:
        return ""
    return _dateline(value, timezone.get_current_timezone_name(), translation.get_language())


@lru_cache(maxsize=8192)
def _dateline(value, zone, language):
    # Django's date formatting costs ~0.4 ms; a list page shows 20-60 datelines, the same ones on every view.
    return template.defaultfilters.date(timezone.localtime(value), DATELINE_FORMAT)


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
