from functools import lru_cache

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.validators import URLValidator, validate_image_file_extension
from django.db import models, transaction
from django.db.models.functions import Coalesce
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.text import slugify
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager
from taggit.models import NaturalKeyManager, TagBase, TaggedItemBase

from articles import inserts, photos
from articles.html import sanitize
from articles.validators import clean_text_fields, validate_story_date


def path(viewname: str, *args) -> str:
    """`reverse(viewname, args=args)`, worked out once per worker.

    Pages link to the same stories, sections, authors and tags over and over, and a reverse() costs about as
    much as rendering a small template (an article page made ~25).
    """
    return _path(settings.ROOT_URLCONF, get_urlconf(), get_script_prefix(), viewname, args)


@lru_cache(maxsize=32768)
def _path(root_urlconf, urlconf, prefix, viewname, args):
    return reverse(viewname, args=args)


def unique_slug(model, text, *, max_length=200, exclude_pk=None):
    """Return a slug for `text` that no other row of `model` uses yet ("name", "name-2", ...)."""
    base = (slugify(text) or "item")[:max_length].strip("-") or "item"
    taken = set(
        model.objects.filter(slug__startswith=base).exclude(pk=exclude_pk).values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        suffix = f"-{n}"
        slug = base[: max_length - len(suffix)] + suffix
        n += 1
    return slug


# What the admin's rich-text editor offers; the sanitizer (articles/html.py) keeps the same tags.
EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Heading": {"levels": [2, 3]},
    "Blockquote": True,
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Link": {"enableTarget": False},
    "HardBreak": True,
    "HorizontalRule": True,
    "History": True,
    "HTML": True,
    # The body's elements, from static/js/body-editor.js (docs/story-bodies.md)
    "BodyPhoto": True,
    "BodyGallery": True,
    "BodyEmbed": True,
    "PullQuote": True,
    "FactBox": True,
}


