import taggit.models
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from js_asset import Media as JSMedia
from reversion.admin import VersionAdmin
from reversion.models import Version

from articles import body as story_body
from articles import desk, embeds, notes, presence, revisions, roles
from articles.front_admin import FrontActions  # and the front editor and banner admin (registered there)
from articles.html import foreign_image_message, removal_messages, sanitize, sanitize_reporting
from articles.models import Article, Author, Byline, Correction, Section, Tag, unique_slug
from articles.photo_admin import PhotoAdmin, PhotoChooserWidget  # noqa: F401  (the library registers itself)
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
        return desk.in_state(queryset, self.value()) if self.value() else queryset


class MineFilter(admin.SimpleListFilter):
    title = "whose"
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("1", "Mine")]

    def queryset(self, request, queryset):
        return desk.mine(queryset, request.user) if self.value() == "1" else queryset


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


class BylineInline(StoryPermissionsInline, admin.StackedInline):
    """Bylines in the desk's side panel: dragged into order (desk-bylines.js keeps the hidden positions)."""

    model = Byline
    extra = 1
    autocomplete_fields = ["author"]
    fields = ["author", "role", "position"]
    template = "admin/articles/article/byline_inline.html"
    verbose_name = "byline"
    verbose_name_plural = "bylines"

    def get_extra(self, request, obj=None, **kwargs):
        return 0 if obj is not None and obj.bylines.exists() else 1  # "Add another byline" adds rows

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "position":
            kwargs["widget"] = forms.HiddenInput(attrs={"class": "byline-position"})
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "author":
            # a new author is made in place (desk-bylines.js), not in a popup window
            field.widget.can_add_related = field.widget.can_change_related = False
            field.widget.can_view_related = field.widget.can_delete_related = False
        if db_field.name == "role":
            field.widget.attrs.update(placeholder="Written by", **{"aria-label": "Credit"})
        return field


class CorrectionInline(StoryPermissionsInline, admin.StackedInline):
    model = Correction
    extra = 0
    fields = ["kind", "created_at", "note"]
    verbose_name_plural = "corrections and updates (readers see them)"


class TagsField(forms.ModelMultipleChoiceField):
    """Tags chosen from the list, or typed new ("new:Name", desk-tags.js): those are created on clean."""

    NEW = "new:"

    def __init__(self, *args, may_create=False, **kwargs):
        self.may_create = may_create
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = list(value or [])
        names = [v[len(self.NEW) :].strip() for v in value if str(v).startswith(self.NEW)]
        names = [name for name in names if name]
        if names and not self.may_create:
            raise forms.ValidationError("You may not create tags; choose existing ones.", code="no_new_tags")
        ids = [v for v in value if not str(v).startswith(self.NEW)]
        for name in names:
            tag = Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(
                name=name[:100], slug=unique_slug(Tag, name, max_length=100)
            )
            ids.append(str(tag.pk))
        self.created_ids = ids
        return super().clean(ids)


