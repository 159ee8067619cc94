"""Migration 0009 cleans rows stored before the security fixes: what no editor could reach must be fixable."""

import importlib
from datetime import UTC, datetime

import pytest
from django.apps import apps
from django.urls import reverse

from articles.models import Article, Author, Section
from tests.conftest import make_article, make_author

pytestmark = pytest.mark.django_db
clean = importlib.import_module("articles.migrations.0009_clean_stored_content").clean


def test_control_characters_are_removed_from_every_stored_text(client):
    story = make_article("Harbour", authors=[make_author("Ann Lee")])
    Article.objects.filter(pk=story.pk).update(dek="Pasted\x0bfrom Word", headline="Har\x1fbour")
    Author.objects.update(name="Ann\x0cLee")
    Section.objects.update(description="Line\x08 one")
    clean(apps, None)
    story.refresh_from_db()
    assert (story.headline, story.dek) == ("Harbour", "Pastedfrom Word")
    assert Author.objects.get().name == "AnnLee"
    assert Section.objects.get().description == "Line one"
    assert client.get("/feeds/rss/").status_code == 200


def test_impossible_dates_are_cleared_and_nothing_becomes_public(staff_client, client):
    live = make_article("Live")
    embargoed = make_article("Held back")
    Article.objects.filter(pk=live.pk).update(
        published_at=datetime(1, 1, 1, 12, tzinfo=UTC), revised_at=datetime(9000, 1, 1, tzinfo=UTC)
    )
    Article.objects.filter(pk=embargoed.pk).update(embargo_until=datetime(9000, 1, 1, tzinfo=UTC))
    clean(apps, None)
    live.refresh_from_db()
    embargoed.refresh_from_db()
    assert (live.status, live.published_at, live.revised_at) == ("draft", None, None)
    assert (embargoed.status, embargoed.embargo_until) == ("draft", None)
    assert not Article.objects.published().exists()
    assert staff_client.get(reverse("admin:articles_article_changelist")).status_code == 200
    assert staff_client.get(reverse("admin:articles_article_change", args=[live.pk])).status_code == 200


def test_images_from_other_sites_leave_stored_bodies():
    story = make_article("Pixel")
    body = '<p>Hi</p><img src="https://tracker.example/p.gif"><img src="/media/photos/a.jpg" alt="Ours">'
    Article.objects.filter(pk=story.pk).update(body=body)
    clean(apps, None)
    story.refresh_from_db()
    assert "tracker.example" not in story.body and "/media/photos/a.jpg" in story.body
