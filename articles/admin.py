from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelectMultiple, RelatedFieldWidgetWrapper
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from articles.models import Article, Author, Byline, Photo, Section, Tag


def thumbnail(photo, size=120):
    if not photo or not photo.image:
        return "—"
    return format_html('<img src="{}" alt="{}" height="{}">', photo.image.url, photo.alt_text, size)


class StatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("draft", "Draft"), ("scheduled", "Scheduled"), ("published", "Published")]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "draft":
            return queryset.filter(status=Article.Status.DRAFT)
        if self.value() == "scheduled":
            return queryset.filter(status=Article.Status.PUBLISHED, published_at__gt=now)
        if self.value() == "published":
            return queryset.published()
        return queryset


class BylineInline(admin.TabularInline):
    model = Byline
    extra = 1
    autocomplete_fields = ["author"]
    fields = ["position", "author", "role"]
    verbose_name = "byline"
    verbose_name_plural = "bylines (in order; lowest position first)"


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["headline", "section", "byline_names", "status_badge", "published_at", "live_link"]
    list_filter = [StatusFilter, "section", ("bylines__author", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["section"]
    date_hierarchy = "published_at"
    search_fields = ["headline", "dek", "body"]
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["section", "lead_photo"]
    readonly_fields = [
        "lead_photo_preview",
        "created_at",
        "updated_at",
        "revised_at",
        "source",
        "external_id",
    ]
    inlines = [BylineInline]
    actions = ["publish_now", "unpublish"]
    fieldsets = [
        ("Story", {"fields": ["headline", "slug", "dek", "body", "lead_photo", "lead_photo_preview"]}),
        ("Byline & section", {"fields": ["section", "dateline_place", "tags"]}),
        (
            "Publishing",
            {
                "fields": [
                    "status",
                    "published_at",
                    "revised_at",
                    "created_at",
                    "updated_at",
                    "source",
                    "external_id",
                ]
            },
        ),
        ("SEO", {"fields": ["seo_title", "seo_description"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("bylines__author")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "tags":
            # taggit's field is not a ManyToManyField, so the admin does not offer autocomplete by itself.
            widget = AutocompleteSelectMultiple(db_field, self.admin_site)
            return forms.ModelMultipleChoiceField(
                queryset=Tag.objects.all(),
                required=False,
                widget=RelatedFieldWidgetWrapper(
                    widget, db_field.remote_field, self.admin_site, can_add_related=True
                ),
                help_text="Type to find a tag; + adds a new one.",
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        story_fields = {"headline", "dek", "body"}
        if change and obj.is_published() and story_fields & set(form.changed_data):
            obj.revised_at = timezone.now()
        super().save_model(request, obj, form, change)

    @admin.display(description="byline")
    def byline_names(self, obj):
        return ", ".join(b.author.name for b in obj.bylines.all())

    @admin.display(description="status", ordering="status")
    def status_badge(self, obj):
        return obj.status_label

    @admin.display(description="page")
    def live_link(self, obj):
        if obj.is_published():
            return format_html('<a href="{}" target="_blank" rel="noopener">View</a>', obj.get_absolute_url())
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">Preview</a>',
            reverse("articles:preview", args=[obj.pk]),
        )

    @admin.display(description="lead photo")
    def lead_photo_preview(self, obj):
        return thumbnail(obj.lead_photo, 240)

    @admin.action(description="Publish now")
    def publish_now(self, request, queryset):
        now = timezone.now()
        count = 0
        for article in queryset.exclude(Q(status=Article.Status.PUBLISHED) & Q(published_at__lte=now)):
            article.status = Article.Status.PUBLISHED
            if article.published_at is None or article.published_at > now:
                article.published_at = now
            article.save()
            count += 1
        self.message_user(
            request, f"Published {count} {'story' if count == 1 else 'stories'}.", messages.SUCCESS
        )

    @admin.action(description="Unpublish")
    def unpublish(self, request, queryset):
        count = 0
        for article in queryset.filter(status=Article.Status.PUBLISHED):
            article.status = Article.Status.DRAFT
            article.save()
            count += 1
        self.message_user(
            request, f"Unpublished {count} {'story' if count == 1 else 'stories'}.", messages.SUCCESS
        )


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "menu_order", "article_count"]
    ordering = ["menu_order", "name"]  # Meta.ordering is dropped by the GROUP BY of the counts
    list_editable = ["menu_order"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    @admin.display(description="stories", ordering="article_count")
    def article_count(self, obj):
        return obj.article_count


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "job_title", "user", "article_count"]
    ordering = ["name"]
    list_select_related = ["user"]
    search_fields = ["name", "job_title"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["photo", "user"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("bylines"))

    @admin.display(description="stories", ordering="article_count")
    def article_count(self, obj):
        return obj.article_count


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "article_count"]
    ordering = ["name"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("tagged_articles"))

    @admin.display(description="stories", ordering="article_count")
    def article_count(self, obj):
        return obj.article_count


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    list_display = ["thumb", "caption", "credit", "width", "height", "article_count"]
    ordering = ["-created_at"]
    search_fields = ["caption", "credit", "alt_text"]
    readonly_fields = ["thumb", "width", "height"]
    fields = ["image", "thumb", "caption", "credit", "alt_text", "width", "height"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("lead_articles"))

    @admin.display(description="photo")
    def thumb(self, obj):
        return thumbnail(obj, 80)

    @admin.display(description="stories", ordering="article_count")
    def article_count(self, obj):
        return obj.article_count
