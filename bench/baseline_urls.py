from django.shortcuts import render
from django.urls import path


def page(request):
    """Render a template the size of an article page (written by bench/run.py from a real one)."""
    return render(request, "bench/baseline.html", {"title": "Baseline"})


urlpatterns = [path("", page)]
