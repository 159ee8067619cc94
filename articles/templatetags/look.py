"""The page furniture of a newspaper: the footer's sections and pages, the right column (Trending Now and
"Just in").

Each is a fragment (articles/freshness): kept until what it shows changes. The right column is one hole in
cached pages, filled at each answer with a lifetime of its own: one hole, not two, because behind Varnish
each is an ESI include, and an include costs Varnish about as much as the page around it (docs/benchmarks.md).
"""

from django import template
from django.template.loader import get_template
from django.utils.html import format_html, format_html_join

from articles import freshness, trending
from articles.models import Article
from pages.models import footer_links

register = template.Library()
SIDEBAR_LATEST = 6


@register.simple_tag
def footer_sections():
    return freshness.fragment(
        ("footer-sections",),
        lambda: format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a></li>',
                ((s.get_absolute_url(), s.name) for s in freshness.all_sections().values()),
            ),
        ),
    )


@register.simple_tag
def footer_pages():
    """The newspaper's pages as <li> links (about, contact, corrections policy...)."""
    return format_html_join(
        "", '<li><a href="{}">{}</a></li>', ((url, title) for title, url in footer_links())
    )


@register.simple_tag
def rail():
    """The right column: Trending Now and "Just in", one hole in cached pages (one ESI include behind
    Varnish): made again every TRENDING_CACHE_SECONDS, and at once when one of its stories changes, without
    making every page that has the column stale when a story is published or a reader's view is counted."""
    return freshness.hole("rail")


def just_in() -> str:
    """The newest published headlines with their times."""
    stories = list(
        Article.objects.published()
        .latest()
        .only("headline", "slug", "published_at", "section_id")[:SIDEBAR_LATEST]
    )
    freshness.depends_on(*(f"s{story.pk}" for story in stories))
    return get_template("includes/latest_headlines.html").render({"stories": stories})


def rail_part() -> str:
    return trending.sidebar() + just_in()


freshness.register_hole("rail", rail_part)


@register.filter
def writers_of(story):
    """The story's writers' names for a card ("Anna Berg and Bo Li"): "Written by" is the article page's."""
    from articles.templatetags.newsroom import join_names

    names = [format_html("{}", byline.author.name) for byline in story.bylines.all() if not byline.role]
    return join_names(names)
