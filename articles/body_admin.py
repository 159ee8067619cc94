"""The editor's photo picker: photos of the library found by caption, credit or alt text, as JSON."""

from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db.models import Q
from django.http import JsonResponse

from articles import roles
from articles.models import Photo

PAGE = 24


def thumbnail_url(photo) -> str:
    """The smallest rendition (made at upload), else the file itself."""
    small = sorted((r for r in photo.renditions or [] if r.get("jpeg")), key=lambda r: r.get("width") or 0)
    return default_storage.url(small[0]["jpeg"]) if small else photo.image.url


def photo_search(request):
    """?q=words (caption, credit, alt text) or ?ids=1,2,3: up to 24 photos that have a file, newest first;
    none of a story the user may not read (roles.hidden_photo_ids)."""
    if not request.user.has_perm("articles.view_photo"):
        raise PermissionDenied
    photos = Photo.objects.exclude(image="").exclude(pk__in=roles.hidden_photo_ids(request.user))
    if ids := request.GET.get("ids"):
        photos = photos.filter(pk__in=[int(pk) for pk in ids.split(",") if pk.strip().isdigit()][:100])
    else:
        for word in request.GET.get("q", "").split()[:5]:
            photos = photos.filter(
                Q(caption__icontains=word) | Q(credit__icontains=word) | Q(alt_text__icontains=word)
            )
        photos = photos[:PAGE]
    return JsonResponse(
        {
            "photos": [
                {
                    "id": photo.pk,
                    "caption": photo.caption,
                    "credit": photo.credit,
                    "alt": photo.alt_text,
                    "thumbnail": thumbnail_url(photo),
                }
                for photo in photos
            ]
        }
    )
