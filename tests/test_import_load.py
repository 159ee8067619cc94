"""The loader (articles/importers/load.py): a chunk's one transaction, and what a new story costs."""

import copy
import dataclasses
from datetime import timedelta

import pytest
import reversion
from django.db import DatabaseError, connection
from django.db.models import Value
from django.db.models.functions import Concat
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import gettext_lazy
from reversion.models import Version

from articles import freshness, photos, search
from articles.freshness import changes
from articles.importers.load import Loader
from articles.importers.records import ArticleRecord, BylineRecord, PhotoRecord
from articles.models import Article, Author, Byline, Photo, Tag, TaggedArticle
from tests.test_body import photo_with_file

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


def _as_stored(article_id: int, changed: list, rescheduled: list) -> dict:
    """Everything a story's import left behind, but its id, times of day and lead photo's id (each import
    adds its own photo: the source names the picture only by its texts)."""
    article = Article.objects.get(pk=article_id)
    ids = {f"s{article.pk}": "s(the story)", f"p{article.lead_photo_id}": "p(its lead photo)"}
    columns = {f.attname: getattr(article, f.attname) for f in Article._meta.concrete_fields}
    unlike = ("id", "created_at", "updated_at", "lead_photo_id")
    for name in unlike:
        assert columns.pop(name) is not None
    versions = Version.objects.get_for_object(article)
    return {
        "columns": columns,
        "bylines": list(article.bylines.values_list("author__name", "position", "role")),
        "tags": sorted(article.tags.values_list("name", flat=True)),
        "photos_in_body": sorted(article.photos_in_body.values_list("pk", flat=True)),
        "lead_photo": article.lead_photo and (article.lead_photo.caption, article.lead_photo.credit),
        "found": [story.pk == article.pk for story in search.search("lighthouse")],
        "versions": [
            {name: value for name, value in version.field_dict.items() if name not in (*unlike, "tags")}
            for version in versions
        ],
        "revision_holds": sorted(
            version.content_type.model for version in versions[0].revision.version_set.all()
        )
        if versions
        else [],
        "changed": sorted(ids.get(key, key) for key in changed),
        "rescheduled": len(rescheduled),
    }


def _imported(monkeypatch, item: ArticleRecord) -> dict:
    changed, rescheduled = [], []
    monkeypatch.setattr(changes, "changed", lambda *keys: changed.extend(keys))
    monkeypatch.setattr(freshness, "changed", lambda *keys: changed.extend(keys))
    monkeypatch.setattr(changes, "reschedule", lambda: rescheduled.append(1))
    with reversion.create_revision():
        [outcome] = Loader().load_chunk([copy.deepcopy(item)])
    assert outcome.result == "imported", outcome
    stored = _as_stored(outcome.article_id, changed, rescheduled)
    Article.objects.filter(pk=outcome.article_id).delete()  # its slug is free for the other path
    Version.objects.all().delete()
    return stored


