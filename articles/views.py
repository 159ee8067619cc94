from django.conf import settings
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.generic import ListView

from articles import trending
from articles.models import Article, Author, Section, Tag

HOME_STORIES = 60  # the newest stories the home page arranges into lead, latest and section blocks
HOME_LATEST = 8
HOME_PER_SECTION = 4


class ArticleListView(ListView):
    """A paginated list of published stories, newest first; 404 past the last page."""

    paginate_by = settings.PAGE_SIZE
    template_name = "articles/article_list.html"
    context_object_name = "articles"

    def get_queryset(self):
        return Article.objects.published().with_cards().latest()


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
    return Article.objects.with_cards().prefetch_related("tags")


def related_articles(article, n=4):
    """Published stories sharing the most tags with `article`, then the newest of its section."""
    tag_ids = [tag.pk for tag in article.tags.all()]
    return list(
        Article.objects.published()
        .select_related("section")
        .exclude(pk=article.pk)
        .filter(Q(section_id=article.section_id) | Q(tagged_items__tag_id__in=tag_ids))
        .annotate(shared=Count("tagged_items", filter=Q(tagged_items__tag_id__in=tag_ids)))
        .order_by("-shared", "-published_at")[:n]
    )


def render_article(request, article, *, preview=False):
    context = {"article": article, "related": related_articles(article), "preview": preview}
    return render(request, "articles/article.html", context)


def article(request, year, month, day, slug):
    story = get_object_or_404(article_detail_queryset().published(), slug=slug)
    canonical = story.get_absolute_url()
    if request.path != canonical:
        return redirect(canonical, permanent=True)
    return render_article(request, story)


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