class Section(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True, help_text="A sentence shown at the top of the section page.")
    menu_order = models.PositiveSmallIntegerField(
        default=100, help_text="Lower numbers come first in the site's menu."
    )

    class Meta:
        ordering = ["menu_order", "name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        clean_text_fields(self)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return path("articles:section", self.slug)


class Photo(models.Model):
    image = models.ImageField(
        upload_to="photos/%Y/%m/",
        blank=True,
        width_field="width",
        height_field="height",
        validators=[validate_image_file_extension],
        help_text="Optional: a credit and caption can be kept before the file arrives.",
    )
    caption = models.CharField(max_length=500, blank=True)
    credit = models.CharField(
        max_length=200, blank=True, help_text='Shown wherever the photo is, e.g. "Photo: Reuters".'
    )
    alt_text = models.CharField(
        max_length=300, blank=True, help_text="What the photo shows, for readers who cannot see it."
    )
    focal_x = models.FloatField(
        "focal point across",
        null=True,
        blank=True,
        help_text="Click the photo to set it: crops keep this point in view (0 left, 1 right).",
    )
    focal_y = models.FloatField("focal point down", null=True, blank=True, help_text="0 top, 1 bottom.")
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    renditions = models.JSONField(
        default=list,
        blank=True,
        editable=False,
        help_text="Resized and cropped copies made in the background: ratio, width, height, jpeg, webp.",
    )
    renditions_for = models.CharField(
        max_length=200,
        blank=True,
        editable=False,
        help_text="The file and focal point the renditions were made from; made again when either changes.",
    )
    sha256 = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        db_index=True,
        help_text="Of the file's bytes: one photo per file.",
    )
    source_key = models.CharField(
        max_length=500,
        blank=True,
        editable=False,
        db_index=True,
        help_text='The source’s own name for the picture ("wxr:https://site:42", an address).',
    )
    created_at = models.DateTimeField(auto_now_add=True)

    _do_insert = inserts.do_insert  # an import adds one per picture: the INSERT is written once

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["sha256"], condition=~models.Q(sha256=""), name="photo_one_row_per_file"
            ),
        ]

    MADE_BY_TASK = ("renditions", "renditions_for")

    def __str__(self):
        return self.caption or self.alt_text or self.credit or f"Photo {self.pk}"

    def save(self, *args, **kwargs):
        """Store the row and a newly given file, or neither (ValidationError: why); queue its renditions.

        Renditions are made by a background task (articles/tasks.py), queued in the same transaction as the
        row; until they exist, pages show the original.
        """
        clean_text_fields(self)
        adding = self._state.adding
        storing = bool(self.image) and not self.image._committed  # FileField.pre_save stores it below
        if storing:
            self.sha256 = photos.file_sha256(self.image)
        elif not self.image:
            self.sha256 = ""
        if not adding and kwargs.get("update_fields") is None:
            # only the rendition task writes the renditions: a form loaded before it finished keeps them
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name not in self.MADE_BY_TASK
            ]
        try:
            with transaction.atomic():
                super().save(*args, **kwargs)
                if self.image and self.renditions_for != self.rendition_source():
                    from articles import tasks

                    tasks.queue_renditions(self)
        except BaseException:
            if storing and self.image and self.image._committed:  # the file this save stored, no other
                self.image.storage.delete(self.image.name)
            if adding:  # the row was rolled back
                self.pk, self._state.adding = None, True
            raise

    @property
    def focal_point(self) -> tuple[float, float]:
        """(across, down) as fractions; the centre when the editor set none."""
        if self.focal_x is None or self.focal_y is None:
            return (0.5, 0.5)
        return (self.focal_x, self.focal_y)

    def rendition_source(self) -> str:
        """What the renditions are made from: the file's name and the focal point."""
        if not self.image:
            return ""
        return f"{self.image.name}@{self.focal_point[0]:.4f},{self.focal_point[1]:.4f}"[:200]

    @property
    def renditions_ready(self) -> bool:
        """Whether the copies are those of the current file and focal point (else pages show the original)."""
        return bool(self.renditions) and self.renditions_for == self.rendition_source()

    def renditions_of(self, ratio: str = "") -> list[dict]:
        """The copies of one ratio ("" the whole picture, "16:9", "4:3", "1:1"), narrowest first."""
        if not self.renditions_ready:
            return []
        return [r for r in self.renditions if r.get("ratio", "") == ratio]

    def rendition(self, ratio: str = "", width: int = 1200) -> dict | None:
        """The copy of `ratio` at least `width` wide (else the widest); None before the copies exist."""
        found = self.renditions_of(ratio)
        if not found:
            return None
        return next((r for r in found if r["width"] >= width), found[-1])

    def srcset(self, kind, ratio=""):
        """'url 480w, url 800w, ...' for the renditions of one format and ratio."""
        return ", ".join(
            f"{default_storage.url(r[kind])} {r['width']}w" for r in self.renditions_of(ratio) if r.get(kind)
        )

    @property
    def srcset_jpeg(self):
        return self.srcset("jpeg")

    @property
    def srcset_webp(self):
        return self.srcset("webp")


class AuthorQuerySet(models.QuerySet):
    def public(self):
        """Authors of a published story: one of only drafts, scheduled or embargoed stories is not public yet.

        One EXISTS in the look-up itself, so a page that 404s otherwise costs no extra query.
        """
        return self.filter(
            models.Exists(Article.objects.published().filter(bylines__author=models.OuterRef("pk")))
        )


class Author(models.Model):
    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=150, unique=True)
    job_title = models.CharField(max_length=150, blank=True, help_text='e.g. "Moscow correspondent".')
    bio = models.TextField(blank=True)
    photo = models.ForeignKey(Photo, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author",
        help_text="Optional: the staff account of this author. Freelancers and agencies need none.",
    )

    objects = AuthorQuerySet.as_manager()
    _do_insert = inserts.do_insert  # an import adds thousands: the INSERT is written once

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        clean_text_fields(self)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return path("articles:author", self.slug)


class TagQuerySet(models.QuerySet):
    def public(self):
        """Tags of a published story: one on only drafts, scheduled or embargoed stories is not public yet."""
        return self.filter(
            models.Exists(Article.objects.published().filter(tagged_items__tag=models.OuterRef("pk")))
        )


class Tag(TagBase):
    description = models.TextField(blank=True)

    objects = NaturalKeyManager.from_queryset(TagQuerySet)()  # taggit's manager, for loaddata
    _do_insert = inserts.do_insert  # an import adds thousands: the INSERT is written once

    class Meta:
        ordering = ["name"]

    def save(self, *args, **kwargs):
        clean_text_fields(self)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return path("articles:tag", self.slug)


class TaggedArticle(TaggedItemBase):
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="tagged_articles")
    content_object = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="tagged_items")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="unique_article_tag"),
        ]
        # A tag's stories from the index alone, as the tag page joins them; PostgreSQL then checks each story
        # from an index too (migration 0007).
        indexes = [models.Index(fields=["tag", "content_object"], name="taggedarticle_tag_story_idx")]


