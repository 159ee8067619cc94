"""The photo library in the admin: a searchable grid, drag-and-drop upload, texts edited in place, focal
points, and the widget that chooses a story's photo from the library.

Uploads answer at once: renditions are made by the background task (articles/tasks.py).
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Count, Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from articles import photos, roles
from articles.models import Article, Author, Photo, Placement
from articles.roles import can_publish
from articles.templatetags.photos import sources

EDITABLE_IN_PLACE = ("caption", "credit", "alt_text")
CHOOSER_PAGE = 48


def thumbnail_url(photo) -> str:
    """The smallest 4:3 copy for the grid, else the smallest whole one, else the original."""
    if not photo.image:
        return ""
    found = photo.renditions_of("4:3") or photo.renditions_of("")
    if found:
        return photo.image.storage.url(found[0]["jpeg"])
    return photo.image.url


def duplicate_of(file, exclude_pk=None) -> Photo | None:
    """The library's photo with exactly these bytes, if there is one."""
    found = Photo.objects.filter(sha256=photos.file_sha256(file))
    if exclude_pk is not None:
        found = found.exclude(pk=exclude_pk)
    return found.first()


def shown_elsewhere(photo_ids, user) -> set[int]:
    """Of `photo_ids`, those shown by anything but `user`'s own drafts: a story's lead or body (its photos
    and galleries), a front's picture for a story, an author's portrait."""
    photo_ids = set(photo_ids)
    if not photo_ids:
        return set()
    others = Article.objects.exclude(created_by=user, status=Article.Status.DRAFT)
    found = set(others.filter(lead_photo__in=photo_ids).values_list("lead_photo_id", flat=True))
    found |= set(Author.objects.filter(photo__in=photo_ids).values_list("photo_id", flat=True))
    found |= set(Placement.objects.filter(photo__in=photo_ids).values_list("photo_id", flat=True))
    # Bodies name photos in attributes (articles/body.py); every save keeps Article.photos_in_body from them.
    shown = Article.photos_in_body.through.objects.filter(photo_id__in=photo_ids, article__in=others)
    found |= set(shown.values_list("photo_id", flat=True))
    return found


def duplicate_message(photo: Photo):
    return format_html(
        'This file is already in the library: <a href="{}">{}</a>. Use that photo instead.',
        reverse("admin:articles_photo_change", args=[photo.pk]),
        photo,
    )


class PhotoForm(forms.ModelForm):
    hidden_ids: set[int] = set()  # photos the user may not see (roles.hidden_photo_ids); set by PhotoAdmin

    class Meta:
        model = Photo
        fields = ["image", "caption", "credit", "alt_text", "focal_x", "focal_y"]
        widgets = {
            "focal_x": forms.NumberInput(attrs={"step": "0.001", "data-focal": "x"}),
            "focal_y": forms.NumberInput(attrs={"step": "0.001", "data-focal": "y"}),
        }

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if isinstance(image, UploadedFile):  # a new file, not the one the photo has
            if found := duplicate_of(image, self.instance.pk):
                if found.pk in self.hidden_ids:  # its caption would tell an embargoed story's news
                    raise ValidationError(
                        "This file is already in the library, with a story you may not read yet.",
                        code="duplicate_hidden",
                    )
                raise ValidationError(duplicate_message(found), code="duplicate")
        return image

    def clean(self):
        cleaned = super().clean()
        if problem := photos.focal_problem(cleaned.get("focal_x"), cleaned.get("focal_y")):
            raise ValidationError({"focal_x": problem})
        return cleaned


