"""The loader (articles/importers/load.py): a chunk's one transaction, and what a new story costs."""

import pytest
from django.db import DatabaseError, connection
from django.db.models import Value
from django.db.models.functions import Concat
from django.test.utils import CaptureQueriesContext

from articles.importers.load import Loader
from articles.importers.records import ArticleRecord, BylineRecord
from articles.models import Article, Author, Byline, Tag, TaggedArticle

pytestmark = pytest.mark.django_db


def record(n: int, **extra) -> ArticleRecord:
    return ArticleRecord(
        source="s",
        external_id=str(n),
        headline=f"Story {n}",
        where=f"item {n}",
        body="<p>Text.</p>",
        section="News",
        bylines=[BylineRecord("Ana Reyes"), BylineRecord("Bo Li")],
        tags=["Floods", "Harbour"],
        status="published",
        **extra,
    )


def queries_to_load(records: list[ArticleRecord]) -> int:
    loader = Loader()
    with CaptureQueriesContext(connection) as queries:
        outcomes = loader.load_chunk(records)
    assert [outcome.result for outcome in outcomes] == ["imported"] * len(records)
    return len(queries.captured_queries)


def test_each_new_story_costs_the_same_five_queries():
    Loader().load_chunk([record(0)])  # its section, authors and tags exist from now on
    five = queries_to_load([record(n) for n in range(1, 6)])
    twenty_five = queries_to_load([record(n) for n in range(6, 31)])
    # its savepoint, the article, its bylines, its tags, the savepoint's release: no look-up, no commit
    assert (twenty_five - five) == 5 * 20
    assert Byline.objects.count() == 2 * 31 and TaggedArticle.objects.count() == 2 * 31


def test_a_chunk_whose_commit_fails_is_loaded_again_one_story_at_a_time(monkeypatch):
    loader = Loader()
    load_all, calls = loader._load_all, []

    def commit_fails_once(items, records):
        outcomes = load_all(items, records)
        calls.append(len(outcomes))
        if len(calls) == 1:
            raise DatabaseError("disk full")  # as the commit would, after every story was written
        return outcomes

    monkeypatch.setattr(loader, "_load_all", commit_fails_once)
    outcomes = loader.load_chunk([record(1), record(2)])
    assert calls == [2, 2]
    assert [outcome.result for outcome in outcomes] == ["imported", "imported"]
    assert Article.objects.count() == 2
    # the authors and tags made in the lost transaction were made again, not taken from the run's cache
    assert sorted(Author.objects.values_list("name", flat=True)) == ["Ana Reyes", "Bo Li"]
    assert set(Byline.objects.values_list("author_id", flat=True)) == set(
        Author.objects.values_list("pk", flat=True)
    )
    assert set(TaggedArticle.objects.values_list("tag_id", flat=True)) == set(
        Tag.objects.values_list("pk", flat=True)
    )


def test_one_story_failing_in_the_database_leaves_the_rest_of_its_chunk(monkeypatch):
    loader = Loader()
    write = loader._write

    def second_fails(item, outcome):
        article = write(item, outcome)  # written, then the story fails: all of it must go
        if item.external_id == "2":
            raise DatabaseError("constraint failed")
        return article

    monkeypatch.setattr(loader, "_write", second_fails)
    outcomes = loader.load_chunk([record(1), record(2), record(3)])
    assert [outcome.result for outcome in outcomes] == ["imported", "failed", "imported"]
    assert sorted(Article.objects.values_list("external_id", flat=True)) == ["1", "3"]
    assert not Byline.objects.filter(article__external_id="2").exists()


def test_a_new_row_with_an_expression_is_inserted_by_django():
    author = Author(name=Concat(Value("Ana "), Value("Reyes")), slug="ana-reyes")
    author.save()
    assert Author.objects.get(pk=author.pk).name == "Ana Reyes"
