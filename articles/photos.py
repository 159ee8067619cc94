"""Photo files: refuse what is not a safe image, and make the resized copies pages use in srcset."""

import io
import warnings
from pathlib import PurePosixPath

from django import forms
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageOps, UnidentifiedImageError

RENDITION_WIDTHS = (480, 800, 1200, 1600)
FORMATS = {
    "jpeg": ("JPEG", {"quality": 82, "optimize": True, "progressive": True}),
    "webp": ("WEBP", {"quality": 78}),
}


def check_image(file) -> tuple[int, int]:
    """Return (width, height) of an uploaded image, or raise ValidationError saying what is wrong with it."""
    size = getattr(file, "size", None)
    if size == 0:
        raise forms.ValidationError("The file is empty.")
    if size is not None and size > settings.MAX_UPLOAD_BYTES:
        limit = filesizeformat(settings.MAX_UPLOAD_BYTES)
        raise forms.ValidationError(f"The file is {filesizeformat(size)}; photos may be at most {limit}.")
    file.seek(0)
    try:
        with warnings.catch_warnings():  # we check the pixel count ourselves, with a clearer message
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(file)  # reads the header only
        with image:
            width, height = image.size
            if width * height > settings.MAX_IMAGE_PIXELS:
                raise forms.ValidationError(
                    f"The image is {width}×{height} pixels ({width * height / 1e6:.0f} megapixels); "
                    f"the limit is {settings.MAX_IMAGE_PIXELS / 1e6:.0f} megapixels."
                )
            image.verify()
    except Image.DecompressionBombError as error:
        raise forms.ValidationError(f"The image is too large to open safely: {error}") from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise forms.ValidationError(
            "The file is not an image we can read (use JPEG, PNG, WebP or GIF)."
        ) from error
    finally:
        file.seek(0)
    return width, height


class PhotoFileField(forms.ImageField):
    """The admin's photo upload field, with one clear message for each thing that can be wrong."""

    def to_python(self, data):
        if data in self.empty_values:
            return None
        check_image(data)
        return super().to_python(data)


def make_renditions(image_file) -> list[dict]:
    """Save JPEG and WebP copies in RENDITION_WIDTHS (never wider than the original); return their names."""
    image_file.open("rb")
    with Image.open(image_file) as original:
        original = ImageOps.exif_transpose(original)
        if original.mode not in ("RGB", "L"):
            original = original.convert("RGB")
        stem = PurePosixPath(image_file.name).stem
        widths = [w for w in RENDITION_WIDTHS if w < original.width] + [original.width]
        renditions = []
        for width in sorted(set(widths)):
            height = round(original.height * width / original.width)
            resized = original if width == original.width else original.resize((width, height), Image.LANCZOS)
            entry = {"width": width, "height": height}
            for kind, (pil_format, options) in FORMATS.items():
                out = io.BytesIO()
                resized.save(out, pil_format, **options)
                name = f"photos/renditions/{stem}-{width}.{'jpg' if kind == 'jpeg' else kind}"
                entry[kind] = default_storage.save(name, ContentFile(out.getvalue()))
            renditions.append(entry)
    return renditions
