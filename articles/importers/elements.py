"""The body's structured elements across export and import (#14), kept apart from the parsers and the loader.

A body points at photos by their number in the library (<figure data-photo="12">, data-gallery="12 13"), and
a number means nothing in another database. So the JSON Lines export carries, beside the body, the photos it
points at (`body_photos`: number -> caption, credit, alt text, file), and the loader maps each to a photo of
the importing library (the same texts and file name, else a new one) and rewrites the numbers.
"""

import re
from pathlib import Path, PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files import File

from articles import body as story_body
from articles.importers.records import PhotoRecord
from articles.models import Photo

_NUMBERS = re.compile(r'(\sdata-(?:photo|gallery)=")([^"]*)(")')


def export_photos(article) -> dict[str, dict]:
    """The photos a story's body points at, keyed by their number (one query; none without elements)."""
    photos = story_body.usable_photos(story_body.all_photo_ids(story_body.elements(article.body)))
    return {
        str(pk): {
            "caption": photo.caption,
            "credit": photo.credit,
            "alt_text": photo.alt_text,
            "file": photo.image.name if photo.image else "",
        }
        for pk, photo in sorted(photos.items())
    }


def parse_photos(value) -> dict[str, PhotoRecord]:
    """`body_photos` of a JSON Lines record (ValueError: what is wrong)."""
    if value in (None, ""):
        return {}
    if not isinstance(value, dict):
        raise ValueError("body_photos must be an object of photo number -> photo")
    found = {}
    for number, photo in value.items():
        if not str(number).isdigit() or not isinstance(photo, dict):
            raise ValueError(f"body_photos entry {number!r} must be a number with an object")
        found[str(number)] = PhotoRecord(
            **{k: str(photo.get(k) or "") for k in ("caption", "credit", "alt_text", "url", "file")}
        )
    return found


def map_photos(loader, body: str, photos: dict[str, PhotoRecord], warnings: list[str]) -> str:
    """`body` with the numbers of the exported photos turned into those of this library's photos."""
    if not photos or "data-" not in body:
        return body
    mapping: dict[str, str] = {}
    for number, wanted in photos.items():
        photo = _find_or_make(loader, wanted, warnings)
        if photo is not None:
            mapping[number] = str(photo.pk)

    def replace(match: re.Match) -> str:
        numbers = [mapping.get(part, part) for part in re.split(r"[\s,]+", match.group(2).strip()) if part]
        return match.group(1) + " ".join(numbers) + match.group(3)

    return _NUMBERS.sub(replace, body)


def _find_or_make(loader, wanted: PhotoRecord, warnings: list[str]) -> Photo | None:
    texts = {
        "caption": wanted.caption.strip(),
        "credit": wanted.credit.strip(),
        "alt_text": wanted.alt_text.strip(),
    }
    name = PurePosixPath(wanted.file).name
    same = list(Photo.objects.filter(**texts).exclude(image=""))
    for photo in same:
        if not name or Path(photo.image.name).name.startswith(Path(name).stem):
            return photo
    path = loader._media_file(wanted.file, wanted.url)
    if path is None:
        warnings.append(f"body photo file {name or '(none)'} not found; the photo is left out of the story")
        return None
    photo = Photo(**texts)
    if loader.dry_run:
        return None
    try:
        with path.open("rb") as handle:
            photo.image = File(handle, name=path.name)
            photo.save()  # stores the file and its renditions, or none of them
    except (ValidationError, OSError, ValueError) as error:
        warnings.append(f"body photo file {name} refused ({error}); the photo is left out of the story")
        return None
    return photo
