"""Photos: EXIF date, a perceptual hash from a thumbnail, and clean copies for the briefing.

Only what is needed is decoded: `Image.open` reads the header (size, EXIF); the
perceptual hash comes from a reduced decode (`draft()` lets libjpeg decode at 1/8
scale). Pillow's decompression-bomb limit is kept: both its warning (over
MAX_IMAGE_PIXELS) and its error (over twice that) refuse the photo.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps

from analysis.clean import make_date
from analysis.messages import error_detail, message_text
from analysis.model import IssueCode

HASH_SIDE = 16  # a 16x16 difference hash: 256 bits
# Two photos whose hashes differ in at most this many of 256 bits (and whose shapes
# agree) are one photo, re-encoded or resized by WeChat. Measured: such copies differ
# in 1-7 bits (the demo's, 3/4 size at quality 60); 300 distinct generated meeting
# photos, all alike in layout, in at least 16 (the closest pair of 44,850).
HASH_DISTANCE = 10
ASPECT_TOLERANCE = 0.02
_EXIF_IFD = 0x8769
_DATE_TIME_ORIGINAL = 36867
_EXIF_DATE = re.compile(r"^\s*(\d{4})[:\-/.](\d{1,2})[:\-/.](\d{1,2})")

_heif_registered = False


def _register_heif() -> None:
    global _heif_registered
    if not _heif_registered:
        try:
            from pillow_heif import register_heif_opener

            register_heif_opener()
        except ImportError:  # pragma: no cover - pinned dependency
            pass
        _heif_registered = True


class PhotoError(Exception):
    """The photo cannot be used; `code` is the issue code."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(code)
        self.code, self.detail = code, detail


@dataclass(frozen=True)
class PhotoFacts:
    width: int
    height: int
    taken_date: dt.date | None
    phash: int
    turned: bool = False  # EXIF orientation 5-8: shown a quarter turn from how it is stored

    @property
    def aspect(self) -> float:
        """Width / height as the photo is shown (upright)."""
        width, height = (self.height, self.width) if self.turned else (self.width, self.height)
        return width / max(height, 1)


def _pixels(exc: Exception) -> str:
    """Pillow's "Image size (N pixels) exceeds limit of M pixels…" in Chinese."""
    numbers = [int(n) for n in re.findall(r"\d+", str(exc))]
    if len(numbers) >= 2:
        return message_text("detail_pixels", pixels=numbers[0], limit=numbers[1])
    return message_text("detail_structure_incomplete")


def _open(data: bytes) -> Image.Image:
    _register_heif()
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            return Image.open(io.BytesIO(data))
        except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
            raise PhotoError(IssueCode.MATERIAL_IMAGE_TOO_LARGE, _pixels(exc)) from None
        except Exception as exc:  # noqa: BLE001 - Pillow raises many types for bad files
            raise PhotoError(IssueCode.MATERIAL_CORRUPT, error_detail(exc)) from None


def exif_date(image: Image.Image) -> dt.date | None:
    """DateTimeOriginal from the EXIF block (read with the header); None when absent or bad.

    Its place is the Exif sub-IFD; some editors and phone apps write it in the main IFD
    (IFD0) instead, where it is the same tag, read there when the sub-IFD has none."""
    try:
        exif = image.getexif()
        value = exif.get_ifd(_EXIF_IFD).get(_DATE_TIME_ORIGINAL) or exif.get(_DATE_TIME_ORIGINAL)
    except Exception:  # noqa: BLE001 - damaged EXIF is just no date
        return None
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    match = _EXIF_DATE.match(str(value or ""))
    return make_date(*map(int, match.groups())) if match else None


_ALPHA_MODES = frozenset({"RGBA", "RGBa", "LA", "La", "PA"})


