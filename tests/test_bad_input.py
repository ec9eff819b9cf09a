"""Whatever a student (or a curious hacker) feeds in, the answer is a result or a ValueError that explains.

Property tests over matrix cells, sizes / strides / paddings, link parameters, canvas arrays and uploads,
and every page run with hostile query parameters. tests/test_core_matrix.py and tests/test_core_url_state.py hold the
text-only properties; these add typed values, numbers at the edges and the other inputs.
"""

import io
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from PIL import Image

from cnnviz.core.matrix import LIMIT, parse_matrix
from cnnviz.core.ops import conv2d_steps, output_size, pool2d_steps
from cnnviz.core.url_state import read_view
from cnnviz.data.drawing import canvas_to_mnist
from cnnviz.data.uploads import MAX_UPLOAD_BYTES, WORKING_SIDE, read_digit_image
from cnnviz.ui import links
from testkit.apptest import app_pages, open_page

ROOT = Path(__file__).resolve().parent.parent
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def explains(error):
    """A sentence a student can read: words, not just a type name or a number."""
    text = str(error)
    return len(text) > 20 and " " in text and "Traceback" not in text


# -- matrix cells ---------------------------------------------------------------------------------

CELLS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.sampled_from(["", " ", "nan", "NaN", "-inf", "inf", "1e400", "-1e400", "1,5", "−3", "0x10", "1_000", "⅓"]),
    st.text(max_size=8),
    st.none(),
)


@FAST
@given(st.lists(st.lists(CELLS, min_size=3, max_size=3), min_size=1, max_size=3))
def test_any_typed_cell_gives_finite_bounded_numbers_or_an_explained_error(rows):
    try:
        values = parse_matrix(rows, name="input")
    except ValueError as error:
        assert explains(error) and "of the input" in str(error)
    else:
        assert values.shape == (len(rows), 3)
        assert np.all(np.isfinite(values)) and np.all(np.abs(values) <= LIMIT)


# -- sizes, strides and paddings ------------------------------------------------------------------

GEOMETRY = st.one_of(
    st.integers(min_value=-5, max_value=40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["2", "a", None, 1.5, 2.0, np.int64(3), 10**400, -(10**400)]),
)


@FAST
@given(n=GEOMETRY, kernel=GEOMETRY, stride=GEOMETRY, padding=GEOMETRY)
def test_any_geometry_gives_an_output_size_or_an_explained_error(n, kernel, stride, padding):
    try:
        size = output_size(n, kernel, stride, padding)
    except ValueError as error:
        assert explains(error)
    else:
        assert isinstance(size, int | np.integer) and size >= 1


@FAST
@given(
    image=hnp.arrays(np.float64, hnp.array_shapes(min_dims=2, max_dims=3, min_side=1, max_side=9)),
    kernel_side=st.integers(min_value=1, max_value=10),
    stride=st.integers(min_value=-1, max_value=4),
    padding=st.integers(min_value=-1, max_value=3),
)
def test_convolution_of_any_small_array_gives_steps_or_an_explained_error(image, kernel_side, stride, padding):
    kernel = np.ones((kernel_side, kernel_side))
    try:
        steps = conv2d_steps(image, kernel, stride, padding)
    except ValueError as error:
        assert explains(error)
    else:
        assert np.all(np.isfinite(steps.output)) or not np.all(np.abs(image) < 1e300)


@FAST
@given(
    x=hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=4, min_side=0, max_side=7)),
    size=st.integers(min_value=-1, max_value=8),
    stride=st.integers(min_value=-1, max_value=4),
    mode=st.sampled_from(["max", "average", "min", ""]),
)
def test_pooling_of_any_array_gives_steps_or_an_explained_error(x, size, stride, mode):
    try:
        steps = pool2d_steps(x, size, stride, mode)
    except ValueError as error:
        assert explains(error)
    else:
        assert steps.output.shape[:2] == (output_size(x.shape[0], size, stride), output_size(x.shape[1], size, stride))


# -- link parameters ------------------------------------------------------------------------------

HOSTILE_TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "1e999;nan",
            "1,2;3,4;5",
            ";;;",
            "," * 700,
            "9" * 5000,
            "<script>alert(1)</script>",
            "../../etc/passwd",
            "%00",
            "²",
            "١٢",
            "-1",
            "1.0",
            " 1",
        ]
    ),
)
FIELD_NAMES = sorted({field.name for field in (*links.CONVOLUTION, *links.POOLING, links.STEP)})


@FAST
@given(st.dictionaries(st.sampled_from([*FIELD_NAMES, "present", "utm_source"]), HOSTILE_TEXT))
def test_pooling_links_give_values_or_notices_never_an_exception(params):
    values, notices = read_view((*links.POOLING, links.STEP), params)
    known = {field.name for field in (*links.POOLING, links.STEP)}
    assert len(values) + len(notices) == len(set(params) & known)
    assert all(notice.endswith("using the default instead.") for notice in notices)


# -- canvas arrays --------------------------------------------------------------------------------


def canvas_arrays():
    dtype = st.sampled_from([np.uint8, np.float32, np.float64, np.bool_, np.int64, np.uint16, np.float16])
    shape = st.one_of(
        hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=40),
        st.tuples(st.integers(1, 40), st.integers(1, 40), st.sampled_from([1, 2, 3, 4, 5])),
        st.sampled_from([(0,), (280, 280, 4), (1, 280, 4), (280, 1), (3, 500)]),
    )
    return st.builds(lambda d, s: (d, s), dtype, shape).flatmap(lambda ds: hnp.arrays(ds[0], ds[1]))


