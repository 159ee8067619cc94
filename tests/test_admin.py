import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article, Tag
from tests.conftest import make_article, make_author, make_photo, make_section
from tests.forms import article_form

pytestmark = pytest.mark.django_db


def test_editor_writes_previews_and_publishes_a_story(staff_client, client):
    section = make_section("News")
    anna, bo = make_author("Anna Berg"), make_author("Bo Lind")
    climate = Tag.objects.create(name="Climate", slug="climate")
    transport = Tag.objects.create(name="Transport", slug="transport")

    response = staff_client.post(
        reverse("admin:articles_article_add"), article_form(section, [bo, anna], [climate, transport])
    )
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    story = Article.objects.get()
    assert [b.author.name for b in story.bylines.all()] == ["Bo Lind", "Anna Berg"]
    assert set(story.tags.names()) == {"Climate", "Transport"}
    assert story.body == "<p>Text.</p><h2>Sub</h2>"
    assert story.published_at is None

    preview = staff_client.get(reverse("articles:preview", args=[story.pk]))
    assert "Harbour bridge vote" in preview.content.decode()
    assert client.get(reverse("articles:preview", args=[story.pk])).status_code == 404

    response = staff_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_now", "_selected_action": [story.pk]},
    )
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.is_published()
    for url in [
        "/",
        "/section/news/",
        "/author/anna-berg/",
        "/author/bo-lind/",
        "/tag/climate/",
        "/tag/transport/",
    ]:
        assert "Harbour bridge vote" in client.get(url).content.decode(), url
    html = client.get(story.get_absolute_url()).content.decode()
    assert "Written by" in html and "Bo Lind</a> and <a" in html


def test_unpublish_action_takes_a_story_off_the_site_with_410_gone(staff_client, client):
    story = make_article("Going")
    url = story.get_absolute_url()
    assert client.get(url).status_code == 200
    staff_client.post(
        reverse("admin:articles_article_changelist"), {"action": "unpublish", "_selected_action": [story.pk]}
    )
    assert client.get(url).status_code == 410
    assert "Going" not in client.get("/").content.decode()


def test_article_list_shows_status_labels_and_filters(staff_client):
    from datetime import timedelta

    make_article("Live one")
    make_article("Later one", ago=timedelta(hours=-5))
    make_article("Drafty", status="draft")
    url = reverse("admin:articles_article_changelist")
    html = staff_client.get(url).content.decode()
    for label in ["Published", "Scheduled", "Draft"]:
        assert f'<span class="badge badge-{label.lower()}">{label}</span>' in html  # coloured badges
    scheduled = staff_client.get(url, {"state": "scheduled"})
    assert [a.headline for a in scheduled.context["cl"].result_list] == ["Later one"]
    assert staff_client.get(url, {"q": "Drafty"}).context["cl"].result_count == 1


def test_tag_autocomplete_answers_for_the_article_form(staff_client):
    Tag.objects.create(name="Climate", slug="climate")
    Tag.objects.create(name="Football", slug="football")
    response = staff_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "articles", "model_name": "article", "field_name": "tags", "term": "clim"},
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Climate"]


@pytest.mark.parametrize(
    ("model", "expected_count_column"),
    [
        ("section", "field-article_count"),
        ("author", "field-article_count"),
        ("tag", "field-article_count"),
        ("photo", "photo-badge"),  # the library is a grid: a badge counts its stories
    ],
)
def test_changelists_count_stories_without_a_query_per_row(staff_client, model, expected_count_column):
    url = reverse(f"admin:articles_{model}_changelist")

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            response = staff_client.get(url)
        assert response.status_code == 200
        assert expected_count_column in response.content.decode()
        return len(ctx.captured_queries)

    section = make_section("News")
    make_article("One", section=section, authors=[make_author("A")], tags=["t1"], lead_photo=make_photo())
    few = queries()
    for i in range(5):
        make_article(
            f"More {i}",
            section=make_section(f"S{i}"),
            authors=[make_author(f"A{i}")],
            tags=[f"t{i}x"],
            lead_photo=make_photo(),
        )
    assert queries() == few


def test_article_changelist_query_count_is_fixed(staff_client):
    url = reverse("admin:articles_article_changelist")
    make_article("One", authors=[make_author("A")])

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            staff_client.get(url)
        return len(ctx.captured_queries)

    few = queries()
    for i in range(10):
        make_article(f"More {i}", authors=[make_author(f"A{i}"), make_author(f"B{i}")])
    assert queries() == few
