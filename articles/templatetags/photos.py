"""What a template needs to show a photo: srcsets of one ratio, with the original until the copies exist."""

from django import template
from django.core.files.storage import default_storage

register = template.Library()


def sources(photo, ratio: str = "") -> dict:
    """src, width, height and the JPEG and WebP srcsets of `photo` at `ratio` ("" the whole picture).

    Before the background task has made the copies (or for a ratio it has not made), the original file with
    its own width and height: a page never waits for renditions and never shows a missing file.
    """
    if not photo or not photo.image:
        return {}
    ratio = ratio or ""
    found = photo.renditions_of(ratio)
    if not found:
        return {"src": photo.image.url, "width": photo.width, "height": photo.height, "jpeg": "", "webp": ""}
    largest = found[-1]
    return {
        "src": default_storage.url(largest["jpeg"]),
        "width": largest["width"],
        "height": largest["height"],
        "jpeg": photo.srcset("jpeg", ratio),
        "webp": photo.srcset("webp", ratio),
    }


@register.simple_tag
def picture_sources(photo, ratio=""):
    """{% picture_sources photo "16:9" as pic %}: pic.src, pic.width, pic.height, pic.jpeg, pic.webp."""
    return sources(photo, ratio)
