"""The one writer: turn an ArticleRecord into an Article, all of it or none of it (a savepoint each, one
transaction per chunk of stories).

Every text is stripped of control characters and every date checked here, before anything is written:
bylines and tags go in by raw SQL, which no model's save() sees. Idempotent on (source, external_id).
Authors, sections and tags are found by name case- and space-insensitively (or by slug) and created when
missing; lookups are cached for the run, and a cache entry made inside a story's savepoint is kept only
when the chunk's transaction commits.
"""

import functools
from dataclasses import dataclass, field, fields
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import DatabaseError, connection, transaction
from django.db.models import Model
from django.tasks.signals import task_enqueued
from django.utils.text import slugify

from articles import freshness, inserts, photos, tasks
from articles.freshness.keys import lists_of
from articles.html import foreign_image_message, sanitize_reporting
from articles.importers import elements
from articles.importers.names import clean, normalize
from articles.importers.records import ArticleRecord, BadItem, Item, PhotoRecord, Skipped
from articles.models import Article, Author, Byline, Photo, Section, Tag, TaggedArticle, unique_slug
from articles.validators import date_problem, strip_control_characters

DEFAULT_SECTION = "News"
_LEFT_OUT = "left out of the story"
NO_DATE = "no publication date in the source: kept as a draft (the importer never invents a date)"


@dataclass
class Outcome:
    """What happened to one item; one entry of the --report file."""

    result: str  # imported, updated, unchanged, skipped, failed
    where: str
    source: str = ""
    external_id: str = ""
    article_id: int | None = None
    warnings: list[str] = field(default_factory=list)
    error: str = ""
    article: Article | None = field(default=None, repr=False)  # for url(); not part of the report

    def url(self) -> str:
        """The story's address (its preview for a draft); worked out only when asked for."""
        return self.article.get_absolute_url() if self.article is not None and self.result != "failed" else ""

    def entry(self) -> dict:
        """The --report entry."""
        return {
            "where": self.where,
            "source": self.source,
            "external_id": self.external_id,
            "result": self.result,
            "article_id": self.article_id,
            "url": self.url(),
            "warnings": self.warnings,
            "errors": [self.error] if self.error else [],
        }


def _fits(model: type[Model], name: str, value: str, warnings: list[str], *, required: bool = False) -> str:
    """`value` cut to the column's length, with a warning (or an error for a field that must be whole)."""
    limit = model._meta.get_field(name).max_length
    if limit and len(value) > limit:
        if required:
            raise ValueError(f"{name} is longer than {limit} characters")
        warnings.append(f"{name} cut to {limit} characters")
        return value[:limit]
    return value


_RECORD_TEXTS = tuple(f.name for f in fields(ArticleRecord) if f.type is str and f.name != "where")


def _strip_controls(record: ArticleRecord) -> None:
    """Remove C0 control characters (a vertical tab pasted from Word) from every text the record brings."""
    strip = strip_control_characters
    for name in _RECORD_TEXTS:
        setattr(record, name, strip(getattr(record, name)))
    for byline in record.bylines:
        byline.name, byline.role, byline.slug = strip(byline.name), strip(byline.role), strip(byline.slug)
        byline.affiliation = strip(byline.affiliation)
    record.tags = [strip(name) for name in record.tags]
    record.tag_slugs = {strip(name): strip(slug) for name, slug in record.tag_slugs.items()}
    if photo := record.lead_photo:
        for name in ("caption", "credit", "alt_text", "url", "file"):
            setattr(photo, name, strip(getattr(photo, name)))


def _check_dates(record: ArticleRecord) -> None:
    """Refuse a date pages, feeds and the admin could not show (year 1 or 9999, as broken exports carry)."""
    for name in ("published_at", "revised_at", "embargo_until"):
        if problem := date_problem(getattr(record, name)):
            raise ValueError(f"{name}: {problem}")


@functools.cache
def _insert_sql(model: type[Model], fields: tuple[str, ...]) -> str:
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(model._meta.get_field(f).column) for f in fields)
    return f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"


