"""A stored search document for articles.search on PostgreSQL, replacing 0003's expression index.

0003 indexed the weighted document as an expression: finding matches used the GIN index, but ranking them
recomputed `to_tsvector` of every matching body, so a word found in most stories took seconds. A stored
generated column keeps the document itself (PostgreSQL computes it on every insert and update, in the same
statement), and the GIN index is on that column. The document is the one 0003 indexed; articles.search reads
the column (DOCUMENT_COLUMN).

RunPython with no model state change, as in 0003: the model does not know the column (nothing reads it but
the search), makemigrations sees nothing, SQLite skips it (it has 0005's FTS5 table).
"""

from importlib import import_module

from django.conf import settings
from django.db import migrations

COLUMN = "search_document"
INDEX_NAME = "article_search_document_idx"


def document_sql(config: str) -> str:
    parts = [
        f"setweight(to_tsvector('{config}'::regconfig, COALESCE({field}, '')), '{weight}')"
        for field, weight in (("headline", "A"), ("dek", "B"), ("body", "C"))
    ]
    return " || ".join(parts)


def add_column(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    config = settings.SEARCH_CONFIG
    if not config.replace("_", "").isalnum():
        raise ValueError(f"SEARCH_CONFIG must be a text search configuration name, not {config!r}")
    schema_editor.execute(
        f"ALTER TABLE articles_article ADD COLUMN {COLUMN} tsvector "
        f"GENERATED ALWAYS AS ({document_sql(config)}) STORED"
    )
    schema_editor.execute(f"CREATE INDEX {INDEX_NAME} ON articles_article USING GIN ({COLUMN})")
    schema_editor.execute("DROP INDEX IF EXISTS article_search_idx")


def drop_column(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE articles_article DROP COLUMN IF EXISTS {COLUMN}")
    import_module("articles.migrations.0003_search_index").create_index(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("articles", "0005_sqlite_search")]

    operations = [migrations.RunPython(add_column, drop_column, elidable=False)]
