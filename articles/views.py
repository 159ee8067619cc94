from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.generic import ListView

from articles import search as story_search
from articles import trending
from articles.caching import content_version
from articles.models import Article, Author, Section, Tag, TaggedArticle

HOME_STORIES = 60  # the newest stories the home page arranges into lead, latest and section blocks
HOME_LATEST = 8
HOME_PER_SECTION = 4


class CountOncePaginator(Paginator):
    """A paginator that counts a list once per content version, not on every page view.

    Counting a big section or tag reads every story in it (40-140 ms at 100,000 stories, more as the archive
    grows); the total only changes with the content, and the version changes with any save.
    """

    def __init__(self, *args, count_key, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_key = count_key

    @cached_property
    def count(self):
        key = f"list-count:{content_version()}:{self.count_key}"
        total = cache.get(key)
        if total is None:
            total = super().count
            cache.set(key, total, settings.LIST_COUNT_SECONDS)
        return total


class ArticleListView(ListView):
    """A paginated list of published stories, newest first; 404 past the last page."""

    paginate_by = settings.PAGE_SIZE
    template_name = "articles/article_list.html"
    context_object_name = "articles"

    def get_queryset(self):
        # Cards never show the body: leaving it out keeps the sort small (bodies are most of a row).
        return Article.objects.published().with_cards().latest().defer("body")

    def get_paginator(self, queryset, per_page, **kwargs):
        return CountOncePaginator(queryset, per_page, count_key=self.request.path, **kwargs)


class HomeView(ArticleListView):
    template_name = "articles/home.html"
    paginate_by = None

    def get_queryset(self):
        return super().get_queryset()[:HOME_STORIES]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        stories = list(context["articles"])
        lead, latest = (stories[0], stories[1 : 1 + HOME_LATEST]) if stories else (None, [])
        shown = {a.pk for a in latest} | ({lead.pk} if lead else set())
        blocks = {}
        for story in stories:
            if story.pk in shown:
                continue
            block = blocks.setdefault(story.section_id, (story.section, []))[1]
            if len(block) < HOME_PER_SECTION:
                block.append(story)
        ordered = sorted(blocks.values(), key=lambda b: (b[0].menu_order, b[0].name))
        context.update(lead=lead, latest=latest, section_blocks=ordered)
        return context


class LatestView(ArticleListView):
    extra_context = {"heading": "Latest stories"}


class SectionView(ArticleListView):
    template_name = "articles/section.html"

    def get_queryset(self):
        self.section = get_object_or_404(Section, slug=self.kwargs["slug"])
        return super().get_queryset().filter(section=self.section)

    def get_context_data(self, **kwargs):
        return super().get_context_data(section=self.section, **kwargs)


class AuthorView(ArticleListView):
    template_name = "articles/author.html"

    def get_queryset(self):
        self.author = get_object_or_404(Author.objects.select_related("photo"), slug=self.kwargs["slug"])
        return super().get_queryset().filter(bylines__author=self.author)

    def get_context_data(self, **kwargs):
        return super().get_context_data(author=self.author, **kwargs)


class TagView(ArticleListView):
    template_name = "articles/tag.html"

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return super().get_queryset().filter(tagged_items__tag=self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


def article_detail_queryset():
    return Article.objects.with_cards().prefetch_related("tags", "corrections")


# Related stories come from the weeks around the story, so the query reads a few hundred rows however large
# the archive grows (over the whole archive it grouped every story of the section: 30 ms at 5,000 stories).
RELATED_WINDOW = timedelta(days=30)


def related_articles(article, n=4):
    """Stories of the weeks around `article` sharing most tags with it, then the newest of its section."""
    tag_ids = [tag.pk for tag in article.tags.all()]
    when = article.published_at or timezone.now()
    # Counted per candidate through the (story, tag) index: a join made PostgreSQL hash every tagging row.
    shared = (
        TaggedArticle.objects.filter(content_object=OuterRef("pk"), tag_id__in=tag_ids)
        .order_by()
        .values("content_object")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return list(
        Article.objects.published()
        .filter(published_at__range=(when - RELATED_WINDOW, when + RELATED_WINDOW))
        .select_related("section")
        .exclude(pk=article.pk)
        .annotate(shared=Coalesce(Subquery(shared), 0))
        .filter(Q(section_id=article.section_id) | Q(shared__gt=0))
        .order_by("-shared", "-published_at")[:n]
    )


def render_article(request, article, *, preview=False):
    context = {"article": article, "related": related_articles(article), "preview": preview}
    return render(request, "articles/article.html", context)


def article(request, year, month, day, slug):
    story = article_detail_queryset().published().filter(slug=slug).first()
    if story is None:
        return missing_article(request, slug)
    canonical = story.get_absolute_url()
    if request.path != canonical:
        return redirect(canonical, permanent=True)
    return render_article(request, story)


def missing_article(request, slug):
    """A story's old slug answers 301 to where it lives now; a story taken down answers 410 Gone."""
    moved = Article.objects.published().filter(old_slugs__slug=slug).first()
    if moved is not None:
        return redirect(moved.get_absolute_url(), permanent=True)
    if Article.objects.filter(slug=slug, unpublished_at__isnull=False).exists():
        return render(request, "410.html", status=410)
    raise Http404("No such story.")


@never_cache
def preview(request, pk):
    """Staff see any story exactly as readers will; everyone else gets 404, not a login page."""
    if not (request.user.is_active and request.user.is_staff):
        raise Http404("No such story.")
    story = get_object_or_404(article_detail_queryset(), pk=pk)
    return render_article(request, story, preview=True)


@csrf_exempt  # a counter, sent by navigator.sendBeacon; it changes nothing a reader owns
@require_POST
def beacon(request, pk):
    """Count one reader's view of a published story (deduplicated, bots and staff ignored)."""
    if not Article.objects.published().filter(pk=pk).exists():
        return HttpResponse(status=404)
    if request.user.is_staff:
        return HttpResponse(status=204)
    trending.count_view(
        pk,
        address=request.META.get("REMOTE_ADDR", ""),
        user_agent=request.headers.get("User-Agent", ""),
        at=timezone.now(),
    )
    return HttpResponse(status=204)


def search(request):
    """Search published stories; the query is cleaned and capped before it reaches the database."""
    query = story_search.clean_query(request.GET.get("q", ""))
    page = Paginator(story_search.search(query), settings.PAGE_SIZE).get_page(request.GET.get("page"))
    results = story_search.highlight(page.object_list, query)
    return render(request, "articles/search.html", {"query": query, "page_obj": page, "results": results})
