"""Sitemaps for search engines: stories, sections, authors and tags, and a Google News sitemap.

Only published stories appear, and only authors and tags with at least one published story.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q
from django.shortcuts import render
from django.utils import timezone

from articles import freshness
from articles.models import Article, Author, Section, Tag
from articles.validators import strip_control_characters

NEWS_DAYS = 2
NEWS_LIMIT = 1000  # Google News reads at most 1,000 stories per sitemap


def newest(relation):
    """Annotation: the publication time of the newest published story through `relation`."""
    published = Article.objects.published().values("pk")
    return Max(f"{relation}__published_at", filter=Q(**{f"{relation}__in": published}))


class ArticleSitemap(Sitemap):
    def items(self):
        freshness.depends_on("list", "sitemaps")
        return Article.objects.published().only("slug", "published_at", "revised_at").latest()

    def lastmod(self, story):
        return story.revised_at or story.published_at


class SectionSitemap(Sitemap):
    def items(self):
        freshness.depends_on("list", "sitemaps")
        return Section.objects.annotate(newest=newest("articles")).order_by("menu_order", "name")

    def lastmod(self, section):
        return section.newest


class AuthorSitemap(Sitemap):
    def items(self):
        freshness.depends_on("list", "sitemaps")
        return (
            Author.objects.annotate(newest=newest("bylines__article"))
            .filter(newest__isnull=False)
            .order_by("pk")
        )

    def lastmod(self, author):
        return author.newest


class TagSitemap(Sitemap):
    def items(self):
        freshness.depends_on("list", "sitemaps")
        return (
            Tag.objects.annotate(newest=newest("tagged_articles__content_object"))
            .filter(newest__isnull=False)
            .order_by("pk")
        )

    def lastmod(self, tag):
        return tag.newest


SITEMAPS = {
    "articles": ArticleSitemap,
    "sections": SectionSitemap,
    "authors": AuthorSitemap,
    "tags": TagSitemap,
}


def news_sitemap(request):
    """Google News sitemap: published stories of the last two days, newest first, at most 1,000."""
    freshness.depends_on("list", "sitemaps")
    since = timezone.now() - timedelta(days=NEWS_DAYS)
    stories = (
        Article.objects.published().filter(published_at__gte=since).only("headline", "slug", "published_at")
    )
    entries = [
        {
            "location": request.build_absolute_uri(story.get_absolute_url()),
            "title": strip_control_characters(story.headline),  # XML 1.0 cannot hold them; old rows may
            "published": timezone.localtime(story.published_at).isoformat(timespec="seconds"),
        }
        for story in stories.latest()[:NEWS_LIMIT]
    ]
    context = {"entries": entries, "publication": settings.SITE_NAME, "language": settings.SITE_LANGUAGE}
    return render(request, "sitemaps/news.xml", context, content_type="application/xml; charset=utf-8")
