"""Indexes that let tag and author pages find, check and sort a tag's or author's stories from indexes alone.

A tag page that joins its stories (articles.views.ArticleListView.members_only) read every tagging row and every
story row of the tag: 22 ms for a 4,262-story tag on PostgreSQL at 100,000 stories. The (tag, story) and
(author, story) indexes hold the join's keys; on PostgreSQL a covering index by id holds what published()
checks (status, dates), so each story is checked by an index-only scan: 6 ms. SQLite has no INCLUDE (and its
planner looks stories up by rowid anyway), so the covering index is PostgreSQL's only, created here like
0006's column: the model does not declare it, makemigrations sees nothing.
"""

from django.db import migrations, models

COVERING_INDEX = "article_public_by_id_idx"


def create_covering_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {COVERING_INDEX} ON articles_article (id) "
            "INCLUDE (status, published_at, embargo_until)"
        )


def drop_covering_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {COVERING_INDEX}")


class Migration(migrations.Migration):
    dependencies = [("articles", "0006_postgresql_search_document")]

    operations = [
        migrations.AddIndex(
            model_name="byline",
            index=models.Index(fields=["author", "article"], name="byline_author_story_idx"),
        ),
        migrations.AddIndex(
            model_name="taggedarticle",
            index=models.Index(fields=["tag", "content_object"], name="taggedarticle_tag_story_idx"),
        ),
        migrations.RunPython(create_covering_index, drop_covering_index, elidable=False),
    ]