def _insert(cursor, model: type[Model], fields: tuple[str, ...], rows: list[tuple]) -> None:
    """INSERT rows of a plain link table in one statement.

    bulk_create does the same with several times the Python work; at 500 stories a second it was a third
    of the import's time. These tables have no save() logic and bulk_create sends no signals either.
    """
    if rows:
        cursor.executemany(_insert_sql(model, fields), rows)


def _photo_texts(photo: PhotoRecord, warnings: list[str]) -> tuple[str, str, str]:
    """Caption, credit and alt text as they are stored."""
    return (
        _fits(Photo, "caption", photo.caption.strip(), warnings),
        _fits(Photo, "credit", photo.credit.strip(), warnings),
        _fits(Photo, "alt_text", photo.alt_text.strip(), warnings),
    )


def _check_image(path: Path) -> str:
    """The name to store an image file under, or ValueError if the admin would refuse the file too."""
    with path.open("rb") as handle:
        try:
            return photos.check_image(File(handle, name=path.name)).name_for(path.name)
        except ValidationError as error:
            raise ValueError(f"file {path.name} refused: {error.messages[0].rstrip('.')}") from None


def _same_photo(wanted: PhotoRecord) -> Photo | None:
    """A library photo with the same texts whose file has the same name (give or take Django's suffix)."""
    texts = {
        "caption": wanted.caption.strip(),
        "credit": wanted.credit.strip(),
        "alt_text": wanted.alt_text.strip(),
    }
    stem = PurePosixPath(PurePosixPath(wanted.file).name).stem
    for photo in Photo.objects.filter(**texts).exclude(image=""):
        if not stem or PurePosixPath(photo.image.name).name.startswith(stem):
            return photo
    return None


class _ChunkLost(Exception):
    """The chunk's transaction can only be rolled back (SQLite undid it all after an error)."""


@dataclass
class _StoryMedia:
    """The photos one story used and the renditions it queued, counted once its transaction commits."""

    photos: dict[int, bool] = field(default_factory=dict)  # photo id -> created by this story
    renditions: int = 0


@functools.lru_cache(maxsize=1024)  # asked for twice per story: by load_chunk, then by _slug
def _wanted_slug(slug: str, headline: str) -> str:
    return (slugify(slug) or slugify(headline) or "story")[:200].strip("-") or "story"


def _links(article_ids: list[int]) -> dict[int, tuple[list[tuple[int, str]], set[int]]]:
    """Each article's bylines as (author id, role) in order, and its tag ids."""
    links: dict[int, tuple[list[tuple[int, str]], set[int]]] = {pk: ([], set()) for pk in article_ids}
    if not article_ids:
        return links
    bylines = Byline.objects.filter(article_id__in=article_ids).order_by("position", "pk")
    for article_id, author_id, role in bylines.values_list("article_id", "author_id", "role"):
        links[article_id][0].append((author_id, role))
    tags = TaggedArticle.objects.filter(content_object_id__in=article_ids)
    for article_id, tag_id in tags.values_list("content_object_id", "tag_id"):
        links[article_id][1].add(tag_id)
    return links