def out_of_embargo(now) -> models.Q:
    """Stories no embargo holds back at `now`: none set, or lifted (published(), the admin, exports)."""
    return models.Q(embargo_until__isnull=True) | models.Q(embargo_until__lte=now)


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """The only door to the public: published, due and out of embargo. No cron job needed."""
        from articles.freshness.clock import clock  # the one clock: tests move it

        now = clock.now()
        return self.filter(
            out_of_embargo(now),
            status=Article.Status.PUBLISHED,
            published_at__lte=now,
        )

    def with_cards(self):
        """What a story card shows: section, lead photo and ordered bylines, in a fixed number of queries."""
        return self.select_related("section", "lead_photo").prefetch_related(
            models.Prefetch("bylines", queryset=Byline.objects.select_related("author"))
        )

    def latest(self):
        return self.order_by("-published_at", "-pk")


# What a story was as last loaded or saved: its old slug, whether it was public (articles.freshness too).
LOADED_FIELDS = ("slug", "status", "published_at", "embargo_until", "section_id", "body")


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        REVIEW = "review", "In review"
        PUBLISHED = "published", "Published"

    STORY_FIELDS = ("headline", "dek", "body")

    headline = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True, help_text="The last part of the story's address.")
    dek = models.TextField("standfirst", blank=True, help_text="One or two sentences under the headline.")
    body = ProseEditorField(
        blank=True,
        extensions=EDITOR_EXTENSIONS,
        sanitize=sanitize,
        help_text="Paragraphs, sub-headings, quotes, lists and links; photos, galleries, embeds, pull quotes "
        "and fact boxes from the toolbar. A video's or post's address on a line of its own becomes an embed.",
    )
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="articles")
    authors = models.ManyToManyField(Author, through="Byline", related_name="articles", blank=True)
    dateline_place = models.CharField(
        max_length=100, blank=True, help_text='Where the story was reported from, e.g. "Moscow".'
    )
    tags = TaggableManager(through=TaggedArticle, blank=True)
    lead_photo = models.ForeignKey(
        Photo, null=True, blank=True, on_delete=models.SET_NULL, related_name="lead_articles"
    )
    photos_in_body = models.ManyToManyField(
        Photo,
        blank=True,
        editable=False,
        related_name="in_bodies",
        help_text="The photos the body shows (its photos and galleries), kept from the body by every save.",
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        validators=[validate_story_date],
        help_text="Empty until first published. A time in the future schedules the story.",
    )
    embargo_until = models.DateTimeField(
        "embargoed until",
        null=True,
        blank=True,
        validators=[validate_story_date],
        help_text="Nothing of the story is public anywhere before this time, whatever its status.",
    )
    unpublished_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When a published story was taken down; its URL answers 410.",
    )
    revised_at = models.DateTimeField(
        null=True,
        blank=True,
        validators=[validate_story_date],
        help_text="Shown to readers as “Updated” when the story changed after publication.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        help_text="The account that created the story; writers may edit only their own drafts.",
    )
    version = models.PositiveIntegerField(default=0, editable=False, help_text="Raised by every save.")
    source = models.CharField(max_length=100, blank=True, help_text="Where an imported story came from.")
    external_id = models.CharField(max_length=500, blank=True, help_text="The story's id at its source.")
    seo_title = models.CharField(
        "SEO title", max_length=200, blank=True, help_text="Defaults to the headline."
    )
    seo_description = models.CharField(
        "SEO description", max_length=300, blank=True, help_text="Defaults to the standfirst."
    )

    objects = ArticleQuerySet.as_manager()
    _do_insert = inserts.do_insert  # an import adds thousands: the INSERT is written once

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = "story"
        verbose_name_plural = "stories"
        permissions = [
            ("publish_article", "Can publish, schedule, embargo and unpublish stories"),
            ("view_embargoed_article", "Can read embargoed stories before their embargo lifts"),
        ]
        indexes = [
            # embargo_until last: published() filters on it, and counts are answered from the index alone
            models.Index(fields=["status", "-published_at", "embargo_until"], name="article_public_idx"),
            models.Index(
                fields=["section", "status", "-published_at", "embargo_until"], name="article_section_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"],
                condition=~models.Q(external_id=""),
                name="unique_article_source_external_id",
            ),
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        clean_text_fields(self)
        self.body = sanitize(self.body)
        if not self.slug:
            self.slug = unique_slug(Article, self.headline, exclude_pk=self.pk)
        loaded = getattr(self, "_loaded", None)
        # the body as stored: "" for a new story, None when unknown (then its photo links are read afresh)
        stored_body = "" if self._state.adding else (loaded or {}).get("body")
        was_public = self._before_write(update_fields)
        if was_public and loaded["slug"] != self.slug:
            # An old slug only answers when no story has it now, so it never needs deleting.
            with transaction.atomic():
                super().save(*args, **kwargs)
                OldSlug.objects.update_or_create(slug=loaded["slug"], defaults={"article": self})
        else:
            super().save(*args, **kwargs)
        self._after_write(stored_body, update_fields)

    def get_absolute_url(self):
        if self.published_at is None:
            return path("articles:preview", self.pk)
        day = timezone.localtime(self.published_at)
        return path("articles:article", day.year, f"{day.month:02d}", f"{day.day:02d}", self.slug)

    def add_cleaned(self):
        """Insert this new story as save() would, for a caller that has already cleaned it (the importer).

        The caller has stripped control characters from every text, passed the body through the sanitizer
        and chosen a free slug: what save() would do again. The rest of save() is shared (_before_write,
        _after_write), and inserts.add writes the row with pre_save and post_save sent, so freshness and
        reversion see it as any save. tests/test_import_load.py holds a story added this way to be the same,
        column for column, as one saved by save() (#16: docs/benchmarks.md, "Tenth session").
        """
        if not self._state.adding or not self.slug:
            raise ValueError("add_cleaned() inserts a new story whose slug is chosen")
        self._before_write(None)
        inserts.add(self)
        self._after_write("", None)

    def _before_write(self, update_fields) -> bool:
        """Set the publication time, unpublished_at and version as every save does; whether the story was
        public as last loaded."""
        from articles.freshness.rules import was_public as public_as_loaded

        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        was_public = public_as_loaded(self)
        if was_public and self.status != self.Status.PUBLISHED:
            self.unpublished_at = timezone.now()
        elif self.status == self.Status.PUBLISHED:
            self.unpublished_at = None
        if update_fields is None or "version" in update_fields:
            self.version += 1
        return was_public

    def _after_write(self, stored_body: str | None, update_fields) -> None:
        if update_fields is None or "body" in update_fields:
            from articles import body

            body.keep_photo_links(self, stored_body)
        self._loaded = {name: self.__dict__.get(name) for name in LOADED_FIELDS}

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        article = super().from_db(db, field_names, values, **kwargs)
        article._loaded = {name: article.__dict__.get(name) for name in LOADED_FIELDS}
        return article

    def is_published(self):
        from articles.freshness.rules import is_public

        return is_public(self)

    @property
    def status_label(self):
        if self.status == self.Status.PUBLISHED and not self.is_published():
            if self.embargo_until and self.embargo_until > timezone.now():
                return "Embargoed"
            return "Scheduled"
        return self.get_status_display()

    @property
    def goes_live_at(self):
        """When the story becomes public: the later of its publication time and its embargo."""
        times = [t for t in (self.published_at, self.embargo_until) if t]
        return max(times) if times else None

    def publish_problems(self):
        """Reasons the story cannot be made public yet (empty when it can)."""
        problems = []
        if self.lead_photo_id and not self.lead_photo.alt_text.strip():
            problems.append("its lead photo needs alt text before the story is published")
        return problems

    @property
    def title_for_seo(self):
        return self.seo_title or self.headline

    @property
    def description_for_seo(self):
        return self.seo_description or self.dek

    def byline_groups(self):
        """Group the ordered bylines by their credit: [("Written by", [a, b]), ("Photos by", [c])]."""
        groups = {}
        for byline in self.bylines.all():
            groups.setdefault(byline.role or "Written by", []).append(byline.author)
        return list(groups.items())