def check_canvas(array):
    try:
        image = canvas_to_mnist(array)
    except ValueError as error:
        assert explains(error)
    else:
        if image is not None:
            assert image.shape == (28, 28) and image.dtype == np.float32
            assert np.all(np.isfinite(image)) and image.min() >= 0 and image.max() <= 1


@FAST
@given(canvas_arrays())
def test_any_canvas_array_gives_a_digit_none_or_an_explained_error(array):
    check_canvas(array)


@pytest.mark.parametrize(
    "array",
    [
        np.zeros((280, 280, 4), np.uint8),  # nothing drawn, transparent
        np.full((280, 280, 4), 255, np.uint8),  # all white, opaque
        np.zeros((280, 280, 3), np.uint8),  # all black
        np.ones((280, 280), np.float32),  # all ink
        np.pad(np.full((1, 1, 4), 255, np.uint8), ((140, 139), (140, 139), (0, 0))),  # one pixel
        np.random.default_rng(0).integers(0, 256, (280, 280, 4), dtype=np.uint8),  # noise
        np.random.default_rng(1).random((17, 333)),  # odd size, float noise
        np.full((280, 280, 4), np.nan, np.float32),
    ],
    ids=["transparent", "white", "black", "all-ink", "one-pixel", "noise", "odd-size", "nan"],
)
def test_edge_canvases_give_a_digit_none_or_an_explained_error(array):
    check_canvas(array)


# -- uploads --------------------------------------------------------------------------------------


def encoded(array, format, **options):
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format=format, **options)
    return buffer.getvalue()


def check_upload(data):
    try:
        pixels = read_digit_image(data, name="the upload")
    except ValueError as error:
        assert explains(error) and "the upload" in str(error)
    else:
        assert pixels.dtype == np.uint8 and pixels.ndim == 3 and pixels.shape[2] in (3, 4)
        assert max(pixels.shape[:2]) <= WORKING_SIDE


@FAST
@given(st.binary(max_size=2000))
def test_any_bytes_give_a_picture_or_an_explained_error(data):
    check_upload(data)


REAL_PICTURES = [
    encoded(np.random.default_rng(0).integers(0, 256, (60, 40, 3), dtype=np.uint8), "PNG"),
    encoded(np.random.default_rng(1).integers(0, 256, (60, 40, 3), dtype=np.uint8), "JPEG", quality=90),
    encoded(np.random.default_rng(2).integers(0, 256, (30, 30, 4), dtype=np.uint8), "PNG"),
]


@FAST
@given(picture=st.sampled_from(REAL_PICTURES), cut=st.floats(min_value=0.0, max_value=1.0))
def test_a_picture_cut_anywhere_gives_a_picture_or_an_explained_error(picture, cut):
    check_upload(picture[: math.floor(len(picture) * cut)])


@FAST
@given(picture=st.sampled_from(REAL_PICTURES), position=st.integers(0, 10**6), byte=st.integers(0, 255))
def test_a_picture_with_a_damaged_byte_gives_a_picture_or_an_explained_error(picture, position, byte):
    damaged = bytearray(picture)
    damaged[position % len(damaged)] = byte
    check_upload(bytes(damaged))


@pytest.mark.parametrize("mode", ["1", "L", "LA", "P", "I;16", "RGBA", "CMYK"])
def test_pictures_in_every_mode_pillow_writes_are_read_or_explained(mode):
    picture = Image.new(mode, (50, 70))
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG" if mode == "CMYK" else "PNG")
    check_upload(buffer.getvalue())


def test_a_huge_image_is_refused_by_its_header_before_decoding():
    header_only = encoded(np.zeros((8, 8), np.uint8), "PNG")
    width_height = (30_000).to_bytes(4, "big") * 2  # IHDR claims 30,000 × 30,000 pixels
    bomb = header_only[:16] + width_height + header_only[24:]
    with pytest.raises(ValueError, match="pixels|picture"):
        read_digit_image(bomb, name="the upload")


def test_a_file_over_the_byte_limit_is_refused_without_reading_it():
    with pytest.raises(ValueError, match="MB"):
        read_digit_image(b"\x89PNG" + bytes(MAX_UPLOAD_BYTES), name="the upload")


# -- every page with hostile query parameters -----------------------------------------------------


MODEL_PAGES = ("Fully connected", "Training", "Draw and predict")  # these load TensorFlow
PAGES = [
    pytest.param(path, marks=pytest.mark.tf) if title in MODEL_PAGES else path
    for title, path in sorted(app_pages().items(), key=lambda item: item[1])
]
HOSTILE_PARAMS = {
    "input": "1e999;nan;<b>x</b>",
    "filter": "9" * 700,
    "stride": "-1",
    "padding": "999",
    "window": "0",
    "activation": "__import__('os')",
    "digit": "99999999999999999999",
    "step": "²",
    "quiz": "1;DROP TABLE",
    "present": "<script>alert(1)</script>",
    "page": "../../etc/passwd",
}


@pytest.mark.parametrize("page", PAGES)
def test_every_page_survives_hostile_query_parameters(page):
    app = open_page(page, query=HOSTILE_PARAMS)
    assert not app.exception, app.exception