@pytest.mark.parametrize(
    "status, published_at",
    [("published", "past"), ("published", "future"), ("draft", None), ("review", "past")],
)
def test_a_new_story_added_by_the_importer_is_stored_as_save_stores_it(monkeypatch, status, published_at):
    when = {"past": timezone.now() - timedelta(days=2), "future": timezone.now() + timedelta(days=2)}
    Loader().load_chunk([record(0)])  # its section, authors and tags exist from now on, for both paths
    photo = photo_with_file(caption="The pier")
    item = dataclasses.replace(
        record(1),
        headline="Storm\x0b closes the pier",
        dek="Waves\x08 over the wall.",
        body=(
            "<p>The \x0clighthouse keeper <b onclick='x()'>stayed</b>.</p><script>alert(1)</script>"
            '<figure data-photo="7"><figcaption>typed inside</figcaption></figure>'
            '<p><img src="https://tracker.example/p.gif"><img src="/media/photos/own.jpg" alt="own"></p>'
        ),
        dateline_place="Dover\x01",
        seo_title="Pier\x02 closed",
        seo_description="Storm\x03 news",
        lead_photo=PhotoRecord(caption="Waves\x04", credit="Photo: Desk"),
        # our export's body photo, found in this library by its texts and file name
        body_photos={"7": PhotoRecord(photo.caption, photo.credit, photo.alt_text, file="p1.jpg")},
    )
    item.status = status
    item.published_at = when.get(published_at)
    item.embargo_until = when["past"] if status == "review" else None
    model_save = Article.save
    monkeypatch.setattr(Article, "save", None)  # a new story goes in by Article.add_cleaned(), not save()
    added = _imported(monkeypatch, item)
    monkeypatch.setattr(Article, "save", model_save)
    monkeypatch.setattr(Article, "add_cleaned", model_save)
    saved = _imported(monkeypatch, item)
    assert added == saved
    assert added["columns"]["version"] == 1 and added["photos_in_body"] == [photo.pk]
    assert "\x0b" not in added["columns"]["headline"] and "script" not in added["columns"]["body"]
    assert len(added["versions"]) == 1 and added["revision_holds"] == ["article"]  # reversion saw a save
    if status == "published":
        assert added["changed"] and added["rescheduled"] == 1
        assert added["found"] == ([True] if published_at == "past" else [])
    else:
        assert added["changed"] == ["p(its lead photo)"] and not added["rescheduled"]  # a draft shows nowhere


def test_lead_photos_named_by_the_source_are_looked_up_once_per_chunk():
    def with_photo(n: int) -> ArticleRecord:
        picture = PhotoRecord(caption=f"Picture {n}", source_id=str(n), url=f"https://site/p{n}.jpg")
        return dataclasses.replace(record(n), lead_photo=picture)

    Loader().load_chunk([record(0)])  # its section, authors and tags exist from now on
    known = Photo.objects.create(source_key=photos.source_key("s", "1", "https://site/p1.jpg"))
    five = queries_to_load([with_photo(n) for n in range(1, 6)])
    twenty_five = queries_to_load([with_photo(n) for n in range(6, 31)])
    # a new story's five queries and its photo's INSERT in a savepoint (Photo.save): no look-up per photo,
    # one for the chunk
    assert (twenty_five - five) == 8 * 20
    assert Article.objects.get(external_id="1").lead_photo == known  # found by its key, its caption filled
    assert Photo.objects.get(pk=known.pk).caption == "Picture 1"
    assert Photo.objects.exclude(source_key="").count() == 30


def test_an_author_the_importer_adds_is_the_row_save_writes():
    byline = BylineRecord("Ana\x0b Reyes", affiliation="Moscow\x01 correspondent")
    Loader().load_chunk([dataclasses.replace(record(1), bylines=[byline])])
    added = Author.objects.get()
    saved = Author(name="Ana\x0b Reyes", slug="ana-reyes-2", job_title="Moscow\x01 correspondent")
    saved.save()
    fields = [f.attname for f in Author._meta.concrete_fields if f.attname not in ("id", "slug")]
    assert Author.objects.filter(pk=saved.pk).values(*fields).get() == (
        Author.objects.filter(pk=added.pk).values(*fields).get()
    )
    assert (added.name, added.slug, added.job_title) == ("Ana Reyes", "ana-reyes", "Moscow correspondent")


def test_a_value_django_would_convert_is_converted():
    author = Author(name=gettext_lazy("Ana Reyes"), slug="ana", job_title=42)  # lazy text, a number
    author.save()
    assert Author.objects.filter(pk=author.pk).values_list("name", "job_title").get() == ("Ana Reyes", "42")


def test_a_tag_the_importer_adds_is_the_row_save_writes():
    Loader().load_chunk([dataclasses.replace(record(1), tags=["Flood\x0b warnings"])])
    saved = Tag(name="Storm\x0b warnings", slug="storm-warnings")
    saved.save()
    fields = [f.attname for f in Tag._meta.concrete_fields if f.attname not in ("id", "name", "slug")]
    assert Tag.objects.values_list("name", "slug", *fields).order_by("name")[0] == (
        "Flood warnings",
        "flood-warnings",
        *Tag.objects.filter(pk=saved.pk).values_list(*fields).get(),
    )
