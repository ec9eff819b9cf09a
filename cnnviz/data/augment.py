"""Data augmentation: turn, shift, zoom, slant and thicken a batch of digits, one resampling each (NumPy, SciPy).

`transform` applies the changes you name (the Data augmentation page, the invariance lab, tests);
`augment` draws them at random within an `Augmentation`'s ranges (training). Both take a batch of
images (B, H, W) or (B, H, W, 1) with pixels in [0, 1] and return float32 of the same shape.

Conventions, in screen terms: a positive rotation turns the digit anticlockwise, a shift (dx, dy)
moves it dx pixels right and dy pixels down, a zoom above 1 makes it bigger, a positive shear
slants it like italics (the bottom moves left, the top right), a positive stroke thickens its lines
(1 = a full 3×3 grey dilation) and a negative one thins them (-1 = a full 3×3 erosion). Turning,
zooming and slanting happen about the image centre; pixels moved in from outside are black.
"""

from dataclasses import asdict, dataclass

import numpy as np
from scipy import ndimage


@dataclass(frozen=True)
class Augmentation:
    """How far each random change goes: every image of a batch gets its own draw, uniform in the range.

    The defaults imitate digits drawn with a mouse or a finger; they train the shipped model.
    `Augmentation.none()` changes nothing.
    """

    rotation_degrees: float = 15.0  # turned by up to ± this
    shift_pixels: float = 3.0  # moved by up to ± this, across and down independently
    zoom: tuple[float, float] = (0.85, 1.15)  # scaled by a factor in this range
    shear: float = 0.25  # slanted: x += shear · y, shear up to ± this
    aspect: float = 0.12  # narrower or wider: log(width / height) changes by up to ± this
    stroke: tuple[float, float] = (-0.4, 1.0)  # stroke amount in this range (< 0 thinner, > 0 thicker)

    def __post_init__(self):
        for name in ("rotation_degrees", "shift_pixels", "shear", "aspect"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < 1e3:
                raise ValueError(f"{name} is a limit of at least 0, got {value!r}; 0 turns that change off.")
        for name, lowest, highest in (("zoom", 0.1, 10.0), ("stroke", -1.0, 1.0)):
            value = getattr(self, name)
            if (
                not isinstance(value, tuple | list)
                or len(value) != 2
                or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
                or not lowest <= value[0] <= value[1] <= highest
            ):
                raise ValueError(
                    f"{name} is a range (low, high) with {lowest:g} ≤ low ≤ high ≤ {highest:g}, got {value!r}."
                )
        object.__setattr__(self, "zoom", tuple(float(v) for v in self.zoom))
        object.__setattr__(self, "stroke", tuple(float(v) for v in self.stroke))

    @classmethod
    def none(cls):
        return cls(rotation_degrees=0.0, shift_pixels=0.0, zoom=(1.0, 1.0), shear=0.0, aspect=0.0, stroke=(0.0, 0.0))

    def as_dict(self):
        return asdict(self)


def augment(images, seed, augmentation=Augmentation()):
    """Each image of the batch changed at random within `augmentation`; the same `seed` gives the same batch.

    `seed` is anything `numpy.random.default_rng` takes: a whole number, or a tuple such as
    (run seed, epoch, batch) so that every batch of every epoch gets its own draw.
    """
    images = _as_batch(images)
    size = len(images)
    rng = np.random.default_rng(seed)
    zoom_low, zoom_high = augmentation.zoom
    return transform(
        images,
        rotation_degrees=rng.uniform(-1.0, 1.0, size) * augmentation.rotation_degrees,
        shift=(
            rng.uniform(-1.0, 1.0, size) * augmentation.shift_pixels,
            rng.uniform(-1.0, 1.0, size) * augmentation.shift_pixels,
        ),
        zoom=rng.uniform(zoom_low, zoom_high, size),
        shear=rng.uniform(-1.0, 1.0, size) * augmentation.shear,
        aspect=rng.uniform(-1.0, 1.0, size) * augmentation.aspect,
        stroke=rng.uniform(*augmentation.stroke, size),
    )


def transform(images, *, rotation_degrees=0.0, shift=(0.0, 0.0), zoom=1.0, shear=0.0, aspect=0.0, stroke=0.0):
    """The batch with the named changes: each is one number for every image, or one per image.

    Stroke width changes first, then one bilinear resampling turns, slants, scales and shifts.
    """
    images = _as_batch(images)
    shape = images.shape
    flat = images.reshape(shape[:3])  # (B, H, W)
    size = len(flat)

    def per_image(name, value):
        array = np.asarray(value, dtype=np.float64)
        if array.shape not in ((), (size,)) or not np.all(np.isfinite(array)):
            raise ValueError(f"{name} must be a finite number, or one per image ({size}), got {value!r}.")
        return np.broadcast_to(array, (size,))

    if np.shape(shift)[:1] != (2,):
        raise ValueError(f"shift is (across, down) in pixels, got {shift!r}; try shift=(3, 0).")
    shift_x, shift_y = (per_image("shift", part) for part in shift)
    flat = thicken(flat, per_image("stroke", stroke))
    flat = _affine(
        flat,
        angle=-np.deg2rad(per_image("rotation_degrees", rotation_degrees)),  # image y points down
        zoom=per_image("zoom", zoom),
        aspect=np.exp(per_image("aspect", aspect)),
        shear=-per_image("shear", shear),  # x += shear·y with y down: a positive slant leans right
        shift_x=shift_x,
        shift_y=shift_y,
    )
    return np.clip(flat, 0.0, 1.0).astype(np.float32).reshape(shape)


def thicken(images, amount):
    """Strokes of a batch (B, H, W) thicker (amount > 0, towards a 3×3 grey dilation) or thinner (< 0, erosion)."""
    amount = np.asarray(amount, dtype=np.float64)[:, None, None]
    if not amount.any():
        return images
    dilated = ndimage.maximum_filter(images, size=(1, 3, 3), mode="nearest")  # grey dilation, 3×3 square
    eroded = ndimage.minimum_filter(images, size=(1, 3, 3), mode="nearest")  # grey erosion
    return images + np.maximum(amount, 0) * (dilated - images) + np.maximum(-amount, 0) * (eroded - images)


def _affine(images, *, angle, zoom, aspect, shear, shift_x, shift_y):
    """One bilinear resampling of each image (B, H, W) by its own forward map about the centre.

    Forward map, in (x across, y down): output = centre + A (input - centre) + shift, with
    A = rotation · shear · scale. Each output pixel is read where it comes from in the input,
    input = centre + A⁻¹ (output - centre - shift), for the whole batch at once.
    """
    size, height, width = images.shape
    scale_x, scale_y = zoom * aspect, zoom / aspect
    cos, sin = np.cos(angle), np.sin(angle)
    a, b = cos * scale_x, (cos * shear - sin) * scale_y
    c, d = sin * scale_x, (sin * shear + cos) * scale_y
    det = a * d - b * c
    inv_a, inv_b, inv_c, inv_d = (value[:, None, None] for value in (d / det, -b / det, -c / det, a / det))
    centre_y, centre_x = (height - 1) / 2, (width - 1) / 2
    rows, cols = np.mgrid[0:height, 0:width].astype(np.float64)  # (H, W) each
    out_x = cols[None] - centre_x - shift_x[:, None, None]  # (B, H, W)
    out_y = rows[None] - centre_y - shift_y[:, None, None]
    in_x = centre_x + inv_a * out_x + inv_b * out_y
    in_y = centre_y + inv_c * out_x + inv_d * out_y
    return bilinear(images, in_y, in_x)


def bilinear(images, rows, cols):
    """images (B, H, W) read at fractional (rows, cols) (B, H', W'), black beyond the edges.

    The same as SciPy's `map_coordinates(images, [batch, rows, cols], order=1, mode="grid-constant")`
    (checked in the tests), at less than half its cost: SciPy interpolates along the batch axis too.
    """
    size, height, width = images.shape
    padded = np.zeros((size, height + 3, width + 3), np.float32)  # one black row/column before, two after
    padded[:, 1 : height + 1, 1 : width + 1] = images
    y = np.clip(rows + 1, 0, height + 1).astype(np.float32)  # anything further out reads only black
    x = np.clip(cols + 1, 0, width + 1).astype(np.float32)
    y0, x0 = y.astype(np.int64), x.astype(np.int64)  # the pixel above and left of each point
    fy, fx = y - y0, x - x0
    flat = padded.reshape(size, -1)
    stride = width + 3

    def pixels(row, col):
        return np.take_along_axis(flat, (row * stride + col).reshape(size, -1), axis=1).reshape(rows.shape)

    top = pixels(y0, x0) * (1 - fx) + pixels(y0, x0 + 1) * fx
    bottom = pixels(y0 + 1, x0) * (1 - fx) + pixels(y0 + 1, x0 + 1) * fx
    return top * (1 - fy) + bottom * fy


def _as_batch(images):
    images = np.asarray(images, dtype=np.float32)
    if images.ndim not in (3, 4) or (images.ndim == 4 and images.shape[-1] != 1):
        raise ValueError(
            f"images must be a batch (B, H, W) or (B, H, W, 1) of grey digits, got shape {images.shape}; "
            "put a single digit in a batch with image[None]."
        )
    if images.size and (np.nanmin(images) < 0.0 or np.nanmax(images) > 1.0 or np.isnan(images).any()):
        raise ValueError(
            "images must have pixels from 0 to 1; divide uint8 digits (0–255) by 255 first "
            f"(got values from {np.nanmin(images):g} to {np.nanmax(images):g})."
        )
    return images
