"""The front editor and the banner in the admin, and the story list's "Put on the home page" action.

Arranging fronts takes `articles.change_front` (Editors; articles/roles.py): without it the admin answers 403
and changes nothing. A front's form carries its version, as a story's does, and a save of an older one is
refused. "Preview" shows the front exactly as readers will see it, from what the form holds, without saving.
"""

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Case, Count, F, IntegerField, Value, When
from django.forms.formsets import all_valid
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html
from reversion.admin import VersionAdmin
from reversion.models import Version

from articles import fronts
from articles.desk import SentenceCaseInlines
from articles.models import Banner, Front, Placement, Zone

ARRANGE = "articles.change_front"
# A pin's times in one line, with the browser's own date and time picker (the admin's split widget took
# four lines each).
TIME_INPUT = forms.DateTimeInput(format="%Y-%m-%dT%H:%M:%S", attrs={"type": "datetime-local", "step": 1})


class FrontForm(forms.ModelForm):
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Front
        fields = ["section"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lock_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            # Locked until the transaction ends, so two saves of the same version cannot both pass.
            current = Front.objects.select_for_update().filter(pk=self.instance.pk).values("version").first()
            if current and cleaned.get("lock_version") != current["version"]:
                raise forms.ValidationError(
                    "Someone else saved this front after you opened it, so your changes were not saved. "
                    "What you arranged is still in the form below: open the front again and re-apply it.",
                    code="stale",
                )
        return cleaned


class ZoneInline(admin.StackedInline):
    model = Zone
    extra = 0
    fields = [("position", "kind", "title", "size"), ("rule", "rule_section", "rule_tag", "allow_repeats")]
    autocomplete_fields = ["rule_section", "rule_tag"]
    classes = ["collapse"]
    verbose_name_plural = "zones of the page (from the top down; lowest position first) and how they fill"


# The inline lists placements zone by zone, in the order the zones have on a default page.
ZONE_ORDER = Case(
    *(When(zone=kind, then=Value(i)) for i, kind in enumerate(Zone.Kind.values)), output_field=IntegerField()
)


class PlacementFormSet(forms.BaseInlineFormSet):
    zone_formset = None  # set by FrontAdmin: the zones as the same form holds them

    def clean(self):
        """Refuse a story placed in a zone the page does not have (it would never show)."""
        super().clean()
        if self.zone_formset is None or not self.zone_formset.is_valid():
            return
        kinds = {
            form.cleaned_data["kind"]
            for form in self.zone_formset.forms
            if form.cleaned_data.get("kind") and not form.cleaned_data.get("DELETE")
        } or {zone.kind for zone in fronts.default_zones(self.instance)}
        for form in self.forms:
            zone = form.cleaned_data.get("zone")
            if zone and form.cleaned_data.get("article") and not form.cleaned_data.get("DELETE"):
                if zone not in kinds:
                    label = Zone.Kind(zone).label
                    form.add_error("zone", f"This page has no “{label}” zone: add one under Zones, or choose "
                                   "another.")  # fmt: skip


class PlacementInline(admin.StackedInline):
    model = Placement
    formset = PlacementFormSet
    extra = 1
    # Where the story goes, always shown; what changes it on this front only, folded away until wanted (the
    # front editor opens it when one of them is filled in, and Django when one has an error).
    fieldsets = [
        (None, {"fields": [("position", "zone", "article")]}),
        (
            "On this front only: headline, photo, standfirst, when it shows",
            {
                "classes": ["collapse", "front-overrides"],
                "fields": [("headline", "photo"), "dek", ("starts_at", "ends_at")],
            },
        ),
    ]
    autocomplete_fields = ["article", "photo"]
    classes = ["front-placements"]
    verbose_name = "placed story"
    verbose_name_plural = "placed stories (drag one by its heading, or use its arrows, to change the order)"

    def get_queryset(self, request):
        return super().get_queryset(request).order_by(ZONE_ORDER, "position", "pk")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "dek":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 2})
        if db_field.name in ("starts_at", "ends_at"):
            return forms.DateTimeField(
                label=db_field.verbose_name.capitalize(), required=False, help_text=db_field.help_text,
                widget=TIME_INPUT,
            )  # fmt: skip
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(Front)
class FrontAdmin(SentenceCaseInlines, VersionAdmin):
    form = FrontForm
    list_display = ["__str__", "placed", "live_link", "updated_at"]
    list_select_related = ["section"]
    autocomplete_fields = ["section"]
    fields = ["lock_version", "section"]
    inlines = [PlacementInline, ZoneInline]
    change_form_template = "admin/articles/front/change_form.html"
    history_latest_first = True

    class Media:
        css = {"all": ["admin-newsroom.css"]}
        js = ["js/front-editor.js"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(placement_count=Count("placements"))

    def _create_formsets(self, request, obj, change):
        formsets, inlines = super()._create_formsets(request, obj, change)
        zones = next((f for f in formsets if f.model is Zone), None)
        for formset in formsets:
            if formset.model is Placement:
                formset.zone_formset = zones
        return formsets, inlines

    @admin.display(description="placed stories", ordering="placement_count")
    def placed(self, obj):
        return obj.placement_count

    @admin.display(description="page")
    def live_link(self, obj):
        return format_html('<a href="{}" target="_blank" rel="noopener">View</a>', obj.get_absolute_url())

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not form.instance.zones.exists():  # a new front starts with the page's default zones
            fronts.ensure(form.instance.section)

    # Preview: the front as the form holds it, rendered by the public view, nothing saved.
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        kept = request.__dict__.pop("front_version_kept", None)
        if kept is not None:  # a restore (revision_view): the stale-save counter is never restored
            Front.objects.filter(pk=unquote(object_id)).update(version=kept)
        if request.method == "POST" and "_preview" in request.POST:
            with transaction.atomic():
                response = self.preview(request, object_id)
            if response is not None:
                return response
            request.POST = request.POST.copy()
            del request.POST["_preview"]
            # Not valid: the form shows why, and saves nothing (it is not valid for saving either).
        return super().changeform_view(request, object_id, form_url, extra_context)

    def preview(self, request, object_id):
        obj = self.get_object(request, unquote(object_id)) if object_id else None
        if object_id and obj is None:
            raise Http404("No such front.")
        allowed = self.has_change_permission(request, obj) if obj else self.has_add_permission(request)
        if not allowed:
            raise PermissionDenied
        form = self.get_form(request, obj, change=obj is not None)(request.POST, request.FILES, instance=obj)
        valid = form.is_valid()
        front = self.save_form(request, form, change=obj is not None) if valid else form.instance
        formsets, _ = self._create_formsets(request, front, change=obj is not None)
        if not (all_valid(formsets) and valid):
            return None
        kept = {}
        for formset in formsets:
            kept[formset.model] = [
                f.instance
                for f in formset.forms
                if f not in formset.deleted_forms and (f.instance.pk or f.has_changed())
            ]
        zones = kept[Zone] or fronts.default_zones(front)
        return render_front(request, fronts.Plan(front, zones, kept[Placement]))

    # Restoring a version brings back the zones and placements; the version counter stays as it is now.
    # reversion looks a version up by object id alone, and writes back its whole revision: a story's version
    # with the same number would be restored through the front's history, around the story's own checks.
    def revision_view(self, request, object_id, version_id, extra_context=None):
        front = self.get_object(request, unquote(object_id))
        if front is None:
            raise Http404("No such front.")
        get_object_or_404(Version.objects.get_for_object(front), pk=version_id)
        request.front_version_kept = front.version
        return super().revision_view(request, object_id, version_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        version = get_object_or_404(Version.objects.get_for_model(Front), pk=version_id)
        if Front.objects.filter(pk=version.object_id).exists():
            raise Http404("This front was not deleted: restore its versions from its history.")
        return super().recover_view(request, version_id, extra_context)


def render_front(request, plan):
    """The page of `plan`'s front as the public view renders it (never cached: a staff request)."""
    from articles import views

    if plan.front.section_id:
        view, kwargs = views.SectionView(), {"slug": plan.front.section.slug}
    else:
        view, kwargs = views.HomeView(), {}
    view.setup(request, **kwargs)
    view.plan = plan
    response = view.get(request, **kwargs)
    response.render()
    add_never_cache_headers(response)
    return response


@admin.register(Banner)
class BannerAdmin(admin.ModelAdmin):
    list_display = ["text", "level", "starts_at", "ends_at", "showing"]
    list_filter = ["level"]
    search_fields = ["text"]
    fields = ["text", "link", "level", "starts_at", "ends_at"]

    @admin.display(description="showing now", boolean=True)
    def showing(self, obj):
        return fronts.is_live(obj, timezone.now())


class FrontActions:
    """ArticleAdmin's share of fronts: the "Put on the home page" action, for those who arrange fronts."""

    def has_arrange_fronts_permission(self, request):
        return request.user.has_perm(ARRANGE)

    @admin.action(description="Put on the home page", permissions=["arrange_fronts"])
    def put_on_home_page(self, request, queryset):
        """Place the chosen stories at the top of the home page's top stories, newest first."""
        with transaction.atomic(), reversion.create_revision():
            front = fronts.ensure()
            placed = set(front.placements.filter(zone=Zone.Kind.TOP).values_list("article_id", flat=True))
            new = [story for story in queryset.order_by("-published_at", "-pk") if story.pk not in placed]
            front.placements.update(position=F("position") + len(new))
            for position, story in enumerate(new):
                Placement.objects.create(front=front, zone=Zone.Kind.TOP, article=story, position=position)
            front.save()
            reversion.set_user(request.user)
            reversion.set_comment(f"Put {len(new)} on the home page from the story list.")
        waiting = sum(not story.is_published() for story in new)
        text = f"Put {len(new)} {'story' if len(new) == 1 else 'stories'} at the top of the home page"
        if waiting:
            text += f" ({waiting} not published yet: shown once published)"
        url = reverse("admin:articles_front_change", args=[front.pk])
        self.message_user(request, format_html('{}. <a href="{}">Arrange the home page</a>', text, url),
                          messages.SUCCESS)  # fmt: skip