def _eight_bit(image: Image.Image) -> Image.Image:
    """A 16-bit, 32-bit or floating-point greyscale picture as 8-bit greys ("L").

    Pillow's own conversion clips at 255, so a 16-bit scan came out white: a 16-bit
    picture is scaled from 0..65535; a 32-bit or float one from its own range (one
    holding 8-bit values, or 0..1 for float, kept as such).
    """
    import numpy as np

    wide = image.mode.startswith("I;16")
    values = np.asarray(image.convert("I") if wide else image, dtype=np.float64)
    top = float(values.max()) if values.size else 0.0
    if wide or 255 < top <= 65535:
        scale = 255 / 65535
    elif top > 65535:
        scale = 255 / top
    elif image.mode == "F" and 0 < top <= 1:
        scale = 255.0
    else:
        scale = 1.0
    grey = np.clip(np.rint(values * scale), 0, 255).astype(np.uint8)
    return Image.fromarray(grey, "L")


def flatten(image: Image.Image, mode: str = "RGB") -> Image.Image:
    """The picture in 8-bit `mode` ("RGB" or "L") as a viewer shows it, whatever its own mode.

    16-bit and other wide greys are scaled to 8 bits (not clipped to white); a
    transparent background (alpha, or a palette/greyscale transparency colour) is laid
    on white, not left black; palette, CMYK, YCbCr and 1-bit pictures are converted.
    """
    if image.mode.startswith("I") or image.mode == "F":
        image = _eight_bit(image)
    if image.mode in _ALPHA_MODES or "transparency" in image.info:
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert(mode)
    if image.mode not in ("1", "L", "P", "RGB", "CMYK", "YCbCr"):
        image = image.convert("RGB")  # LAB, HSV …: by way of RGB
    return image.convert(mode)


def dhash(image: Image.Image) -> int:
    """A difference hash of the upright image (EXIF-rotated), from a reduced decode."""
    image.draft("L", (HASH_SIDE * 8, HASH_SIDE * 8))
    small = ImageOps.exif_transpose(flatten(image, "L"))
    small = small.resize((HASH_SIDE + 1, HASH_SIDE), Image.Resampling.BILINEAR)
    pixels = small.tobytes()
    bits = 0
    for row in range(HASH_SIDE):
        line = pixels[row * (HASH_SIDE + 1) : (row + 1) * (HASH_SIDE + 1)]
        for a, b in zip(line, line[1:], strict=False):
            bits = (bits << 1) | (a > b)
    return bits


def photo_facts(data: bytes) -> PhotoFacts:
    """Size, EXIF date and perceptual hash of a photo; PhotoError when it is unusable."""
    if not data:
        raise PhotoError(IssueCode.MATERIAL_EMPTY)
    image = _open(data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            width, height = image.size
            taken = exif_date(image)
            turned = image.getexif().get(0x0112) in (5, 6, 7, 8)
            phash = dhash(image)
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise PhotoError(IssueCode.MATERIAL_IMAGE_TOO_LARGE, _pixels(exc)) from None
    except PhotoError:
        raise
    except Exception as exc:  # noqa: BLE001 - truncated or damaged image data
        raise PhotoError(IssueCode.MATERIAL_CORRUPT, error_detail(exc)) from None
    return PhotoFacts(width, height, taken, phash, turned)


def hash_distance(a: int, b: int) -> int:
    return (a ^ b).bit_count()


def same_picture(a: tuple[int, float], b: tuple[int, float]) -> bool:
    """Whether two (hash, width/height) pairs are one photo: close hashes and the same shape."""
    return (
        hash_distance(a[0], b[0]) <= HASH_DISTANCE and abs(a[1] - b[1]) <= ASPECT_TOLERANCE * a[1]
    )


def clean_copy(data: bytes, max_side: int = 1600, quality: int = 85) -> Image.Image:
    """The photo upright (EXIF orientation applied), 8-bit RGB on white (`flatten`), at most
    `max_side` px, no metadata.

    The returned image carries no EXIF/GPS: it is a new image built from pixels only.
    """
    from analysis.materials.quiet import quiet_libraries

    with quiet_libraries():  # Pillow's English warnings are not for the analyst
        image = _open(data)
        image.draft("RGB", (max_side, max_side))
        image = flatten(ImageOps.exif_transpose(image))
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    clean = Image.new("RGB", image.size)
    clean.paste(image)
    return clean


def jpeg_bytes(image: Image.Image, quality: int = 85) -> bytes:
    """A JPEG of `image` with no EXIF, ICC or other metadata."""
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, optimize=True)
    return buffer.getvalue()
