"""Data augmentation: each control does what it says, on real digits; random draws are seeded per call."""

import numpy as np
import pytest
from scipy import ndimage

from cnnviz.data.augment import Augmentation, augment, bilinear, transform
from cnnviz.data.mnist import load_sample


@pytest.fixture(scope="module")
def digits():
    """Twenty real test digits of the bundled sample, (20, 28, 28) in [0, 1]."""
    (_, _), (x_test, _) = load_sample()
    return x_test[:20].astype(np.float32) / 255.0


@pytest.fixture(scope="module")
def ones():
    """Real 1s of the bundled sample: a long stroke whose direction is easy to measure."""
    (_, _), (x_test, y_test) = load_sample()
    return x_test[y_test == 1][:10].astype(np.float32) / 255.0


def principal_angle(image):
    """Direction of the ink's long axis in degrees, anticlockwise from 'across', as seen on screen."""
    rows, cols = np.mgrid[0 : image.shape[0], 0 : image.shape[1]]
    weights = image / image.sum()
    x, y = cols - (weights * cols).sum(), -(rows - (weights * rows).sum())  # y up, as a reader sees it
    xy = (weights * x * y).sum()
    _, vectors = np.linalg.eigh([[(weights * x * x).sum(), xy], [xy, (weights * y * y).sum()]])
    return np.degrees(np.arctan2(vectors[1, -1], vectors[0, -1]))


def fits_after_shift(image, across, down):
    rows, cols = np.nonzero(image)
    return (
        cols.min() + min(across, 0) >= 1
        and cols.max() + max(across, 0) <= 26
        and rows.min() + min(down, 0) >= 1
        and rows.max() + max(down, 0) <= 26
    )


def angle_between(a, b):
    """Smallest signed difference of two axis directions (an axis has no head: 180° apart is the same)."""
    return (a - b + 90) % 180 - 90


@pytest.mark.parametrize(("across", "down"), [(1, 0), (3, 0), (0, -2), (-3, 4)])
def test_a_shift_moves_the_centre_of_mass_by_that_many_pixels(digits, across, down):
    shifted = transform(digits, shift=(across, down))
    kept = [i for i, digit in enumerate(digits) if fits_after_shift(digit, across, down)]  # no ink pushed off
    assert len(kept) >= 5
    for before, after in zip(digits[kept], shifted[kept], strict=True):
        moved = np.subtract(ndimage.center_of_mass(after), ndimage.center_of_mass(before))  # (down, across)
        np.testing.assert_allclose(moved, [down, across], atol=0.05)


@pytest.mark.parametrize("degrees", [10, 30, -25, 45])
def test_a_rotation_turns_the_principal_axis_by_that_angle_anticlockwise(ones, degrees):
    turned = transform(ones, rotation_degrees=degrees)
    for before, after in zip(ones, turned, strict=True):
        assert angle_between(principal_angle(after), principal_angle(before)) == pytest.approx(degrees, abs=3)


def test_zoom_scales_the_spread_of_the_ink(digits):
    def spread(image):  # root mean square distance of the ink from its centre
        rows, cols = np.mgrid[0:28, 0:28]
        centre = ndimage.center_of_mass(image)
        return np.sqrt((image * ((rows - centre[0]) ** 2 + (cols - centre[1]) ** 2)).sum() / image.sum())

    for zoom in (0.7, 1.2):
        ratios = [spread(after) / spread(before) for before, after in zip(digits, transform(digits, zoom=zoom))]
        assert np.median(ratios) == pytest.approx(zoom, rel=0.06)


def test_a_positive_shear_leans_an_upright_bar_like_italics():
    bar = np.zeros((1, 28, 28), np.float32)
    bar[0, 6:22, 13:15] = 1.0  # upright, two pixels wide
    leaned = transform(bar, shear=0.5)[0]
    top, bottom = ndimage.center_of_mass(leaned[6:10]), ndimage.center_of_mass(leaned[18:22])
    assert top[1] - bottom[1] == pytest.approx(0.5 * 12, abs=0.5)  # the top 12 rows higher is 6 px further right


def test_stroke_thickness_adds_ink_when_positive_and_removes_it_when_negative(digits):
    ink = digits.sum(axis=(1, 2))
    thicker, thinner = transform(digits, stroke=1.0).sum(axis=(1, 2)), transform(digits, stroke=-1.0).sum(axis=(1, 2))
    assert np.all(thicker > 1.3 * ink) and np.all(thinner < 0.8 * ink)
    np.testing.assert_allclose(transform(digits, stroke=0.5).sum(axis=(1, 2)), (ink + thicker) / 2, rtol=0.02)


def test_no_change_gives_the_digits_back(digits):
    np.testing.assert_allclose(transform(digits), digits, atol=1e-6)
    np.testing.assert_allclose(augment(digits, 0, Augmentation.none()), digits, atol=1e-6)


def test_each_image_takes_its_own_value(digits):
    moved = transform(digits[:2], shift=([2, -2], [0, 0]))
    np.testing.assert_allclose(moved[0], transform(digits[:1], shift=(2, 0))[0])
    np.testing.assert_allclose(moved[1], transform(digits[1:2], shift=(-2, 0))[0])


def test_the_same_seed_gives_the_same_batch_and_another_seed_another(digits):
    first = augment(digits, (7, 0, 3))
    np.testing.assert_array_equal(first, augment(digits, (7, 0, 3)))
    assert not np.allclose(first, augment(digits, (7, 1, 3)))
    assert first.shape == digits.shape and first.dtype == np.float32
    assert first.min() >= 0.0 and first.max() <= 1.0


def test_random_changes_stay_within_their_ranges(digits):
    """A draw of ±3 px shifts alone moves no centre of mass by more than 3 px, and most by some."""
    only_shift = Augmentation(rotation_degrees=0, shift_pixels=3, zoom=(1, 1), shear=0, aspect=0, stroke=(0, 0))
    shifted = augment(digits, 1, only_shift)
    moves = np.array(
        [np.subtract(ndimage.center_of_mass(a), ndimage.center_of_mass(b)) for a, b in zip(shifted, digits)]
    )
    assert np.abs(moves).max() <= 3.05 and np.abs(moves).mean() > 0.5


def test_a_channel_axis_is_kept(digits):
    assert augment(digits[..., None], 0).shape == (20, 28, 28, 1)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda d: transform(d[0]), "put a single digit in a batch"),
        (lambda d: transform(d * 255), "divide uint8 digits"),
        (lambda d: transform(d, shift=3), "shift is (across, down)"),
        (lambda d: transform(d, zoom=[1, 2]), "zoom must be a finite number, or one per image (20)"),
        (lambda d: transform(d, rotation_degrees=float("nan")), "rotation_degrees must be a finite number"),
        (lambda d: Augmentation(zoom=(1.2, 0.8)), "zoom is a range (low, high)"),
        (lambda d: Augmentation(rotation_degrees=-5), "rotation_degrees is a limit of at least 0"),
    ],
)
def test_bad_arguments_are_explained(digits, call, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call(digits)


def test_bilinear_reads_as_scipy_map_coordinates_does(digits):
    rng = np.random.default_rng(0)
    rows, cols = rng.uniform(-3, 31, (2, len(digits), 28, 28))  # inside, on and beyond the edges
    batch = np.broadcast_to(np.arange(len(digits))[:, None, None], rows.shape)
    expected = ndimage.map_coordinates(digits, [batch, rows, cols], order=1, mode="grid-constant", cval=0.0)
    np.testing.assert_allclose(bilinear(digits, rows, cols), expected, atol=1e-5)
