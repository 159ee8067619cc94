import pytest
from django.core.management import call_command

from articles.models import Article, Author, HourlyViews, Photo, Section, Tag

pytestmark = pytest.mark.django_db


def counts():
    return [m.objects.count() for m in (Article, Author, Section, Tag, Photo, HourlyViews)]


def test_load_demo_builds_a_living_newsroom_and_is_idempotent(client, capsys):
    call_command("load_demo")
    first = counts()
    assert first[0] >= 20 and all(first)
    call_command("load_demo")
    assert counts() == first
    assert "already loaded" in capsys.readouterr().out

    seed = Article.objects.get(source="demo", external_id="seed-uprising-in-russia")
    html = client.get(seed.get_absolute_url()).content.decode()
    assert 'Written by <a href="/author/henrik-rothen/" rel="author">Henrik Rothen</a>' in html
    assert "Jan.07 - 2024 12:58 PM CET" in html
    assert '<span class="credit">Photo: X</span>' in html
    assert "<h2>Demanding Demobilization</h2>" in html
    assert "<h2>Is Russia Controlling the Situation?</h2>" in html
    assert 'href="/section/news/">News</a>' in html
    assert seed.lead_photo.width == 1600  # articles/demo_pictures.py paints 1600 x 1067

    response = client.get("/")
    home = response.content.decode()
    assert "Trending Now" in home
    assert len(response.context["section_blocks"]) >= 5
    assert Article.objects.exclude(status="published").exists()  # drafts exist, and stay hidden:
    for draft in Article.objects.filter(status="draft"):
        assert draft.headline not in home
