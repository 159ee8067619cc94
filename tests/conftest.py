from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from articles.models import Article, Author, Byline, Photo, Section, Tag


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()
    yield
    cache.clear()


def make_section(name="News", **kwargs):
    from django.utils.text import slugify

    kwargs.setdefault("slug", slugify(name))
    return Section.objects.create(name=name, **kwargs)


def make_author(name="Henrik Rothen", **kwargs):
    from django.utils.text import slugify

    kwargs.setdefault("slug", slugify(name))
    return Author.objects.create(name=name, **kwargs)


def make_article(
    headline="A story", *, section=None, authors=(), tags=(), status="published", ago=None, **kwargs
):
    """A story; published an hour ago unless `status`/`ago` say otherwise (negative `ago` = scheduled)."""
    if section is None:
        section = Section.objects.first() or make_section()
    if status == "published" and "published_at" not in kwargs:
        kwargs["published_at"] = timezone.now() - (ago if ago is not None else timedelta(hours=1))
    kwargs.setdefault("body", "<p>Body text.</p>")
    article = Article.objects.create(headline=headline, section=section, status=status, **kwargs)
    for position, author in enumerate(authors):
        Byline.objects.create(article=article, author=author, position=position)
    if tags:
        article.tags.set([Tag.objects.get_or_create(name=t, defaults={"slug": t.lower()})[0] for t in tags])
    return article


def make_photo(**kwargs):
    kwargs.setdefault("caption", "A caption")
    kwargs.setdefault("credit", "Photo: X")
    return Photo.objects.create(**kwargs)


@pytest.fixture
def staff_client(django_user_model):
    """A logged-in superuser's browser, separate from the anonymous `client`."""
    user = django_user_model.objects.create_superuser("editor", "editor@example.com", "pw")
    staff = Client()
    staff.force_login(user)
    return staff
