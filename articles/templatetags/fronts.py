from django import template

from articles import fronts

register = template.Library()


@register.simple_tag
def current_banner():
    """The breaking-news banner shown now, or None (includes/banner.html, on every public page)."""
    return fronts.current_banner()