class UsedFilter(admin.SimpleListFilter):
    title = "use"
    parameter_name = "used"

    def lookups(self, request, model_admin):
        return [("yes", "Used by a story"), ("no", "Unused")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(article_count__gt=0)
        if self.value() == "no":
            return queryset.filter(article_count=0)
        return queryset


class AltTextFilter(admin.SimpleListFilter):
    title = "alt text"
    parameter_name = "alt"

    def lookups(self, request, model_admin):
        return [("yes", "Has alt text"), ("no", "Needs alt text")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(alt_text="")
        if self.value() == "no":
            return queryset.filter(alt_text="")
        return queryset


class SourceFilter(admin.SimpleListFilter):
    title = "source"
    parameter_name = "source"

    def lookups(self, request, model_admin):
        return [("upload", "Uploaded here"), ("import", "Imported")]

    def queryset(self, request, queryset):
        if self.value() == "upload":
            return queryset.filter(source_key="")
        if self.value() == "import":
            return queryset.exclude(source_key="")
        return queryset


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    form = PhotoForm
    list_display = ["thumb", "caption", "credit", "width", "height", "article_count"]
    list_filter = [UsedFilter, AltTextFilter, SourceFilter]
    list_per_page = 60
    ordering = ["-created_at"]
    search_fields = ["caption", "credit", "alt_text", "source_key"]
    readonly_fields = ["focal_picker", "width", "height", "renditions_state"]
    fieldsets = [
        (None, {"fields": ["image", "focal_picker", ("focal_x", "focal_y"), "renditions_state"]}),
        (None, {"fields": ["caption", "credit", "alt_text"]}),
        ("File", {"fields": [("width", "height")], "classes": ["collapse"]}),
    ]
    change_list_template = "admin/articles/photo/change_list.html"

    class Media:
        css = {"all": ["css/photo-admin.css"]}
        js = ["js/photo-admin.js"]

    def get_queryset(self, request):
        # What the grid, search, autocompletes and every page of one photo see: not the photos of a story
        # the user may not read (an embargoed one's caption tells its news).
        found = super().get_queryset(request).exclude(pk__in=roles.hidden_photo_ids(request.user))
        return found.annotate(article_count=Count("lead_articles"))

    # A photo has no owner: a writer may change one that readers cannot see and no colleague's work shows,
    # that is one shown by nothing yet or only by the writer's own drafts (what they may change themselves),
    # as lead photo or in the body. Anything else changes what is live, or a colleague's work, at once:
    # editors only.
    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or can_publish(request.user) or not shown_elsewhere([obj.pk], request.user)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"hidden_ids": roles.hidden_photo_ids(request.user)})

    def changeable_ids(self, request, photo_ids) -> set[int]:
        """Which of these photos the user may change (the grid's in-place fields), in a few queries."""
        if not super().has_change_permission(request):
            return set()
        if can_publish(request.user):
            return set(photo_ids)
        return set(photo_ids) - shown_elsewhere(photo_ids, request.user)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "image":
            kwargs["form_class"] = photos.PhotoFileField
            field = super().formfield_for_dbfield(db_field, request, **kwargs)
            # the admin's file widget sits in a fieldset whose legend names no input: axe's "label" rule
            field.widget.attrs["aria-label"] = "Image file"
            return field
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        own = [
            path("upload/", self.admin_site.admin_view(self.upload_view), name="{}_{}_upload".format(*info)),
            path("choose/", self.admin_site.admin_view(self.choose_view), name="{}_{}_choose".format(*info)),
            path(
                "<int:pk>/text/", self.admin_site.admin_view(self.text_view), name="{}_{}_text".format(*info)
            ),
        ]
        return own + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        context = getattr(response, "context_data", None)
        if context and "cl" in context:
            results = list(context["cl"].result_list)
            context["photo_cards"] = [
                {"photo": p, "thumb": thumbnail_url(p), "editable": p.pk in editable}
                for editable in [self.changeable_ids(request, [p.pk for p in results])]
                for p in results
            ]
            context["upload_url"] = reverse("admin:articles_photo_upload")
            context["can_upload"] = self.has_add_permission(request)
        return response

    # JSON views for the library's script

    def upload_view(self, request):
        """One file per POST (the script sends each dropped file on its own, with progress)."""
        if request.method != "POST":
            return JsonResponse({"error": "Send the photo with POST."}, status=405)
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = PhotoForm(data={"caption": "", "credit": "", "alt_text": ""}, files=request.FILES)
        form.hidden_ids = roles.hidden_photo_ids(request.user)
        form.fields["image"] = photos.PhotoFileField(required=True)
        if not form.is_valid():
            if form.has_error("image", "duplicate"):
                found = duplicate_of(request.FILES["image"])
                return JsonResponse(
                    {
                        "duplicate": True,
                        "id": found.pk,
                        "url": reverse("admin:articles_photo_change", args=[found.pk]),
                        "thumb": thumbnail_url(found),
                        "message": f"Already in the library as “{found}”.",
                    }
                )
            errors = form.errors.get("image") or [e for errs in form.errors.values() for e in errs]
            name = getattr(request.FILES.get("image"), "name", "the file")
            return JsonResponse({"error": f"{name}: {errors[0]}"}, status=400)
        photo = form.save()
        return JsonResponse(
            {
                "id": photo.pk,
                "url": reverse("admin:articles_photo_change", args=[photo.pk]),
                "thumb": thumbnail_url(photo),
                "name": photo.image.name.rsplit("/", 1)[-1],
                "message": "Added to the library; its sizes are being made.",
            },
            status=201,
        )

    def text_view(self, request, pk):
        """Save one of caption, credit or alt text of one photo, edited in place in the grid."""
        photo = get_object_or_404(self.get_queryset(request), pk=pk)
        if request.method != "POST":
            return JsonResponse({"error": "Send the text with POST."}, status=405)
        if not self.has_change_permission(request, photo):
            return JsonResponse({"error": "You may not change this photo."}, status=403)
        field = request.POST.get("field", "")
        if field not in EDITABLE_IN_PLACE:
            return JsonResponse({"error": f"{field or 'That'} cannot be edited here."}, status=400)
        value = request.POST.get("value", "").strip()
        try:
            Photo._meta.get_field(field).clean(value, photo)
        except ValidationError as error:
            label = Photo._meta.get_field(field).verbose_name
            return JsonResponse({"error": f"{label.capitalize()}: {error.messages[0]}"}, status=400)
        setattr(photo, field, value)
        photo.save(update_fields=[field])
        return JsonResponse(
            {"id": photo.pk, "field": field, "value": getattr(photo, field), "message": "Saved"}
        )

    def choose_view(self, request):
        """Photos for the story form's chooser: newest first, searched by caption, credit or alt text."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        found = Photo.objects.exclude(image="").exclude(pk__in=roles.hidden_photo_ids(request.user))
        found = found.order_by("-created_at")
        if query := request.GET.get("q", "").strip():
            found = found.filter(
                Q(caption__icontains=query) | Q(credit__icontains=query) | Q(alt_text__icontains=query)
            )
        return JsonResponse(
            {
                "results": [
                    {
                        "id": p.pk,
                        "label": str(p),
                        "thumb": thumbnail_url(p),
                        "alt_text": p.alt_text,
                        "credit": p.credit,
                    }
                    for p in found[:CHOOSER_PAGE]
                ]
            }
        )

    # Read-only parts of the form

    @admin.display(description="photo")
    def thumb(self, obj):
        url = thumbnail_url(obj)
        return format_html('<img src="{}" alt="{}" height="80">', url, obj.alt_text) if url else "—"

    @admin.display(description="focal point")
    def focal_picker(self, obj):
        if not obj or not obj.image:
            return "Upload the photo and save; then click it here to set its focal point."
        x, y = obj.focal_point
        return format_html(
            '<div class="focal-picker" tabindex="0" role="group" data-x="{}" data-y="{}" '
            'aria-label="Focal point: click the photo, or move it with the arrow keys" '
            'aria-describedby="focal-help">'
            '<img src="{}" alt="{}" width="{}" height="{}">'
            '<span class="focal-marker" aria-hidden="true"></span>'
            '</div><p id="focal-help" class="help">Click what matters most (a face, the ball): 16:9, 4:3 and '
            "square crops keep it in view. Arrow keys move the point (Shift for bigger steps). "
            '<span class="focal-status" aria-live="polite"></span></p>',
            x,
            y,
            obj.image.url,
            obj.alt_text,
            obj.width or "",
            obj.height or "",
        )

    @admin.display(description="crops")
    def renditions_state(self, obj):
        """The crops readers see (16:9, 4:3, 1:1), or that they are still being made."""
        if not obj or not obj.image:
            return "—"
        if not obj.renditions_ready:
            return "Being made in the background; pages show the original meanwhile."
        crops = [(ratio, obj.renditions_of(ratio)) for ratio in photos.RATIOS]
        return format_html_join(
            "",
            '<figure class="crop-preview"><img src="{}" alt="" width="{}" height="{}"><figcaption>{}'
            "</figcaption></figure>",
            (
                (obj.image.storage.url(found[0]["jpeg"]), found[0]["width"], found[0]["height"], ratio)
                for ratio, found in crops
                if found
            ),
        )

    @admin.display(description="stories", ordering="article_count")
    def article_count(self, obj):
        return obj.article_count


class PhotoChooserWidget(forms.HiddenInput):
    """A story's photo chosen from the library: a preview, "Choose from library" and "Remove".

    For ArticleAdmin: in formfield_for_foreignkey, `if db_field.name == "lead_photo": kwargs["widget"] =
    PhotoChooserWidget()` (and take lead_photo out of autocomplete_fields). Without JavaScript it is the
    photo's number, as before.
    """

    template_name = "articles/widgets/photo_chooser.html"  # in the app: form renderers look there
    input_type = "hidden"

    @property
    def is_hidden(self):
        return False  # its input is hidden, the chooser is not: the admin must show the row and its label

    class Media:
        css = {"all": ["css/photo-admin.css"]}
        js = ["js/photo-admin.js"]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        photo = Photo.objects.filter(pk=value).first() if str(value or "").isdigit() else None
        context["photo"] = photo
        context["thumb"] = thumbnail_url(photo) if photo else ""
        context["choose_url"] = reverse("admin:articles_photo_choose")
        context["upload_url"] = reverse("admin:articles_photo_upload")
        context["preview"] = sources(photo, "") if photo else {}
        return context
