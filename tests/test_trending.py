from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles import trending
from articles.models import Article, HourlyViews
from tests.conftest import make_article

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"


def views(article, count, hours_ago=0):
    HourlyViews.objects.create(article=article, hour=trending.hour_of() - hours_ago, views=count)


def test_ranks_by_recent_views():
    a, b, c = make_article("A"), make_article("B"), make_article("C")
    views(a, 10)
    views(b, 30)
    views(c, 20)
    assert [item["headline"] for item in trending.top(3)] == ["B", "C", "A"]
    assert [item["views"] for item in trending.top(3)] == [30, 20, 10]


def test_recent_views_weigh_more_than_old_ones():
    old, fresh = make_article("Old news"), make_article("Fresh")
    views(old, 100, hours_ago=40)
    views(fresh, 60, hours_ago=0)
    assert [item["headline"] for item in trending.top(2)] == ["Fresh", "Old news"]


def test_views_outside_the_window_do_not_count(settings):
    settings.TRENDING_WINDOW_HOURS = 48
    stale, small = make_article("Stale"), make_article("Small")
    views(stale, 1000, hours_ago=48)
    views(small, 1)
    assert trending.ranking(5) == [(small.pk, 48, 1)]


def test_only_published_stories_trend():
    live = make_article("Live")
    draft = make_article("Draft", status="draft")
    scheduled = make_article("Scheduled", ago=timedelta(hours=-2))
    for story in (live, draft, scheduled):
        views(story, 50)
    assert [item["headline"] for item in trending.top(5)] == ["Live"]


def test_falls_back_to_latest_stories_without_views():
    make_article("Older", ago=timedelta(hours=5))
    make_article("Newest", ago=timedelta(hours=1))
    popular = make_article("Popular", ago=timedelta(hours=9))
    views(popular, 3)
    assert [item["headline"] for item in trending.top(3)] == ["Popular", "Newest", "Older"]


def test_unpublishing_leaves_the_cached_list_at_once():
    story = make_article("Going away")
    views(story, 5)
    assert [item["headline"] for item in trending.top()] == ["Going away"]
    story.status = Article.Status.DRAFT
    story.save()
    assert trending.top() == []


def test_beacon_counts_a_reader_once_per_half_hour(client):
    story = make_article("Read me")
    url = reverse("articles:beacon", args=[story.pk])
    assert client.post(url, HTTP_USER_AGENT=BROWSER).status_code == 204
    assert client.post(url, HTTP_USER_AGENT=BROWSER).status_code == 204
    assert client.post(url, HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="10.0.0.2").status_code == 204
    assert HourlyViews.objects.get(article=story).views == 2


def test_beacon_ignores_bots_and_staff(client, staff_client):
    story = make_article("Read me")
    url = reverse("articles:beacon", args=[story.pk])
    client.post(url, HTTP_USER_AGENT="Googlebot/2.1 (+http://www.google.com/bot.html)")
    client.post(url, HTTP_USER_AGENT="")
    staff_client.post(url, HTTP_USER_AGENT=BROWSER)
    assert not HourlyViews.objects.exists()


def test_beacon_only_accepts_post(client):
    story = make_article("Read me")
    assert client.get(reverse("articles:beacon", args=[story.pk])).status_code == 405


def test_record_view_adds_to_the_hour():
    story = make_article("Counted")
    now = timezone.now()
    trending.record_view(story.pk, now)
    trending.record_view(story.pk, now)
    trending.record_view(story.pk, now - timedelta(hours=2))
    assert sorted(HourlyViews.objects.values_list("views", flat=True)) == [1, 2]


def test_prune_drops_old_counters():
    story = make_article("Counted")
    views(story, 1, hours_ago=24 * 9)
    views(story, 1)
    assert trending.prune() == 1
    assert HourlyViews.objects.count() == 1
