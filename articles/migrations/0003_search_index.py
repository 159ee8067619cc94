"""A GIN index over the weighted search document of articles.search, on PostgreSQL only.

RunPython with no model state change: SQLite has no such index, and makemigrations sees nothing to do.
The expression was built with the same SearchVector calls as the search's query, so PostgreSQL recognised it
and used the index. Migration 0006 replaced this index with a stored column and an index on it.
"""

from django.conf import settings
from django.db import migrations

INDEX_NAME = "article_search_idx"


def search_index(config):
    from django.contrib.postgres.indexes import GinIndex
    from django.contrib.postgres.search import SearchVector

    document = (
        SearchVector("headline", weight="A", config=config)
        + SearchVector("dek", weight="B", config=config)
        + SearchVector("body", weight="C", config=config)
    )
    return GinIndex(document, name=INDEX_NAME)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("articles", "Article"), search_index(settings.SEARCH_CONFIG))


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")


class Migration(migrations.Migration):
    dependencies = [("articles", "0002_workflow")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
