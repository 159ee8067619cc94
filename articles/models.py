from django.conf import settings
from django.core.cache import cache
from django.core.validators import validate_image_file_extension
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from taggit.managers import TaggableManager
from taggit.models import TagBase, TaggedItemBase

from articles.html import sanitize


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


SECTION_NAV_CACHE_KEY = "nav:sections:v1"


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
        super().save(*args, **kwargs)
        cache.delete(SECTION_NAV_CACHE_KEY)

    def get_absolute_url(self):
        return reverse("articles:section", args=[self.slug])

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        cache.delete(SECTION_NAV_CACHE_KEY)
        return result


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
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.caption or self.alt_text or self.credit or f"Photo {self.pk}"


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

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:author", args=[self.slug])


class Tag(TagBase):
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def get_absolute_url(self):
        return reverse("articles:tag", args=[self.slug])


class TaggedArticle(TaggedItemBase):
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="tagged_articles")
    content_object = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="tagged_items")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="unique_article_tag"),
        ]


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """The only door to the public: published and due. Scheduled stories stay out until their time."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def with_cards(self):
        """What a story card shows: section, lead photo and ordered bylines, in a fixed number of queries."""
        return self.select_related("section", "lead_photo").prefetch_related(
            models.Prefetch("bylines", queryset=Byline.objects.select_related("author"))
        )

    def latest(self):
        return self.order_by("-published_at", "-pk")


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    headline = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True, help_text="The last part of the story's address.")
    dek = models.TextField("standfirst", blank=True, help_text="One or two sentences under the headline.")
    body = models.TextField(
        blank=True, help_text="Paragraphs, sub-headings, quotes, lists, links and photos."
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
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Empty until first published. A time in the future schedules the story.",
    )
    revised_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Shown to readers as “Updated” when the story changed after publication.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    source = models.CharField(max_length=100, blank=True, help_text="Where an imported story came from.")
    external_id = models.CharField(max_length=500, blank=True, help_text="The story's id at its source.")
    seo_title = models.CharField(
        "SEO title", max_length=200, blank=True, help_text="Defaults to the headline."
    )
    seo_description = models.CharField(
        "SEO description", max_length=300, blank=True, help_text="Defaults to the standfirst."
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_public_idx"),
            models.Index(fields=["section", "status", "-published_at"], name="article_section_idx"),
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
        self.body = sanitize(self.body)
        if not self.slug:
            self.slug = unique_slug(Article, self.headline, exclude_pk=self.pk)
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)
        self._changed()

    def get_absolute_url(self):
        if self.published_at is None:
            return reverse("articles:preview", args=[self.pk])
        day = timezone.localtime(self.published_at)
        return reverse("articles:article", args=[day.year, f"{day.month:02d}", f"{day.day:02d}", self.slug])

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self._changed()
        return result

    def _changed(self):
        from articles import trending  # trending ranks Articles, so it imports this module

        trending.invalidate()

    def is_published(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def status_label(self):
        if self.status == self.Status.PUBLISHED and not self.is_published():
            return "Scheduled"
        return self.get_status_display()

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

    def __str__(self):
        return f"{self.role or 'Written by'} {self.author}"


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
