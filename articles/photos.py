"""Photo files: refuse what is not a safe image, know a picture again by its bytes or its source's id, and
make the resized and cropped copies pages use in srcset."""

import hashlib
import io
import warnings
from dataclasses import dataclass
from pathlib import PurePosixPath

from django import forms
from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageOps, UnidentifiedImageError

RENDITION_WIDTHS = (480, 800, 1200, 1600)
# Crops around the focal point, for cards (16:9), lists (4:3), squares (1:1), social cards (16:9 at 1200 px)
# and the three images Google asks for in a NewsArticle's JSON-LD.
RATIOS = {"16:9": (16, 9), "4:3": (4, 3), "1:1": (1, 1)}
CROP_WIDTHS = (480, 800, 1200)
FORMATS = {
    "jpeg": ("JPEG", {"quality": 82, "optimize": True, "progressive": True}),
    # method 3 (of 0-6): as small as the default 4 on our photos in about half the time
    "webp": ("WEBP", {"quality": 78, "method": 3}),
}
# What a newsroom publishes, recognised by content. Image.open(formats=...) lets no other Pillow plugin even
# read the header, so PostScript (EPS, whose plugin runs Ghostscript) and PDF are refused whatever the name.
# MPO is how Pillow names a camera's multi-picture JPEG; the JPEG plugin opens it.
EXTENSIONS = {"JPEG": ".jpg", "MPO": ".jpg", "PNG": ".png", "WEBP": ".webp", "GIF": ".gif", "AVIF": ".avif"}
OPEN_FORMATS = ["JPEG", "PNG", "WEBP", "GIF", "AVIF"]
# Renditions go up to the original's width, so its sides must fit the encoders: JPEG takes 65535 px a side,
# WebP 16383 (a taller photo gets JPEG copies only). A ratio of at most 1:50 keeps the 480 px copy of the
# widest allowed image at least 10 px high.
MAX_SIDE = 30_000
MAX_RATIO = 50
WEBP_MAX_SIDE = 16_383


@dataclass(frozen=True)
class CheckedImage:
    width: int
    height: int
    extension: str  # of the format found in the content, for the stored file's name

    def name_for(self, name: str) -> str:
        """The file name with the extension of what the file really is."""
        return PurePosixPath(PurePosixPath(name).name).stem + self.extension


def open_image(file) -> Image.Image:
    """Open an uploaded or imported image with the plugins of the formats we publish and no others."""
    with warnings.catch_warnings():  # we check the pixel count ourselves, with a clearer message
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        return Image.open(file, formats=OPEN_FORMATS)


def size_problem(width: int, height: int) -> str:
    """Why an image of this size cannot be published ("" if it can)."""
    size = f"The image is {width}×{height} pixels"
    if width * height > settings.MAX_IMAGE_PIXELS:
        return (
            f"{size} ({width * height / 1e6:.0f} megapixels); "
            f"the limit is {settings.MAX_IMAGE_PIXELS / 1e6:.0f} megapixels."
        )
    if max(width, height) > MAX_SIDE:
        return f"{size}; a side may be at most {MAX_SIDE:,} pixels."
    if max(width, height) > MAX_RATIO * min(width, height):
        return f"{size}; one side may be at most {MAX_RATIO} times the other."
    return ""


