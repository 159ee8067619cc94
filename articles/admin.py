import taggit.models
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelectMultiple, RelatedFieldWidgetWrapper
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from reversion.admin import VersionAdmin
from reversion.models import Version

from articles import photos, revisions, roles
from articles.front_admin import FrontActions  # and the front editor and banner admin (registered there)
from articles.html import foreign_image_message, sanitize_reporting
from articles.models import Article, Author, Byline, Correction, Photo, Section, Tag
from articles.roles import can_publish


def thumbnail(photo, size=120):
    if not photo or not photo.image:
        return "—"
    return format_html('<img src="{}" alt="{}" height="{}">', photo.image.url, photo.alt_text, size)


class StatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("draft", "Draft"),
            ("review", "In review"),
            ("scheduled", "Scheduled or embargoed"),
            ("published", "Published"),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() in ("draft", "review"):
            return queryset.filter(status=self.value())
        if self.value() == "scheduled":
            return queryset.filter(status=Article.Status.PUBLISHED).filter(
                Q(published_at__gt=now) | Q(embargo_until__gt=now)
            )
        if self.value() == "published":
            return queryset.published()
        return queryset


class StoryPermissionsInline:
    """Inline rows may be changed exactly when the story itself may be."""

    def _story_editable(self, request, obj):
        return self.admin_site._registry[Article].has_change_permission(request, obj)

    def has_add_permission(self, request, obj):
        return super().has_add_permission(request, obj) and self._story_editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._story_editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._story_editable(request, obj)


class BylineInline(StoryPermissionsInline, admin.TabularInline):
    model = Byline
    extra = 1
    autocomplete_fields = ["author"]
    fields = ["position", "author", "role"]
    verbose_name = "byline"
    verbose_name_plural = "bylines (in order; lowest position first)"


class CorrectionInline(StoryPermissionsInline, admin.StackedInline):
    model = Correction
    extra = 0
    fields = ["kind", "created_at", "note"]
    verbose_name_plural = "corrections and updates (shown to readers at the end of the story)"


class ArticleForm(forms.ModelForm):
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    minor_edit = forms.BooleanField(
        required=False,
        label="Minor edit",
        help_text="A typo or formatting fix: readers are not told the story was updated.",
    )

    class Meta:
        model = Article
        fields = "__all__"  # noqa: DJ007 -- the admin's fieldsets choose the fields

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lock_version"].initial = self.instance.version

    def clean_body(self):
        """Remove images from other sites, and show the editor the body without them before it is saved."""
        body, foreign_images = sanitize_reporting(self.cleaned_data.get("body") or "")
        if foreign_images:
            self.data = self.data.copy()  # the form shown again holds the body as it would be saved
            self.data[self.add_prefix("body")] = body
            raise forms.ValidationError(
                [foreign_image_message(address) for address in foreign_images]
                + ["Check the story and save it again."],
                code="foreign_image",
            )
        return body

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            # Locked until the transaction ends, so two saves of the same version cannot both pass.
            current = (
                Article.objects.select_for_update().filter(pk=self.instance.pk).values("version").first()
            )
            if current and cleaned.get("lock_version") != current["version"]:
                raise forms.ValidationError(
                    "Someone else saved this story after you opened it, so your changes were not saved. "
                    "Your text is still in the form below: copy what you need, open the story again "
                    "and re-apply it.",
                    code="stale",
                )
        photo = cleaned.get("lead_photo")
        if cleaned.get("status") == Article.Status.PUBLISHED and photo and not photo.alt_text.strip():
            self.add_error(
                "lead_photo", "Add alt text to this photo (in Photos) before publishing the story."
            )
        return cleaned


admin.site.unregister(taggit.models.Tag)  # ours (articles.Tag) is the newsroom's tag list


