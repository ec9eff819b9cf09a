"""Read an uploaded picture of a digit safely: limits checked before decoding, a clear sentence on failure."""

import io

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 2 * 1024 * 1024  # matches server.maxUploadSize in .streamlit/config.toml
MAX_PIXELS = 16_000_000  # a 12-megapixel phone photo fits; a decompression bomb does not
WORKING_SIDE = 1024  # larger pictures are shrunk to this side before preprocessing
FORMATS = {"PNG": "PNG", "JPEG": "JPEG", "MPO": "JPEG"}  # MPO: the JPEG some phone cameras write


def read_digit_image(data, name="the file"):
    """The picture in `data` (bytes of a PNG or JPEG) as a uint8 array (H, W, 3) or (H, W, 4).

    Checks the byte size, then the format and pixel count from the header, and only then decodes.
    Raises ValueError with a sentence for the student when the file is empty, too big, not a PNG or
    JPEG, too many pixels, or damaged. Pictures larger than WORKING_SIDE are shrunk (aspect kept).
    """
    size = len(data)
    if size == 0:
        raise ValueError(f"{name} is empty (0 bytes). Upload a PNG or JPEG picture of one digit.")
    if size > MAX_UPLOAD_BYTES:
        raise ValueError(
            f"{name} is {size / 1024 / 1024:.1f} MB; pictures up to {MAX_UPLOAD_BYTES // 1024 // 1024} MB "
            "are accepted. Crop it to the digit or save it smaller."
        )
    try:
        image = Image.open(io.BytesIO(data))  # reads the header only
    except Image.DecompressionBombError:
        raise ValueError(f"{name} claims far too many pixels to open safely. Upload a smaller picture.") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValueError(
            f"{name} is not a picture that can be read. Upload a PNG or JPEG picture of one digit."
        ) from None
    with image:
        if image.format not in FORMATS:
            raise ValueError(f"{name} is a {image.format} file; upload a PNG or JPEG picture instead.")
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise ValueError(
                f"{name} is {width}×{height} pixels; pictures up to {MAX_PIXELS / 1e6:.0f} megapixels are "
                "accepted. Crop it to the digit or shrink it."
            )
        if image.format == "JPEG":
            image.draft("RGB", (WORKING_SIDE, WORKING_SIDE))  # decode at a reduced scale: much faster
        try:
            image.load()
            image = ImageOps.exif_transpose(image)  # phone photos store their rotation separately
        except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
            raise ValueError(
                f"{name} looks like a {FORMATS[image.format]} but is damaged or cut short. "
                "Save the picture again and upload the new file."
            ) from None
        has_alpha = "A" in image.getbands() or "transparency" in image.info
        image = image.convert("RGBA" if has_alpha else "RGB")
        image.thumbnail((WORKING_SIDE, WORKING_SIDE), Image.Resampling.LANCZOS)
        return np.asarray(image, dtype=np.uint8)  # (H, W, 3 or 4)