class Byline(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="bylines")
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in the byline; lowest first.")
    role = models.CharField(
        max_length=100,
        blank=True,
        help_text='Leave empty for "Written by", or e.g. "Reporting by", "Photos by".',
    )

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="unique_byline_author"),
        ]
        # An author's stories from the index alone, as for tags.
        indexes = [models.Index(fields=["author", "article"], name="byline_author_story_idx")]

    def __str__(self):
        return f"{self.role or 'Written by'} {self.author}"

    def save(self, *args, **kwargs):
        clean_text_fields(self)
        super().save(*args, **kwargs)


class HourlyViews(models.Model):
    """Reader views of one story in one hour; Trending Now ranks stories by these."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="hourly_views")
    hour = models.IntegerField(help_text="Hours since 1970-01-01 UTC.")
    views = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name_plural = "hourly views"
        constraints = [
            models.UniqueConstraint(fields=["article", "hour"], name="unique_article_hour"),
        ]
        indexes = [models.Index(fields=["hour", "article", "views"], name="views_window_idx")]

    def __str__(self):
        return f"{self.article_id} @ {self.hour}: {self.views}"


class Correction(models.Model):
    """A dated correction or update note, shown to readers at the end of the story."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        UPDATE = "update", "Update"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.CORRECTION)
    note = models.TextField(help_text="What was wrong and what is right now, or what changed.")
    created_at = models.DateTimeField(
        default=timezone.now, validators=[validate_story_date], help_text="Shown to readers with the note."
    )

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} of {timezone.localtime(self.created_at):%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        clean_text_fields(self)
        super().save(*args, **kwargs)


class OldSlug(models.Model):
    """A slug a published story had before; its old URL answers 301 to the story's current one."""

    slug = models.SlugField(max_length=200, unique=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="old_slugs")

    def __str__(self):
        return self.slug


# Revisions (django-reversion): a story's version includes its bylines, tags and corrections, so restoring
# one brings them back together. `version` is the optimistic lock, never restored.
reversion.register(Byline)
reversion.register(TaggedArticle)
reversion.register(Correction)
# photos_in_body follow the body (a restore's raw save: body.links_after_raw_save); versions keep no copy
reversion.register(
    Article, follow=["bylines", "tagged_items", "corrections"], exclude=["version", "photos_in_body"]
)


class StoryNote(models.Model):
    """An internal note on a story for the newsroom: never on a page, feed, sitemap, search or export."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    text = models.TextField(help_text="Write @username to email a colleague about this note.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "note"

    def __str__(self):
        return f"Note on {self.article_id} by {self.author_id} at {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        clean_text_fields(self)
        super().save(*args, **kwargs)


# Fronts (articles/fronts.py arranges them) ---------------------------------------------------------------


def validate_link(value: str) -> None:
    """A banner's link: an address on this site ("/2024/...") or a full http(s) address."""
    if value.startswith("/") and not value.startswith("//"):
        return
    URLValidator(schemes=["http", "https"], message="Enter an address on this site (/...) or a full "
                 "http:// or https:// address.")(value)  # fmt: skip


def front_key(section_id: int | None) -> str:
    """The freshness key of a page's front: "front-home", or "front-sec<id>" for a section's page."""
    return f"front-sec{section_id}" if section_id else "front-home"


def keys_of_front(front_id: int) -> set[str]:
    """What a save of a front's zone or placement changes: its page's front (every front, if it is gone)."""
    found = Front.objects.filter(pk=front_id).values_list("section_id", flat=True)
    return {front_key(found[0])} if found else {"fronts"}


def moments_may_move(item) -> None:
    """A pin or banner with a start or end: freshness works the next moment something changes out again."""
    if item.starts_at or item.ends_at:
        from articles.freshness import changes

        changes.reschedule()


class Front(models.Model):
    """The home page or one section's page as editors arrange it: ordered zones holding placed stories."""

    section = models.OneToOneField(
        Section,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="front",
        help_text="Leave empty for the home page; choose a section for that section's page.",
    )
    version = models.PositiveIntegerField(default=0, editable=False, help_text="Raised by every save.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = [models.F("section").asc(nulls_first=True)]
        constraints = [
            # One home front: a NULL section would not collide in a plain unique index.
            models.UniqueConstraint(Coalesce("section", models.Value(0)), name="one_front_per_page"),
        ]

    def __str__(self):
        return f"{self.section} section" if self.section_id else "Home page"

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "version" in update_fields:
            self.version += 1
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return self.section.get_absolute_url() if self.section_id else path("articles:home")

    def freshness_keys(self) -> set[str]:
        return {front_key(self.section_id)}


class Zone(models.Model):
    """A part of a front: how many stories it shows and how it fills slots no editor filled."""

    class Kind(models.TextChoices):
        LEAD = "lead", "Lead"
        TOP = "top", "Top stories"
        SECTIONS = "sections", "Section blocks"
        RIVER = "river", "Latest river"

    class Rule(models.TextChoices):
        LATEST = "latest", "Latest"
        SECTION = "section", "Latest in a section"
        TAG = "tag", "Latest with a tag"
        MOST_READ = "most_read", "Most read"
        PLACED = "placed", "Placed stories only"

    front = models.ForeignKey(Front, on_delete=models.CASCADE, related_name="zones")
    kind = models.CharField(max_length=20, choices=Kind)
    title = models.CharField(max_length=100, blank=True, help_text="The heading shown above the zone.")
    position = models.PositiveSmallIntegerField(default=0, help_text="Order on the page; lowest first.")
    size = models.PositiveSmallIntegerField(
        default=4, help_text="How many stories it shows (for section blocks: in each section's block)."
    )
    rule = models.CharField(
        max_length=20,
        choices=Rule,
        default=Rule.LATEST,
        help_text="What fills the slots no story is placed in. Latest: of the front's section (the home "
        "page: of all). Section blocks always show each section's latest.",
    )
    rule_section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text='For "Latest in a section".',
    )  # fmt: skip
    rule_tag = models.ForeignKey(
        Tag,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text='For "Latest with a tag".',
    )
    allow_repeats = models.BooleanField(
        default=False, help_text="Show stories here even if they appear elsewhere on the page."
    )

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["front", "kind"], name="one_zone_of_a_kind")]

    def __str__(self):
        return self.title or self.get_kind_display()

    def save(self, *args, **kwargs):
        clean_text_fields(self)
        super().save(*args, **kwargs)

    def freshness_keys(self) -> set[str]:
        return keys_of_front(self.front_id)