class Loader:
    def __init__(
        self,
        *,
        status: str | None = None,
        section: Section | None = None,
        update: bool = False,
        dry_run: bool = False,
        media_dir: Path | None = None,
    ) -> None:
        self.status = status
        self.section = section
        self.update = update
        self.dry_run = dry_run
        self.media_dir = Path(media_dir) if media_dir else None
        self.authors = {normalize(name): pk for pk, name in Author.objects.values_list("pk", "name")}
        self.author_slugs = set(Author.objects.values_list("slug", flat=True))
        self.sections: dict[str, Section] = {}
        for found in Section.objects.all():
            self.sections.setdefault(normalize(found.name), found)
            self.sections.setdefault("slug:" + found.slug, found)
        self.tags = {normalize(name): pk for pk, name in Tag.objects.values_list("pk", "name")}
        self.tag_slugs = {slug: pk for pk, slug in Tag.objects.values_list("pk", "slug")}
        self._new: list[tuple[dict | set, str]] = []  # cache entries made in the current story's transaction
        # Looked up once per chunk of stories rather than once per story (see load_chunk).
        self._existing: dict[tuple[str, str], Article | None] = {}
        self._slug_taken: dict[str, bool] = {}
        self._links: dict[int, tuple[list[tuple[int, str]], set[int]]] = {}  # for --update's comparison
        self._lead_photos: dict[str, Photo | None] = {}  # by source key; an entry is used once
        # The photo library as far as this run has met it: by source key, by file hash, files read
        self.photo_keys: dict[str, Photo] = {}
        self.photo_hashes: dict[str, Photo] = {}
        self.photo_files: dict[Path, tuple[str, str]] = {}
        self.media_files: dict[tuple[str, str], Path | None] = {}
        # What import_articles shows beside its progress: distinct photos added to the library and already
        # there, rendition tasks queued (stories that failed, and dry runs, count nothing)
        self.stats = dict.fromkeys(("photos_added", "photos_reused", "renditions_queued"), 0)
        self._added: set[int] = set()
        self._reused: set[int] = set()
        self._story: _StoryMedia | None = None  # the story being written, while it is
        # (cache entries, media) of each story written in the chunk's transaction, until it commits
        self._chunk_done: list[tuple[list, _StoryMedia]] | None = None
        # Rendition tasks are queued by Photo.save, whatever the tasks backend: counted as they are (the
        # receiver goes with the loader; connecting one per story cost 0.1 ms a story)
        task_enqueued.connect(self._enqueued)

    def load_chunk(self, items: list[Item]) -> list[Outcome]:
        """Load a few hundred items in one transaction, each item in its own savepoint (all of it or none
        of it), with their existing articles and wanted slugs looked up together.

        One commit per chunk instead of one per story: commits were a fifth of an import's time. Should the
        chunk's commit fail (a foreign key PostgreSQL checks only then, a full disk), nothing of the chunk
        was kept: its items are loaded again, each in its own transaction, so only a bad one fails.
        """
        for item in items:
            if isinstance(item, ArticleRecord):
                _strip_controls(item)  # before the look-ups: the external id is stored without them too
        records = [item for item in items if isinstance(item, ArticleRecord) and item.external_id]
        try:
            self._chunk_done = []
            try:
                with transaction.atomic():
                    outcomes = self._load_all(items, records)
                    if transaction.get_rollback():  # SQLite rolled all of it back after an error
                        raise _ChunkLost
            except (DatabaseError, _ChunkLost):
                for new, _story in self._chunk_done:
                    self._forget(new)
                self._chunk_done = None
                return self._load_all(items, records)
            for _new, story in self._chunk_done:
                self._count(story)
            return outcomes
        finally:
            self._chunk_done = None
            self._existing, self._slug_taken, self._links, self._lead_photos = {}, {}, {}, {}

    def _load_all(self, items: list[Item], records: list[ArticleRecord]) -> list[Outcome]:
        self._existing = {}
        by_source: dict[str, list[str]] = {}
        for record in records:
            by_source.setdefault(record.source, []).append(record.external_id)
            self._existing[(record.source, record.external_id)] = None
        for source, ids in by_source.items():
            found = Article.objects.filter(source=source, external_id__in=ids).exclude(external_id="")
            for article in found.select_related("lead_photo"):
                self._existing[(article.source, article.external_id)] = article
        if self.update:
            self._links = _links([article.pk for article in self._existing.values() if article is not None])
        wanted = {self._wanted_slug(record) for record in records}
        self._slug_taken = dict.fromkeys(wanted, False)
        self._slug_taken.update(
            dict.fromkeys(Article.objects.filter(slug__in=wanted).values_list("slug", flat=True), True)
        )
        keys = {self._photo_key(record) for record in records if record.lead_photo}
        self._lead_photos = photos.by_source_key(keys - {""} - self.photo_keys.keys())
        return [self.load(item) for item in items]

    def load(self, item: Item) -> Outcome:
        """Write one parsed item (or report why not) and say what happened; called by load_chunk."""
        if isinstance(item, Skipped):
            return Outcome("skipped", item.where, external_id=item.external_id, warnings=[item.reason])
        if isinstance(item, BadItem):
            return Outcome("failed", item.where, external_id=item.external_id, error=item.error)
        outcome = Outcome("failed", item.where, item.source, item.external_id, warnings=list(item.warnings))
        self._new = new = []
        self._story = story = _StoryMedia()
        try:
            with transaction.atomic():
                article = self._write(item, outcome)
                if self.dry_run:
                    transaction.set_rollback(True)
        except (DatabaseError, ValidationError, ValueError, OSError) as error:
            self._forget(new)
            outcome.result, outcome.article_id, outcome.article = "failed", None, None
            outcome.error = " ".join(str(error).split()) or type(error).__name__
            return outcome
        finally:
            self._story = None
        if self.dry_run:
            self._forget(new)
            if outcome.result == "imported":  # its row was rolled back: there is no such id
                outcome.article_id, outcome.article = None, None
            return outcome
        if self._chunk_done is not None:
            self._chunk_done.append((new, story))  # kept, and counted, once the chunk commits
        else:
            self._count(story)
        if outcome.result in ("imported", "updated") and (item.source, item.external_id) in self._existing:
            # a second copy of the story later in the same chunk is then "unchanged", not a duplicate
            self._existing[(item.source, item.external_id)] = article
        return outcome

    def _enqueued(self, sender, task_result, **kwargs) -> None:
        if self._story is not None and task_result.task.module_path == tasks.make_renditions.module_path:
            self._story.renditions += 1

    def _count(self, story: _StoryMedia) -> None:
        for pk, created in story.photos.items():
            (self._added if created else self._reused).add(pk)
        self._reused -= self._added  # added earlier in this run, then used again: counted once, as added
        self.stats["photos_added"], self.stats["photos_reused"] = len(self._added), len(self._reused)
        self.stats["renditions_queued"] += story.renditions

    def _used(self, photo: Photo | None, created: bool = False) -> Photo | None:
        """`photo`, noted as one the current story shows."""
        if photo is not None and photo.pk is not None and self._story is not None:
            self._story.photos[photo.pk] = self._story.photos.get(photo.pk, False) or created
        return photo

    @staticmethod
    def _forget(new: list[tuple[dict | set, str]]) -> None:
        """Drop cache entries made in a transaction that was rolled back."""
        for cache, key in new:
            if isinstance(cache, set):
                cache.discard(key)
            else:
                cache.pop(key, None)
        new.clear()

    def _remember(self, cache: dict | set, key: str, value=None) -> None:
        if isinstance(cache, set):
            cache.add(key)
        else:
            cache[key] = value
        self._new.append((cache, key))

    # The story

    def _write(self, record: ArticleRecord, outcome: Outcome) -> Article:
        warnings = outcome.warnings
        key = (record.source, record.external_id)
        if key in self._existing:
            existing = self._existing[key]
        else:
            existing = (
                Article.objects.filter(source=record.source, external_id=record.external_id)
                .exclude(external_id="")  # lets SQLite use the partial unique index
                .select_related("lead_photo")
                .first()
            )
        if existing is not None and not self.update:
            outcome.result, outcome.article_id, outcome.article = "unchanged", existing.pk, existing
            return existing
        if not record.external_id:
            raise ValueError("no external id")
        _check_dates(record)
        _fits(Article, "source", record.source, warnings, required=True)
        _fits(Article, "external_id", record.external_id, warnings, required=True)
        # the body's photos in this library (the record is left as read: a failed chunk loads it again)
        body = elements.for_library(self, record, warnings)
        fields = self._fields(record, body, warnings, existing)
        author_ids = self._author_ids(record)
        tag_ids = self._tag_ids(record)
        if existing is not None and self._same(existing, fields, author_ids, tag_ids, record):
            outcome.result, outcome.article_id, outcome.article = "unchanged", existing.pk, existing
            return existing
        article = existing or Article(source=record.source, external_id=record.external_id)
        for name, value in fields.items():
            setattr(article, name, value)
        if existing is None:
            article.slug = self._slug(record)
        article.lead_photo = self._photo(record, existing.lead_photo if existing else None, warnings)
        if existing is None:
            article.add_cleaned()  # its texts stripped of control characters, its body sanitized: see above
        else:
            article.save()
        self._links.pop(article.pk, None)  # a later copy of the story in the chunk reads them again
        if existing is not None:
            Byline.objects.filter(article=article).delete()
            TaggedArticle.objects.filter(content_object=article).delete()
        bylines = [
            (article.pk, author_id, position, role) for position, (author_id, role) in enumerate(author_ids)
        ]
        with connection.cursor() as cursor:
            _insert(cursor, Byline, ("article", "author", "position", "role"), bylines)
            _insert(cursor, TaggedArticle, ("content_object", "tag"), [(article.pk, tag) for tag in tag_ids])
        freshness.changed(*lists_of(article, author_ids=[a for a, _ in author_ids], tag_ids=tag_ids))
        outcome.result = "updated" if existing is not None else "imported"
        outcome.article_id, outcome.article = article.pk, article
        return article

    def _fields(
        self, record: ArticleRecord, body: str, warnings: list[str], existing: Article | None
    ) -> dict:
        # A source without a status or a date of its own does not undo what an editor did since (--update).
        status = self.status or record.status or (existing.status if existing else Article.Status.DRAFT)
        published_at = record.published_at or (existing.published_at if existing else None)
        if status == Article.Status.PUBLISHED and published_at is None:
            warnings.append(NO_DATE)
            status = Article.Status.DRAFT
        headline = _fits(Article, "headline", record.headline.strip(), warnings, required=True)
        if not headline:
            raise ValueError("no headline")
        # Sanitized here to tell the editor which images were removed, and so --update compares like with
        # like; a new story then goes in by Article.add_cleaned(), which does not sanitize it again
        body, foreign_images = sanitize_reporting(body)
        warnings.extend(foreign_image_message(address) for address in foreign_images)
        return {
            "headline": headline,
            "dek": record.dek.strip(),
            "body": body,
            "section": self.section or self._section(record),
            "status": status,
            "published_at": published_at,
            "revised_at": record.revised_at or (existing.revised_at if existing else None),
            "embargo_until": record.embargo_until or (existing.embargo_until if existing else None),
            "dateline_place": _fits(Article, "dateline_place", record.dateline_place.strip(), warnings),
            "seo_title": _fits(Article, "seo_title", record.seo_title.strip(), warnings),
            "seo_description": _fits(Article, "seo_description", record.seo_description.strip(), warnings),
        }

    def _same(
        self, article: Article, fields: dict, author_ids: list, tag_ids: list, record: ArticleRecord
    ) -> bool:
        if article.section_id != fields["section"].pk:  # not article.section: a query per story
            return False
        if any(getattr(article, name) != value for name, value in fields.items() if name != "section"):
            return False
        bylines, tags = self._links.get(article.pk) or _links([article.pk])[article.pk]
        if bylines != author_ids or tags != set(tag_ids):
            return False
        photo, wanted = article.lead_photo, record.lead_photo
        if photo is None or wanted is None:
            return photo is None and wanted is None
        if key := self._photo_key(record):  # a library photo: the same one, whatever its texts say now
            known = self.photo_keys.get(key)
            return photo.source_key == key or (known is not None and known.pk == photo.pk)
        return (photo.caption, photo.credit, photo.alt_text) == _photo_texts(wanted, [])

    @staticmethod
    def _wanted_slug(record: ArticleRecord) -> str:
        return _wanted_slug(record.slug, record.headline)

    def _slug(self, record: ArticleRecord) -> str:
        """The source's slug (or one from the headline) when free, else unique_slug's "-2", "-3"..."""
        wanted = self._wanted_slug(record)
        taken = self._slug_taken.get(wanted)
        if taken is None:
            taken = Article.objects.filter(slug=wanted).exists()  # exact lookup: fast on a big table
        slug = unique_slug(Article, wanted) if taken else wanted
        if wanted in self._slug_taken:
            self._slug_taken[wanted] = True  # the next story of the chunk wanting it gets "-2"
        return slug

    # Things found or created by name

    def _section(self, record: ArticleRecord) -> Section:
        name = clean(record.section)
        found = self.sections.get(normalize(name)) if name else None
        if found:
            return found
        slug = slugify(record.section_slug) or slugify(name)
        found = self.sections.get("slug:" + slug) if slug else None
        if found:
            return found
        if not name and not slug:
            name, slug = DEFAULT_SECTION, slugify(DEFAULT_SECTION)
            found = self.sections.get(normalize(name)) or self.sections.get("slug:" + slug)
            if found:
                return found
        name = name or slug.replace("-", " ").title()
        section = Section.objects.create(
            name=name[:100], slug=unique_slug(Section, slug or name, max_length=100)
        )
        self._remember(self.sections, normalize(section.name), section)
        self._remember(self.sections, "slug:" + section.slug, section)
        return section

    def _author_ids(self, record: ArticleRecord) -> list[tuple[int, str]]:
        result: list[tuple[int, str]] = []
        for byline in record.bylines:
            name = clean(byline.name)[:150]
            if not name:
                continue
            key = normalize(name)
            author_id = self.authors.get(key)
            if author_id is None:
                slug = (slugify(byline.slug) or slugify(name) or "author")[:150]
                if slug in self.author_slugs:
                    slug = unique_slug(Author, slug, max_length=150)
                job_title = clean(byline.affiliation)[:150]
                author = Author(name=name, slug=slug, job_title=job_title)
                inserts.add(author)  # not save(): it would strip control characters again (_strip_controls)
                author_id = author.pk
                self._remember(self.authors, key, author_id)
                self._remember(self.author_slugs, slug)
            if all(author_id != known for known, _ in result):  # one byline per author
                result.append((author_id, byline.role[:100]))
        return result

    def _tag_ids(self, record: ArticleRecord) -> list[int]:
        result: list[int] = []
        for name in record.tags:
            name = clean(name)[:100]
            if not name:
                continue
            key = normalize(name)
            tag_id = self.tags.get(key)
            if tag_id is None:
                hint = slugify(record.tag_slugs.get(name, "")) or slugify(name) or "tag"
                if record.tag_slugs.get(name):
                    tag_id = self.tag_slugs.get(hint)  # the same slug given by the source: the same tag
            if tag_id is None:
                slug = (
                    hint[:100] if hint[:100] not in self.tag_slugs else unique_slug(Tag, hint, max_length=100)
                )
                tag = Tag(name=name, slug=slug)
                inserts.add(tag)  # as an author's: Tag.save() would strip control characters again
                tag_id = tag.pk
                self._remember(self.tags, key, tag_id)
                self._remember(self.tag_slugs, tag.slug, tag_id)
            if tag_id not in result:
                result.append(tag_id)
        return result

    # Photos: one per source picture, found by the source's key or the file's hash (articles/photos.py)

    def _photo_key(self, record: ArticleRecord) -> str:
        wanted = record.lead_photo
        return photos.source_key(record.source, wanted.source_id, wanted.url) if wanted else ""

    def _photo_file(self, path: Path) -> tuple[str, str]:
        """(sha256, the name to store it under) of a file in --media-dir, read once per run; ValueError if
        the admin would refuse it."""
        found = self.photo_files.get(path)
        if found is None:
            try:
                name = _check_image(path)
            except ValueError as error:
                found = ("", str(error))
            else:
                with path.open("rb") as handle:
                    found = (photos.file_sha256(handle), name)
            self.photo_files[path] = found
        if not found[0]:
            raise ValueError(found[1])
        return found

    def _photo(self, record: ArticleRecord, current: Photo | None, warnings: list[str]) -> Photo | None:
        if record.lead_photo is None:
            return None
        return self._picture(record.source, record.lead_photo, warnings, current=current)

    def body_photo(self, source: str, wanted: PhotoRecord, warnings: list[str]) -> Photo | None:
        """A picture of the story's body as the library's photo, with its file; None (a warning says why)
        when there is no file for it: a body shows only photos that have one (docs/story-bodies.md)."""
        if not wanted.source_id and not wanted.url and (found := _same_photo(wanted)):
            return self._used(found)  # our JSON Lines export's body photo, already in this library
        return self._picture(source, wanted, warnings, what=wanted.label or "body photo")

    def _picture(
        self,
        source: str,
        wanted: PhotoRecord,
        warnings: list[str],
        *,
        what: str = "lead photo",
        current: Photo | None = None,
    ) -> Photo | None:
        """The one photo of a source picture: found by the source's key or the file's bytes, else added."""
        lead = what == "lead photo"
        texts = _photo_texts(wanted, warnings)
        key = photos.source_key(source, wanted.source_id, wanted.url)
        known = self.photo_keys.get(key) if key else None
        if known is not None and known.image:  # the same picture as an earlier story of this run: no query
            return self._used(known)
        reference = wanted.file or urlsplit(wanted.url).path
        label = f"{what} file {PurePosixPath(reference).name or '(none)'}"
        path = self._media_file(wanted.file, wanted.url)
        sha256 = name = ""
        if path is not None:
            try:
                sha256, name = self._photo_file(path)
            except ValueError as error:  # the story goes in without the file
                warnings.append(f"{what} {error}; " + ("caption and credit kept" if lead else _LEFT_OUT))
                path = reference = None
        if known is None and sha256:
            known = self.photo_hashes.get(sha256)
        created = False
        if known is not None and (known.image or not sha256):
            photo = known  # the same picture as an earlier story of this run: no query at all
        elif not lead and (path is None or self.dry_run):
            # a body photo without its file is left out; one the library has (by the source's key) is used
            photo = Photo.objects.filter(source_key=key).exclude(image="").first() if key else None
            if photo is None and sha256:
                photo = Photo.objects.filter(sha256=sha256).first()
        elif not key and not sha256:
            # nothing names the picture (a caption and a credit only): the story's own photo, as before
            photo = (
                current if current is not None and not current.source_key and not current.sha256 else Photo()
            )
            created = photo.pk is None
            if (photo.caption, photo.credit, photo.alt_text) != texts or photo.pk is None:
                photo.caption, photo.credit, photo.alt_text = texts
                photo.save()
        else:
            # looked up with the chunk's other lead photos, and taken once (a story rolled back may have
            # changed it)
            by_key = {key: self._lead_photos.pop(key)} if lead and key in self._lead_photos else None
            if path is None or self.dry_run:
                photo, created = photos.find_or_add(key=key, sha256=sha256, texts=texts, by_key=by_key)
            else:
                with path.open("rb") as handle:
                    photo, created = photos.find_or_add(
                        key=key, sha256=sha256, texts=texts, file=handle, name=name, by_key=by_key
                    )
        if not lead and photo is not None and not photo.image:
            photo = None  # known only by its texts (another story's lead photo): a body needs the file
        if photo is None:
            if reference and not self.dry_run:
                warnings.append(f"{label} {self._not_found()}; {_LEFT_OUT}")
            return None
        if key and self.photo_keys.get(key) is not photo:
            self._remember(self.photo_keys, key, photo)
        if photo.sha256 and self.photo_hashes.get(photo.sha256) is not photo:
            self._remember(self.photo_hashes, photo.sha256, photo)
        if path is None and reference and not photo.image:
            warnings.append(f"{label} {self._not_found()}; caption and credit kept")
        return self._used(photo, created)

    def _not_found(self) -> str:
        return f"not in --media-dir {self.media_dir}" if self.media_dir else "not imported (no --media-dir)"

    def _media_file(self, file: str, url: str) -> Path | None:
        if self.media_dir is None:
            return None
        if (file, url) not in self.media_files:  # stories sharing a picture look it up once
            self.media_files[(file, url)] = self._find_media_file(file, url)
        return self.media_files[(file, url)]

    def _find_media_file(self, file: str, url: str) -> Path | None:
        root = self.media_dir.resolve()
        names = [file, PurePosixPath(file).name, PurePosixPath(urlsplit(url).path).name]
        for name in filter(None, names):
            candidate = (root / name.lstrip("/")).resolve()
            if candidate.is_relative_to(root) and candidate.is_file():  # no ../ out of the media folder
                return candidate
        return None