def check_image(file) -> CheckedImage:
    """Say what an uploaded image is, or raise ValidationError saying what is wrong with it.

    The file is decoded to the end, since a cut-short JPEG passes Image.verify(). A JPEG is decoded at 1/8
    scale (Pillow's draft mode): libjpeg still reads every byte of it, but makes 1/64 of the pixels, so the
    check costs little beside the full decode that make_renditions does. Other formats are decoded in full.
    """
    size = getattr(file, "size", None)
    if size == 0:
        raise forms.ValidationError("The file is empty.")
    if size is not None and size > settings.MAX_UPLOAD_BYTES:
        limit = filesizeformat(settings.MAX_UPLOAD_BYTES)
        raise forms.ValidationError(f"The file is {filesizeformat(size)}; photos may be at most {limit}.")
    file.seek(0)
    try:
        with open_image(file) as image:  # reads the header only
            checked = CheckedImage(image.width, image.height, EXTENSIONS[image.format])
            if problem := size_problem(image.width, image.height):
                raise forms.ValidationError(problem)
            if image.format in ("JPEG", "MPO"):
                image.draft(None, (1, 1))
            image.load()
    except UnidentifiedImageError as error:
        raise forms.ValidationError(
            "The file is not an image we publish (use JPEG, PNG, WebP, GIF or AVIF)."
        ) from error
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise forms.ValidationError(f"The image is damaged or cut short: {error}.") from error
    finally:
        file.seek(0)
    return checked


class PhotoFileField(forms.ImageField):
    """The admin's photo upload field, with one clear message for each thing that can be wrong."""

    def to_python(self, data):
        if data in self.empty_values:
            return None
        checked = check_image(data)
        # forms.FileField's checks, not forms.ImageField's: that one opens the file with every Pillow plugin
        file = forms.FileField.to_python(self, data)
        file.name = checked.name_for(file.name)
        return file


def file_sha256(file) -> str:
    """The SHA-256 of a file's bytes, read in chunks; the file is left at its start."""
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(1 << 20), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def focal_problem(x, y) -> str:
    """Why (x, y) cannot be a focal point ("" if it can): both or neither, each a fraction from 0 to 1."""
    if (x is None) != (y is None):
        return "Give the focal point across and down, or neither."
    for name, value in (("across", x), ("down", y)):
        if value is not None and not 0 <= value <= 1:
            return (
                f"The focal point must lie inside the photo: {value:g} {name} is outside "
                "(0 is the left or top edge, 1 the right or bottom, 0.5 the middle)."
            )
    return ""


def crop_box(width: int, height: int, ratio: tuple[int, int], focal=(0.5, 0.5)) -> tuple[int, int, int, int]:
    """The largest box of `ratio` in width×height, centred on the focal point as far as the edges allow."""
    across, down = ratio
    if width * down > height * across:  # wider than the ratio: keep the full height
        crop_w, crop_h = max(1, round(height * across / down)), height
    else:
        crop_w, crop_h = width, max(1, round(width * down / across))
    fx, fy = focal
    left = min(max(round(fx * width - crop_w / 2), 0), width - crop_w)
    top = min(max(round(fy * height - crop_h / 2), 0), height - crop_h)
    return left, top, left + crop_w, top + crop_h


def rendition_sizes(width: int, height: int, focal=(0.5, 0.5)):
    """(ratio, crop box, widths) for each kind of copy: "" is the whole picture at RENDITION_WIDTHS."""
    yield "", (0, 0, width, height), sorted({w for w in RENDITION_WIDTHS if w < width} | {width})
    for name, ratio in RATIOS.items():
        box = crop_box(width, height, ratio, focal)
        crop_w = box[2] - box[0]
        yield name, box, sorted({w for w in CROP_WIDTHS if w < crop_w} | {min(crop_w, CROP_WIDTHS[-1])})


