from datetime import UTC, datetime, timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from articles.models import Article
from tests.conftest import make_article, make_section

pytestmark = pytest.mark.django_db


def test_published_excludes_drafts_and_scheduled():
    live = make_article("Live")
    make_article("Draft", status="draft")
    make_article("Scheduled", ago=timedelta(hours=-2))
    assert list(Article.objects.published()) == [live]


def test_scheduled_story_becomes_public_when_its_time_comes():
    story = make_article("Soon", ago=timedelta(hours=-1))
    assert not story.is_published()
    assert story.status_label == "Scheduled"
    Article.objects.filter(pk=story.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    assert list(Article.objects.published()) == [story]


def test_draft_gets_no_invented_publication_time():
    story = make_article("Draft", status="draft")
    assert story.published_at is None
    assert story.status_label == "Draft"


def test_publishing_sets_publication_time_once():
    story = make_article("Draft", status="draft")
    story.status = Article.Status.PUBLISHED
    story.save()
    first = story.published_at
    assert first is not None
    story.save()
    assert story.published_at == first


def test_body_is_sanitized_on_save():
    story = make_article(body='<p onclick="x()">Hi<script>alert(1)</script></p>')
    story.refresh_from_db()
    assert story.body == "<p>Hi</p>"


def test_slugs_are_unique_and_derived_from_headline():
    make_section()
    a = make_article("Same headline")
    b = make_article("Same headline")
    assert a.slug == "same-headline"
    assert b.slug == "same-headline-2"


def test_source_and_external_id_are_unique_together():
    make_article("One", source="wxr", external_id="42")
    make_article("Other source", source="ninjs", external_id="42")
    make_article("No id", source="wxr")
    make_article("No id either", source="wxr")
    with pytest.raises(IntegrityError):
        make_article("Two", source="wxr", external_id="42")


def test_canonical_url_uses_local_publication_date():
    story = make_article("Dated", published_at=datetime(2024, 1, 7, 23, 30, tzinfo=UTC))
    # 23:30 UTC is already Jan 8 in Berlin
    assert story.get_absolute_url() == "/2024/01/08/dated/"


def test_undated_draft_links_to_its_preview():
    story = make_article("Draft", status="draft")
    assert story.get_absolute_url() == f"/preview/{story.pk}/"


def test_links_are_worked_out_once_but_follow_the_script_prefix():
    from django.urls import clear_script_prefix, set_script_prefix

    section = make_section("News")
    assert section.get_absolute_url() == "/section/news/"
    set_script_prefix("/paper/")  # the site served under a path (SCRIPT_NAME)
    try:
        assert section.get_absolute_url() == "/paper/section/news/"
    finally:
        clear_script_prefix()
    assert section.get_absolute_url() == "/section/news/"


def test_tag_and_author_pages_can_join_their_stories_from_indexes():
    from django.db import connection

    with connection.cursor() as cursor:
        indexes = {
            table: connection.introspection.get_constraints(cursor, table)
            for table in ("articles_taggedarticle", "articles_byline", "articles_article")
        }
    assert indexes["articles_taggedarticle"]["taggedarticle_tag_story_idx"]["columns"] == [
        "tag_id",
        "content_object_id",
    ]
    assert indexes["articles_byline"]["byline_author_story_idx"]["columns"] == ["author_id", "article_id"]
    # What published() checks, by id: PostgreSQL's index-only scans; SQLite has no INCLUDE and reads by rowid.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'article_public_by_id_idx'")
            assert "INCLUDE (status, published_at, embargo_until)" in cursor.fetchone()[0]
    else:
        assert "article_public_by_id_idx" not in indexes["articles_article"]