class Placement(models.Model):
    """A story an editor put in a zone of a front, in a chosen order, optionally for a time only."""

    front = models.ForeignKey(Front, on_delete=models.CASCADE, related_name="placements")
    zone = models.CharField(max_length=20, choices=Zone.Kind, default=Zone.Kind.TOP)
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="placements", verbose_name="story",
        help_text="Shown only while it is published; until then its slot fills itself.",
    )  # fmt: skip
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in its zone; lowest first.")
    headline = models.CharField(
        max_length=300, blank=True, help_text="Replaces the story's headline on this front only."
    )
    dek = models.TextField("standfirst", blank=True, help_text="Replaces the standfirst on this front only.")
    photo = models.ForeignKey(
        Photo, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="Replaces the story's picture on this front only.",
    )  # fmt: skip
    starts_at = models.DateTimeField(
        "shown from", null=True, blank=True, validators=[validate_story_date],
        help_text="Empty: at once (the newsroom's time zone).",
    )  # fmt: skip
    ends_at = models.DateTimeField(
        "shown until", null=True, blank=True, validators=[validate_story_date],
        help_text="Empty: until removed. Then its slot fills itself.",
    )  # fmt: skip

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.get_zone_display()

    def save(self, *args, **kwargs):
        clean_text_fields(self)
        super().save(*args, **kwargs)

        moments_may_move(self)

    def freshness_keys(self) -> set[str]:
        return keys_of_front(self.front_id)

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "The end must come after the start."})


