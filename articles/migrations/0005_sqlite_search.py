"""An FTS5 full-text index of the stories for articles.search, on SQLite only (PostgreSQL has 0003's GIN index).

An external-content table: it stores only the index, reading headline, dek and body from articles_article,
so nothing is stored twice. Triggers keep it in step with every insert, update and delete, whoever writes
(admin, importers, bench/generate.py, a shell). The body is indexed as stored HTML: SQLite has no cheap way to
strip tags in SQL, and the sanitizer (articles/html.py) allows a small fixed set of tags, so markup adds only
a few constant words ("p", "em", "href") that readers don't search for; snippets strip tags in Python.
The porter stemmer over unicode61 matches PostgreSQL's english config closely enough: "protests" finds
"protest", "Café" finds "cafe".

RunPython with no model state change, as in 0003: makemigrations sees nothing, PostgreSQL skips it.
"""

from django.db import migrations

TABLE = "articles_article_fts"
FIELDS = "headline, dek, body"
INSERT = f"INSERT INTO {TABLE}(rowid, {FIELDS}) VALUES (new.id, new.headline, new.dek, new.body);"
DELETE = f"INSERT INTO {TABLE}({TABLE}, rowid, {FIELDS}) VALUES ('delete', old.id, old.headline, old.dek, old.body);"
CREATE = [
    f"""CREATE VIRTUAL TABLE {TABLE} USING fts5(
        {FIELDS}, content='articles_article', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )""",
    f"CREATE TRIGGER {TABLE}_insert AFTER INSERT ON articles_article BEGIN {INSERT} END",
    f"CREATE TRIGGER {TABLE}_delete AFTER DELETE ON articles_article BEGIN {DELETE} END",
    # Only when the text changed: publishing, view counts and unchanged re-imports cost nothing.
    f"""CREATE TRIGGER {TABLE}_update AFTER UPDATE OF {FIELDS} ON articles_article
        WHEN old.headline IS NOT new.headline OR old.dek IS NOT new.dek OR old.body IS NOT new.body
        BEGIN {DELETE} {INSERT} END""",
    f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')",
]
DROP = [f"DROP TRIGGER IF EXISTS {TABLE}_{event}" for event in ("insert", "delete", "update")] + [
    f"DROP TABLE IF EXISTS {TABLE}"
]


def run_on_sqlite(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("articles", "0004_published_indexes_cover_embargo")]

    operations = [migrations.RunPython(run_on_sqlite(CREATE), run_on_sqlite(DROP), elidable=False)]
