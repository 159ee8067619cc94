"""The replica router, with a second database on the local PostgreSQL server standing in for the replica.

Rows are written to one database only, so each page shows which database it read.
"""

import psycopg2
import pytest
from django.core.management import call_command
from django.db import connections
from django.urls import reverse

from articles.models import Article, Section
from articles.routers import ReplicaRouter

pytestmark = pytest.mark.django_db(databases=["default", "replica"])


@pytest.fixture(scope="module")
def replica(django_db_setup, django_db_blocker):
    """A real second database beside the test database, with the same schema, known to Django as "replica"."""
    primary = connections["default"].settings_dict
    if primary["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("the replica router is tested on PostgreSQL (DATABASE_URL=postgres://...)")
    name = f"{primary['NAME']}_replica"
    server = psycopg2.connect(
        dbname="postgres",
        user=primary["USER"],
        password=primary["PASSWORD"],
        host=primary["HOST"],
        port=primary["PORT"] or 5432,
    )
    server.autocommit = True
    with server.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connections.settings["replica"] = {
        **primary,
        "NAME": name,
        "TEST": {**primary["TEST"], "NAME": name, "MIRROR": None},
    }
    with django_db_blocker.unblock():
        call_command("migrate", database="replica", verbosity=0, interactive=False)
    yield "replica"
    connections["replica"].close()
    del connections["replica"]
    del connections.settings["replica"]
    with server.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    server.close()


@pytest.fixture
def routed(replica, settings):
    settings.DATABASE_ROUTERS = ["articles.routers.ReplicaRouter"]
    middleware = list(settings.MIDDLEWARE)
    middleware.insert(
        middleware.index("django.middleware.common.CommonMiddleware"), "articles.routers.ReplicaMiddleware"
    )
    settings.MIDDLEWARE = middleware


def story(headline, using):
    section, _ = Section.objects.using(using).get_or_create(slug="news", defaults={"name": "News"})
    story = Article(headline=headline, section=section, status="published")
    story.save(using=using)
    return story


def test_readers_pages_read_from_the_replica(routed, client):
    story("Only on the primary", "default")
    on_replica = story("Only on the replica", "replica")
    home = client.get(reverse("articles:home")).content.decode()
    assert "Only on the replica" in home
    assert "Only on the primary" not in home
    assert client.get(on_replica.get_absolute_url()).status_code == 200


def test_writes_go_to_the_primary(routed, client):
    written = story("Written", "default")
    Article.objects.filter(pk=written.pk).update(headline="Written again")
    assert Article.objects.using("default").get(pk=written.pk).headline == "Written again"
    assert not Article.objects.using("replica").exists()
    assert ReplicaRouter().db_for_write(Article) == "default"


def test_the_admin_and_logged_in_editors_read_the_primary(routed, staff_client):
    story("Only on the primary", "default")
    story("Only on the replica", "replica")
    changelist = staff_client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "Only on the primary" in changelist
    assert "Only on the replica" not in changelist
    home = staff_client.get(reverse("articles:home")).content.decode()
    assert "Only on the primary" in home


def test_code_outside_a_readers_request_reads_the_primary(routed):
    story("Only on the primary", "default")
    assert list(Article.objects.values_list("headline", flat=True)) == ["Only on the primary"]