class ArticleForm(forms.ModelForm):
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    minor_edit = forms.BooleanField(
        required=False,
        label="Minor edit",
        help_text="A typo or formatting fix: readers are not told the story was updated.",
    )
    # Posted by the desk's buttons (templates/admin/articles/article/desk_actions.html), never rendered.
    desk_action = forms.ChoiceField(choices=[(a, a) for a in desk.ACTIONS], required=False)
    # The editing session (articles/presence.py) this form belongs to.
    desk_token = forms.CharField(required=False, max_length=64)
    # After a refused stale save: the fields whose saved value the editor chose to keep ("Take theirs").
    desk_theirs = forms.MultipleChoiceField(choices=[(n, n) for n in desk.THEIRS_FIELDS], required=False)
    desk_user = None  # set by ArticleAdmin.get_form

    class Meta:
        model = Article
        fields = "__all__"  # noqa: DJ007 -- the admin's fieldsets choose the fields

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lock_version"].initial = self.instance.version
        self.stale = None

    def clean_body(self):
        """Sanitize the body, fetch new embeds, check its photos, and say what was removed or changed.

        Whatever is reported, the form is shown again holding the body as it would be saved, so nothing else
        the editor wrote is lost and a second save keeps it.
        """
        pasted = self.cleaned_data.get("body") or ""
        pasted, turned = embeds.convert_pasted_frames(pasted)
        notes = [
            f"Turned the pasted {name} player into an embed: readers see it after a click." for name in turned
        ]
        notes += removal_messages(pasted)
        body, foreign_images = sanitize_reporting(pasted)
        notes += [foreign_image_message(address) for address in foreign_images]
        body, fetch_notes, errors = story_body.prepare(story_body.bare_urls_to_embeds(body))
        notes += fetch_notes
        if notes or errors:
            self.data = self.data.copy()  # the form shown again holds the body as it would be saved
            self.data[self.add_prefix("body")] = body
            raise forms.ValidationError(
                errors + notes + ["Check the story and save it again."], code="body_changed"
            )
        return body

    def clean_tags(self):
        tags = self.cleaned_data.get("tags")
        created = getattr(self.fields["tags"], "created_ids", None)
        if created is not None and "tags" in self.data:
            self.data = self.data.copy()  # the form shown again names the new tags by their id
            self.data.setlist(self.add_prefix("tags"), created)
        return tags

    def clean(self):
        cleaned = super().clean()
        if self.has_error("desk_theirs"):  # a hidden field: its error is shown at the top of the form
            unknown = sorted(set(self.data.getlist("desk_theirs")) - set(desk.THEIRS_FIELDS))
            raise forms.ValidationError(
                f"“Take theirs” names a field a story does not have: {', '.join(unknown)}.", code="theirs"
            )
        if self.instance.pk:
            # The editing session's lock; forms posted by other means have no token: the version guards them.
            token = cleaned.get("desk_token")
            if token and (refusal := presence.save_refusal(self.instance.pk, token)):
                raise forms.ValidationError(refusal, code="locked")
            # Locked until the transaction ends, so two saves of the same version cannot both pass.
            current = (
                Article.objects.select_for_update().filter(pk=self.instance.pk).values("version").first()
            )
            if current and cleaned.get("lock_version") != current["version"]:
                self.stale = desk.conflict(self.instance.pk, cleaned, self.data)
                # The form shown again carries the current version: saving it again after comparing wins.
                self.data = self.data.copy()
                self.data[self.add_prefix("lock_version")] = str(current["version"])
                raise forms.ValidationError(self.stale["message"], code="stale")
            if theirs := cleaned.get("desk_theirs"):
                desk.take_theirs(self.instance.pk, theirs, cleaned)
        if action := cleaned.get("desk_action"):
            self.apply_desk_action(action, cleaned)
        photo = cleaned.get("lead_photo")
        if cleaned.get("status") == Article.Status.PUBLISHED and photo and not photo.alt_text.strip():
            self.add_error(
                "lead_photo", "Add alt text to this photo (in Photos) before publishing the story."
            )
        return cleaned

    def apply_desk_action(self, action, cleaned):
        """Turn the button pressed (Save draft, Submit for review, Publish, Schedule...) into a status."""
        if action == "save" or "status" not in self.fields:
            return
        if action in desk.EDITOR_ACTIONS and not (self.desk_user and can_publish(self.desk_user)):
            raise forms.ValidationError(
                "Only editors can publish, schedule or unpublish a story: choose “Submit for review”.",
                code="not_editor",
            )
        now = timezone.now()
        if action in ("draft", "unpublish"):
            cleaned["status"] = Article.Status.DRAFT
        elif action == "review":
            cleaned["status"] = Article.Status.REVIEW
        elif action == "publish":
            cleaned["status"] = Article.Status.PUBLISHED
            if "published_at" in self.fields and (
                cleaned.get("published_at") is None or cleaned["published_at"] > now
            ):
                cleaned["published_at"] = now
        elif action == "schedule":
            times = [cleaned.get("published_at"), cleaned.get("embargo_until")]
            if not any(t and t > now for t in times):
                self.add_error(
                    "published_at", "Choose a publication time in the future to schedule the story."
                )
            else:
                cleaned["status"] = Article.Status.PUBLISHED


admin.site.unregister(taggit.models.Tag)  # ours (articles.Tag) is the newsroom's tag list