def make_renditions(image_file, focal=(0.5, 0.5)) -> list[dict]:
    """Save JPEG and WebP copies: the whole picture in RENDITION_WIDTHS (never wider than the original), and
    crops around the focal point for each of RATIOS in CROP_WIDTHS; return their names.

    Entries are {"ratio": "" or "16:9"..., "width", "height", "jpeg", "webp"}. All the copies are saved or
    none: on failure those written are deleted and ValidationError says why.
    """
    renditions = []  # an entry is added before its files are written, so a failure can delete them
    try:
        image_file.open("rb")
        with open_image(image_file) as original:
            original = ImageOps.exif_transpose(original)
            if problem := size_problem(original.width, original.height):
                raise forms.ValidationError(problem)
            if original.mode not in ("RGB", "L"):
                original = original.convert("RGB")
            # WebP for every width or for none, so a browser choosing WebP has the full set of widths
            kinds = FORMATS if max(original.size) <= WEBP_MAX_SIDE else {"jpeg": FORMATS["jpeg"]}
            stem = PurePosixPath(image_file.name).stem
            for ratio, box, widths in rendition_sizes(original.width, original.height, focal):
                source = original if ratio == "" else original.crop(box)
                suffix = f"-{ratio.replace(':', 'x')}" if ratio else ""
                first = len(renditions)
                for width in reversed(widths):  # each copy from the next wider one: less work, same look
                    height = max(1, round(source.height * width / source.width))
                    if width != source.width:
                        source = source.resize((width, height), Image.LANCZOS)
                    entry = {"ratio": ratio, "width": width, "height": height}
                    renditions.insert(first, entry)  # narrowest first
                    for kind, (pil_format, options) in kinds.items():
                        out = io.BytesIO()
                        source.save(out, pil_format, **options)
                        name = f"photos/renditions/{stem}{suffix}-{width}.{'jpg' if kind == 'jpeg' else kind}"
                        entry[kind] = default_storage.save(name, ContentFile(out.getvalue()))
    except BaseException as error:
        delete_renditions(renditions)
        if isinstance(error, (OSError, SyntaxError, ValueError, Image.DecompressionBombError)):
            raise forms.ValidationError(f"Could not make the resized copies of the photo: {error}") from error
        raise
    finally:
        image_file.close()
    return renditions


def delete_renditions(renditions: list[dict]) -> None:
    """Delete the files of make_renditions' entries."""
    for entry in renditions:
        for kind in FORMATS:
            if entry.get(kind):
                default_storage.delete(entry[kind])


def source_key(source: str, source_id: str = "", url: str = "") -> str:
    """How an importer names a picture: its source's own id ("wxr:https://site:42") or else its address."""
    if source_id:
        return f"{source}:{source_id}"[:500]
    return url.split("#", 1)[0].strip()[:500]


def by_source_key(keys) -> dict:
    """find_or_add's look-up by source key for many keys in one query: each key's photo, or None."""
    from articles.models import Photo

    found = dict.fromkeys(keys)
    if found:
        for photo in Photo.objects.filter(source_key__in=found):  # in the model's order, as .first() takes
            if found[photo.source_key] is None:
                found[photo.source_key] = photo
    return found


def find_or_add(
    *, key: str = "", sha256: str = "", texts=("", "", ""), file=None, name: str = "", by_key=None
):
    """The library's Photo for a picture, found by its source's key or its bytes' SHA-256, else a new one.

    `texts` (caption, credit, alt text) fill what a found photo lacks and never overwrite an editor's words;
    `file` (open, with `name`) is stored only for a new photo or one that had no file yet. Returns
    (photo, created). Renditions are queued by Photo.save (articles/tasks.py), never made here.
    `by_key`, from by_source_key(): the key's photo already looked up (the importer does a chunk at once).
    """
    from articles.models import Photo

    photo = None
    if key:
        if by_key is not None and key in by_key:
            photo = by_key[key]
        else:
            photo = Photo.objects.filter(source_key=key).first()
    if sha256 and (photo is None or not photo.image):
        by_hash = Photo.objects.filter(sha256=sha256).first()
        if by_hash is not None:
            photo = by_hash
    created = photo is None
    if created:
        photo = Photo(source_key=key)
    changed = created
    for field, value in zip(("caption", "credit", "alt_text"), texts, strict=True):
        if value and not getattr(photo, field):
            setattr(photo, field, value)
            changed = True
    if key and not photo.source_key and not Photo.objects.filter(source_key=key).exists():
        photo.source_key, changed = key, True
    if file is not None and not photo.image:
        photo.image = File(file, name=name or PurePosixPath(file.name).name)  # save() hashes it
        changed = True
    if changed:
        photo.save()
    return photo, created
