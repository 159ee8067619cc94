from django.shortcuts import get_object_or_404, render

from articles import freshness
from pages.models import Page


def page(request, slug):
    page = get_object_or_404(Page, slug=slug)
    freshness.depends_on(f"page{page.pk}")
    return render(request, "pages/page.html", {"page": page})