@admin.register(Article)
class ArticleAdmin(desk.SentenceCaseInlines, FrontActions, VersionAdmin):
    form = ArticleForm
    list_display = [
        "headline",
        "status_badge",
        "section_name",
        "byline_names",
        "changed",
        "when",
        "live_link",
    ]
    list_display_links = ["headline"]
    list_filter = [MineFilter, StatusFilter, "section", ("bylines__author", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["section"]
    list_per_page = 50
    ordering = ["-updated_at", "-pk"]  # newest change first
    date_hierarchy = "published_at"
    search_fields = ["headline", "dek", "body"]
    # No prepopulated slug: its scripts (urlify, XRegExp) cost the form more than a live preview is worth;
    # an empty slug is made from the headline on save (Article.save).
    autocomplete_fields = ["section"]  # the lead photo is chosen from the library (PhotoChooserWidget)
    readonly_fields = [
        "lead_photo_preview", "created_at", "updated_at", "revised_at", "unpublished_at",
        "source", "external_id",
    ]  # fmt: skip

    RECORD_FIELDS = ["created_at", "updated_at", "revised_at", "unpublished_at", "source", "external_id"]
    inlines = [BylineInline, CorrectionInline]
    actions = ["submit_for_review", "publish_now", "unpublish", "put_on_home_page"]
    change_form_template = "admin/articles/article/desk_form.html"
    change_list_template = "admin/articles/article/desk_list.html"
    object_history_template = "admin/articles/article/object_history.html"
    history_latest_first = True

    class Media:
        # admin-newsroom.css comes with every admin page (templates/admin/base_site.html); the body editor's
        # own stylesheet is linked here, hashed, rather than fetched by body-editor.js once it runs.
        css = {"all": ["css/body-editor.css"]}
        js = ["js/desk-form.js", "js/desk-bylines.js", "js/desk-tags.js", "js/desk-presence.js"]

    # What the story form does without: the list's actions and the slug's live preview (see above).
    FORM_SKIPS = (
        "admin/js/actions.",
        "admin/js/urlify.",
        "admin/js/prepopulate.",
        "admin/js/vendor/xregexp/",
    )

    @classmethod
    def form_media(cls, media):
        """The form's media, lighter: scripts it does not use dropped, the rest deferred.

        Deferred scripts run in the order they are listed once the page is parsed (before DOMContentLoaded,
        which the admin's scripts wait for), so the form is painted before any script runs.
        """
        scripts = []
        for script in media._js:
            path, attributes = getattr(script, "_path", script), getattr(script, "attributes", {})
            if str(path).startswith(cls.FORM_SKIPS):
                continue
            if attributes.get("type") != "module":  # modules are deferred already
                attributes = {**attributes, "defer": True}
            elif str(path).startswith("django_prose_editor/configurable."):
                # The body's elements, run before the editor is made rather than imported by it once it runs:
                # the editor is then ready before the page's other scripts start their work.
                scripts.append(forms.Script("js/body-editor.js", type="module"))
            scripts.append(forms.Script(path, **attributes))
        lighter = JSMedia.from_media(media)
        lighter._js_lists = [scripts]
        return lighter

    def get_fieldsets(self, request, obj=None):
        """The writing column first ("Story"), then the side panel; nothing empty on a new story."""
        publishing = []
        if can_publish(request.user) or (obj and (obj.published_at or obj.embargo_until)):
            publishing += ["published_at", "embargo_until"]
        if obj is not None and obj.published_at:
            publishing.append("minor_edit")
        details = ["section", "dateline_place", "tags", "lead_photo"]  # the library chooser shows the photo
        fieldsets = [
            # status is a hidden input there: the desk's buttons set it
            ("Story", {"fields": ["lock_version", "status", "headline", "dek", "body"]}),
            ("Section, tags & photo", {"fields": details}),
            (
                "SEO and address",
                {"fields": ["slug", "seo_title", "seo_description"], "classes": ["collapse"]},
            ),
        ]
        if publishing:
            fieldsets.insert(
                1,
                (
                    "Publishing time",
                    {
                        "fields": publishing,
                        "description": "A time in the future schedules the story; an embargo keeps it off "
                        "every public page, feed and list until then. In the newsroom's time zone.",
                    },
                ),
            )
        if obj is not None:
            record = [name for name in self.RECORD_FIELDS if getattr(obj, name)]
            if record:
                fieldsets.append(("Record", {"fields": record, "classes": ["collapse"]}))
        return fieldsets

    def get_inlines(self, request, obj):
        # corrections are for stories readers have seen
        return [BylineInline] if obj is None or not obj.published_at else [BylineInline, CorrectionInline]

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("status", Article.Status.DRAFT)
        return initial

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        # A new story starts with the writer's own byline (staff users are linked to their Author).
        if isinstance(inline, BylineInline) and obj.pk is None and request.method == "GET":
            author = Author.objects.filter(user=request.user).first()
            if author is not None:
                kwargs["initial"] = [{"author": author.pk, "position": 0}]
        return kwargs

    def get_urls(self):
        desk_urls = [
            path(
                "desk/author/", self.admin_site.admin_view(self.new_author_view), name="articles_desk_author"
            ),
            path(
                "<path:object_id>/desk/presence/",
                self.admin_site.admin_view(self.presence_view),
                name="articles_article_presence",
            ),
            path(
                "<path:object_id>/desk/notes/",
                self.admin_site.admin_view(self.notes_view),
                name="articles_article_notes",
            ),
        ]
        return desk_urls + super().get_urls()

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
        form = type(form.__name__, (form,), {"desk_user": request.user})
        if "status" in form.base_fields:
            # the desk's buttons set the status (Save draft, Submit for review, Publish, Schedule, Unpublish)
            form.base_fields["status"].widget = forms.HiddenInput()
            if not can_publish(request.user):
                form.base_fields["status"].choices = [
                    (value, label)
                    for value, label in Article.Status.choices
                    if value != Article.Status.PUBLISHED
                ]
        if "tags" in form.base_fields:
            form.base_fields["tags"].may_create = request.user.has_perm("articles.add_tag")
        if "headline" in form.base_fields:
            form.base_fields["headline"].widget.attrs.update(
                {"class": "desk-headline", "aria-describedby": "headline-count"}
            )
            if obj is None:  # focused as the page is parsed, before any script has run
                form.base_fields["headline"].widget.attrs["autofocus"] = True
        if "dek" in form.base_fields:
            form.base_fields["dek"].widget.attrs.update(rows=3)
        if "slug" in form.base_fields:
            form.base_fields["slug"].required = False
            form.base_fields["slug"].help_text += " Left empty, it is made from the headline."
        return form

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "tags":
            # taggit's field is not a ManyToManyField, so the admin does not offer autocomplete by itself;
            # the admin's select2 runs in tags mode (desk-tags.js): type a new tag and press Enter.
            widget = AutocompleteSelectMultiple(db_field, self.admin_site, attrs={"class": "desk-tags"})
            return TagsField(
                queryset=Tag.objects.all(),
                required=False,
                widget=widget,
                help_text="Type to find a tag; press Enter to create a new one.",
            )
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "section":  # sections are set up once, in Sections: no icons in the side panel
            field.widget.can_view_related = field.widget.can_add_related = False
            field.widget.can_change_related = field.widget.can_delete_related = False
        if db_field.name == "lead_photo":  # chosen from the library (or uploaded there), not in a popup
            field.widget = PhotoChooserWidget()
        return field

    def save_model(self, request, obj, form, change):
        if change and (token := form.cleaned_data.get("desk_token")):
            presence.leave(obj.pk, token)  # the page after a save opens a session of its own
        if not change:
            obj.created_by = request.user
        edited = set(Article.STORY_FIELDS) & set(form.changed_data)
        if change and obj.is_published() and edited and not form.cleaned_data.get("minor_edit"):
            obj.revised_at = timezone.now()
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        if "bylines" in (form.cleaned_data.get("desk_theirs") or ()):
            # after a stale save the editor took the saved bylines: the rows in their form are not saved
            for formset in formsets:
                if formset.model is Byline:
                    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            formsets = [fs for fs in formsets if fs.model is not Byline]
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
        context = self.desk_context(request, object_id)
        title, story = "New story", context["obj"]
        if story is not None:
            title = "Edit story" if self.has_change_permission(request, story) else "Story (read only)"
        extra_context = {"title": title, **(extra_context or {}), "desk": context}
        if request.method == "POST" and request.POST.get("desk_action") in ("draft", "save"):
            request.POST = request.POST.copy()
            request.POST["_continue"] = "1"  # saving a draft keeps the writer at the desk
        return super().changeform_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["media"] = self.form_media(context["media"])
        return super().render_change_form(request, context, add, change, form_url, obj)

    def desk_context(self, request, object_id):
        """What the desk shows beside the form: buttons, presence, notes, the preview link."""
        obj = self.get_object(request, unquote(object_id)) if object_id else None
        editor = can_publish(request.user)
        context = {"actions": desk.buttons(obj, editor), "editor": editor, "obj": obj}
        if obj is None:
            return context
        if request.method == "POST":
            state = presence.heartbeat(obj.pk, request.POST.get("desk_token", ""), request.user)
        elif self.has_change_permission(request, obj):
            state = presence.open_story(obj.pk, request.user)
        else:
            state = None  # a read-only view holds no lock
        context.update(
            presence=state,
            heartbeat_ms=presence.lock_seconds() * 1000 // 3,
            presence_url=reverse("admin:articles_article_presence", args=[obj.pk]),
            notes=notes.for_story(obj),
            notes_url=reverse("admin:articles_article_notes", args=[obj.pk]),
            view_url=obj.get_absolute_url()
            if obj.is_published()
            else reverse("articles:preview", args=[obj.pk]),
            is_live=obj.is_published(),
            rendered_body=sanitize(obj.body),
        )
        return context

    def get_view_on_site_url(self, obj=None):
        if obj is None or obj.pk is None:
            return None
        return obj.get_absolute_url() if obj.is_published() else reverse("articles:preview", args=[obj.pk])

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            "title": "Stories",
            **(extra_context or {}),
            "quick_filters": desk.quick_filters(request),
        }
        return super().changelist_view(request, extra_context)

    # The desk's small endpoints (JSON, POST only, CSRF-checked like any admin form).
    def new_author_view(self, request):
        """Create an author from the byline panel without leaving the story."""
        if request.method != "POST":
            return JsonResponse({"error": "POST a name."}, status=405)
        if not request.user.has_perm("articles.add_author"):
            raise PermissionDenied
        name = " ".join(request.POST.get("name", "").split())[:150]
        if not name:
            return JsonResponse({"error": "Type the new author's name."}, status=400)
        author = Author.objects.filter(name__iexact=name).first()
        if author is None:
            author = Author.objects.create(name=name, slug=unique_slug(Author, name, max_length=150))
        return JsonResponse({"id": author.pk, "text": author.name})

    def presence_view(self, request, object_id):
        """Heartbeat, take over or leave a story's editing session; answers who is editing."""
        obj = self.get_object(request, unquote(object_id))
        if request.method != "POST":
            return JsonResponse({"error": "POST only."}, status=405)
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise Http404("No such story.")
        token, action = request.POST.get("token", ""), request.POST.get("action", "heartbeat")
        if not token:
            return JsonResponse({"error": "No session token."}, status=400)
        if action == "leave":
            presence.leave(obj.pk, token)
            return JsonResponse({"left": True})
        if action == "take":
            if not self.has_change_permission(request, obj):
                raise PermissionDenied
            return JsonResponse(presence.take_over(obj.pk, token, request.user))
        return JsonResponse(presence.heartbeat(obj.pk, token, request.user))

    def notes_view(self, request, object_id):
        """Add an internal note to a story (anyone who may read the story)."""
        obj = self.get_object(request, unquote(object_id))
        if request.method != "POST":
            return JsonResponse({"error": "POST only."}, status=405)
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise Http404("No such story.")
        text = request.POST.get("text", "").strip()
        if not text:
            return JsonResponse({"error": "Write the note first."}, status=400)
        note, mentioned = notes.add(
            obj,
            request.user,
            text,
            story_url=request.build_absolute_uri(reverse("admin:articles_article_change", args=[obj.pk])),
        )
        html = render_to_string("admin/articles/article/desk_note.html", {"note": note})
        return JsonResponse({"html": html, "mentioned": [notes.name_of(u) for u in mentioned]})

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
        names = [b.author.name for b in obj.bylines.all()]
        return f"{names[0]} +{len(names) - 1}" if len(names) > 2 else ", ".join(names)

    @admin.display(description="section", ordering="section__name")
    def section_name(self, obj):
        return obj.section.name

    @admin.display(description="status", ordering="status")
    def status_badge(self, obj):
        label = obj.status_label
        return format_html('<span class="badge badge-{}">{}</span>', label.lower().replace(" ", "-"), label)

    @admin.display(description="changed", ordering="updated_at")
    def changed(self, obj):
        return desk.list_moment(obj.updated_at)

    @admin.display(description="live", ordering="published_at")
    def when(self, obj):
        moment = obj.goes_live_at
        return "—" if moment is None else desk.list_moment(moment)

    @admin.display(description="page")
    def live_link(self, obj):
        if obj.is_published():
            return format_html(
                '<a href="{}" target="_blank" rel="noopener">View on site</a>', obj.get_absolute_url()
            )
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
