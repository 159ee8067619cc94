"""Read-only JSON for syndication partners: published stories as IPTC ninjs 3.0, one or a page at a time."""

from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.http import JsonResponse
from django.urls import reverse

from articles import freshness, ninjs
from articles.models import Article

JSON_OPTIONS = {"ensure_ascii": False}


def published_stories():
    return Article.objects.published().with_cards().prefetch_related("tags").latest()


def error(message, status):
    return JsonResponse({"error": message}, status=status, json_dumps_params=JSON_OPTIONS)


def story(request, pk):
    article = published_stories().filter(pk=pk).first()
    if article is None:
        return error(f"No published story with id {pk}.", 404)
    freshness.depends_on(*freshness.story_keys(article), *(f"t{tag.pk}" for tag in article.tags.all()))
    return JsonResponse(ninjs.story(article, request.build_absolute_uri), json_dumps_params=JSON_OPTIONS)


def story_item(article, request):
    freshness.depends_on(*freshness.story_keys(article), *(f"t{tag.pk}" for tag in article.tags.all()))
    return ninjs.story(article, request.build_absolute_uri)


def stories(request):
    """The newest published stories, a page at a time: {"count", "next", "previous", "items": [...]}."""
    freshness.depends_on("list")
    paginator = Paginator(published_stories(), settings.PAGE_SIZE)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except InvalidPage:
        return error(f"page must be a whole number from 1 to {paginator.num_pages}.", 404)

    def page_url(number):
        return request.build_absolute_uri(f"{reverse('articles:api_stories')}?page={number}")

    return JsonResponse(
        {
            "count": paginator.count,
            "page": page.number,
            "pages": paginator.num_pages,
            "next": page_url(page.next_page_number()) if page.has_next() else None,
            "previous": page_url(page.previous_page_number()) if page.has_previous() else None,
            "items": [story_item(article, request) for article in page],
        },
        json_dumps_params=JSON_OPTIONS,
    )
