"""The page furniture of a newspaper: the footer's sections and pages, the sidebar's latest headlines.

Each is rendered once per content version in each worker, like the sections menu (articles/caching.py).
"""

from django import template
from django.template.loader import get_template
from django.utils.html import format_html, format_html_join

from articles import caching, surrogates
from articles.models import Article
from pages.models import footer_links

register = template.Library()
SIDEBAR_LATEST = 6


@register.simple_tag
def footer_sections():
    surrogates.add("sections")
    return caching.remembered(
        ("footer-sections",),
        lambda: format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a></li>',
                ((s.get_absolute_url(), s.name) for s in caching.all_sections().values()),
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
def latest_headlines():
    """The sidebar's "Just in": the newest published headlines with their times.

    Keyed on the stories it shows, like Trending Now, not on `list`: a story taken down purges every page
    showing it, a new one shows as pages expire (in an HTTP cache in front: PAGE_PURGED_SHARED_MAX_AGE).
    """

    def render():
        stories = list(
            Article.objects.published()
            .latest()
            .only("headline", "slug", "published_at", "section_id")[:SIDEBAR_LATEST]
        )
        html = get_template("includes/latest_headlines.html").render({"stories": stories})
        return html, [f"s{story.pk}" for story in stories]

    html, keys = caching.remembered(("latest-headlines",), render)
    surrogates.add(*keys)
    return html


@register.filter
def writers_of(story):
    """The story's writers' names for a card ("Anna Berg and Bo Li"): "Written by" is the article page's."""
    from articles.templatetags.newsroom import join_names

    names = [format_html("{}", byline.author.name) for byline in story.bylines.all() if not byline.role]
    return join_names(names)