@admin.register(Article)
class ArticleAdmin(FrontActions, VersionAdmin):
    form = ArticleForm
    list_display = ["headline", "section", "byline_names", "status_badge", "when", "live_link"]
    list_filter = [StatusFilter, "section", ("bylines__author", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["section"]
    date_hierarchy = "published_at"
    search_fields = ["headline", "dek", "body"]
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["section", "lead_photo"]
    readonly_fields = [
        "lead_photo_preview", "created_at", "updated_at", "revised_at", "unpublished_at",
        "source", "external_id",
    ]  # fmt: skip
    inlines = [BylineInline, CorrectionInline]
    actions = ["submit_for_review", "publish_now", "unpublish", "put_on_home_page"]
    object_history_template = "admin/articles/article/object_history.html"
    history_latest_first = True

    class Media:
        css = {"all": ["admin-newsroom.css"]}

    fieldsets = [
        ("Story", {"fields": [
            "lock_version", "headline", "slug", "dek", "body", "lead_photo", "lead_photo_preview",
        ]}),
        ("Byline & section", {"fields": ["section", "dateline_place", "tags"]}),
        (
            "Publishing",
            {
                "fields": [
                    "status", "published_at", "embargo_until", "minor_edit", "revised_at", "unpublished_at",
                    "created_at", "updated_at", "source", "external_id",
                ],
                "description": "A publication time in the future schedules the story; an embargo keeps it "
                "off every public page, feed and list until then. Times are in the newsroom's zone.",
            },
        ),
        ("SEO", {"fields": ["seo_title", "seo_description"], "classes": ["collapse"]}),
    ]  # fmt: skip

    def get_queryset(self, request):
        # What the list, search, actions and every page of one story (change, history, delete, versions) see.
        return roles.readable(super().get_queryset(request), request.user).prefetch_related("bylines__author")

    # Writers write and submit; only editors publish, schedule, embargo, unpublish or touch others' stories.
    def has_publish_permission(self, request):
        return can_publish(request.user)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or can_publish(request.user) or self.is_own_draft(request, obj)

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or can_publish(request.user) or self.is_own_draft(request, obj)

    @staticmethod
    def is_own_draft(request, obj):
        return obj.created_by_id == request.user.pk and obj.status == Article.Status.DRAFT

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not can_publish(request.user):
            fields += ["published_at", "embargo_until"]
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if "status" in form.base_fields and not can_publish(request.user):
            form.base_fields["status"].choices = [
                (value, label) for value, label in Article.Status.choices if value != Article.Status.PUBLISHED
            ]
            form.base_fields["status"].help_text = "Choose “In review” to hand the story to an editor."
        return form

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
        if not change:
            obj.created_by = request.user
        edited = set(Article.STORY_FIELDS) & set(form.changed_data)
        if change and obj.is_published() and edited and not form.cleaned_data.get("minor_edit"):
            obj.revised_at = timezone.now()
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        notes = [c for fs in formsets if fs.model is Correction for c in fs.new_objects]
        if notes:
            # a correction or update moves the story's visible "Updated" time
            form.instance.revised_at = max(note.created_at for note in notes)
            form.instance.save(update_fields=["revised_at", "updated_at"])

    # Restoring a version. django-reversion writes the whole chosen revision back with raw saves and only then
    # runs the change form, whose checks judged the restored copy: a writer's old draft of a story now in
    # review or published passed as "own draft". So every story the revision holds is judged as it is now,
    # before anything is written. And a restore brings back words, bylines, tags and corrections, never what
    # decides whether, when and where a story is public, nor the stale-save counter: those are put back
    # before the form reads the story, and the form changes them under the usual rules.
    KEPT_ON_RESTORE = (
        "status", "published_at", "embargo_until", "unpublished_at", "revised_at", "slug", "version",
    )  # fmt: skip

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # reversion looks the version up by object id alone: a byline's or tag's version may share the id
        versions = Version.objects.get_for_object_reference(Article, unquote(object_id))
        version = get_object_or_404(versions, pk=version_id)
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404("No such story.")  # deleted, or embargoed from this user
        self.check_restore(request, version)
        return super().revision_view(request, object_id, version_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        version = get_object_or_404(Version.objects.get_for_model(Article), pk=version_id)
        if Article.objects.filter(pk=version.object_id).exists():
            raise Http404("This story was not deleted: restore its versions from its history.")
        self.check_restore(request, version)
        return super().recover_view(request, version_id, extra_context)

    def check_restore(self, request, version):
        """Refuse to restore (for a GET: show) a revision holding a story the user may not change (see)."""
        allowed = (
            self.has_change_permission if request.method == "POST" else self.has_view_or_change_permission
        )
        kept = {}
        for story_version in version.revision.version_set.filter(content_type=version.content_type):
            story = Article.objects.filter(pk=story_version.object_id).first()
            if story is None:  # deleted since: judged as the restore would bring it back
                saved = story_version.field_dict
                story = Article(
                    **{
                        f.attname: saved[f.attname]
                        for f in Article._meta.concrete_fields
                        if f.attname in saved
                    }
                )
            else:
                kept[story.pk] = {name: getattr(story, name) for name in self.KEPT_ON_RESTORE}
            if not (allowed(request, story) and roles.may_read(request.user, story)):
                raise PermissionDenied
        request.kept_on_restore = kept

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # In a restore, reversion calls this right after writing the old versions: put back what a restore
        # keeps (see check_restore). Looking at a version rolls this back with the rest; saving it moves the
        # counter on from the story's current one, so a form opened before the restore is refused as stale.
        for pk, values in request.__dict__.pop("kept_on_restore", {}).items():
            Article.objects.filter(pk=pk).update(**values)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        """The story's versions, newest first: who, when, and what changed in headline, dek and body."""
        obj = self.get_object(request, object_id)
        if obj is None or not self.has_view_or_change_permission(request, obj):
            return super().history_view(request, object_id, extra_context)
        versions = list(Version.objects.get_for_object(obj).select_related("revision__user"))
        rows = []
        for i, version in enumerate(versions):
            previous = versions[i + 1].field_dict if i + 1 < len(versions) else {}
            rows.append(
                {
                    "revision": version.revision,
                    "url": reverse("admin:articles_article_revision", args=[obj.pk, version.pk]),
                    "changes": revisions.changes(previous, version.field_dict),
                }
            )
        context = {
            **self.admin_site.each_context(request),
            "title": f"History: {obj}",
            "subtitle": None,
            "action_list": rows,
            "module_name": str(self.model._meta.verbose_name_plural).capitalize(),
            "object": obj,
            "app_label": self.model._meta.app_label,
            "opts": self.model._meta,
            "preserved_filters": self.get_preserved_filters(request),
            **(extra_context or {}),
        }
        return TemplateResponse(request, self.object_history_template, context)

    @admin.display(description="byline")
    def byline_names(self, obj):
        return ", ".join(b.author.name for b in obj.bylines.all())

    @admin.display(description="status", ordering="status")
    def status_badge(self, obj):
        return obj.status_label

    @admin.display(description="goes live / went live", ordering="published_at")
    def when(self, obj):
        moment = obj.goes_live_at
        if moment is None:
            return "—"
        return timezone.localtime(moment).strftime("%a %d %b %Y, %H:%M %Z")

    @admin.display(description="page")
    def live_link(self, obj):
        if obj.is_published():
            return format_html('<a href="{}" target="_blank" rel="noopener">View</a>', obj.get_absolute_url())
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">Preview</a>',
            reverse("articles:preview", args=[obj.pk]),
        )

    @admin.display(description="lead photo preview")
    def lead_photo_preview(self, obj):
        return thumbnail(obj.lead_photo, 240)

    @admin.action(description="Submit for review")
    def submit_for_review(self, request, queryset):
        count = 0
        for article in queryset.filter(status=Article.Status.DRAFT):
            if self.has_change_permission(request, article):
                article.status = Article.Status.REVIEW
                article.save()
                count += 1
        self.message_user(request, f"Submitted {count} {'story' if count == 1 else 'stories'} for review.")

    @admin.action(description="Publish now", permissions=["publish"])
    def publish_now(self, request, queryset):
        now = timezone.now()
        count = 0
        for article in queryset.exclude(Q(status=Article.Status.PUBLISHED) & Q(published_at__lte=now)):
            if problems := article.publish_problems():
                self.message_user(
                    request, f"“{article}” was not published: {'; '.join(problems)}.", messages.ERROR
                )
                continue
            article.status = Article.Status.PUBLISHED
            if article.published_at is None or article.published_at > now:
                article.published_at = now
            article.save()
            count += 1
        self.message_user(
            request, f"Published {count} {'story' if count == 1 else 'stories'}.", messages.SUCCESS
        )

    @admin.action(description="Unpublish", permissions=["publish"])
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

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        # Who an author is on the site is an editor's call: writers may add authors, not claim accounts.
        if not request.user.has_perm("articles.change_author"):
            fields.append("user")
        return fields

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

    # A photo has no owner: a writer may change one that readers cannot see and no colleague's story uses,
    # that is one used by nothing yet or only by the writer's own drafts (what they may change themselves).
    # Anything else changes what is live, or a colleague's work, at once: editors only.
    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or can_publish(request.user) or self.in_own_drafts_only(request, obj)

    @staticmethod
    def in_own_drafts_only(request, photo):
        others = photo.lead_articles.exclude(created_by=request.user, status=Article.Status.DRAFT)
        return not others.exists() and not Author.objects.filter(photo=photo).exists()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "image":
            kwargs["form_class"] = photos.PhotoFileField
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description="photo")
    def thumb(self, obj):
        return thumbnail(obj, 80)

    @admin.display(description="stories", ordering="article_count")
    def article_count(self, obj):
        return obj.article_count