class Banner(models.Model):
    """A breaking-news line at the top of every public page, between its start and end."""

    class Level(models.TextChoices):
        BREAKING = "breaking", "Breaking"
        DEVELOPING = "developing", "Developing"
        UPDATE = "update", "Update"

    text = models.CharField(max_length=300, help_text="One line, e.g. “Polls close in the capital”.")
    link = models.CharField(
        max_length=500, blank=True, validators=[validate_link],
        help_text="Where the banner leads: a story's address (/2024/...) or a full https:// address.",
    )  # fmt: skip
    level = models.CharField(max_length=20, choices=Level, default=Level.BREAKING)
    starts_at = models.DateTimeField("shown from", default=timezone.now, validators=[validate_story_date])
    ends_at = models.DateTimeField(
        "shown until", null=True, blank=True, validators=[validate_story_date],
        help_text="Empty: until you end it. It goes by itself then.",
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at", "-pk"]

    def __str__(self):
        return self.text

    def save(self, *args, **kwargs):
        clean_text_fields(self)
        super().save(*args, **kwargs)
        moments_may_move(self)

    def freshness_keys(self) -> set[str]:
        return {"banner"}

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "The end must come after the start."})


# A front's version holds its zones and placements, so restoring one brings back the whole arrangement.
reversion.register(Zone)
reversion.register(Placement)
reversion.register(Front, follow=["zones", "placements"], exclude=["version"])
