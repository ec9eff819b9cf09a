"""The input layer: an image is a grid of numbers, scaled to 0–1, one channel for grey and three for colour."""

import streamlit as st

from cnnviz.core import input_layer
from cnnviz.data.mnist import load_sample
from cnnviz.figures.input_layer import digit_with_window, rgb_figure
from cnnviz.figures.matrix import matrix_figure
from cnnviz.ui.charts import show_chart, show_matrix
from cnnviz.ui.course import pick_test_digit

st.title("The input layer: an image is a grid of numbers")
st.markdown(
    "A network never sees a picture, only numbers. A grey MNIST digit is **28×28 = 784 pixels**, each a "
    "whole number from **0 (black) to 255 (white)**. Before training, every value is divided by 255, so "
    "the network receives numbers from **0 to 1**."
)

# px: the numbers are sized for this side, and a column of three on a 1400-pixel laptop beside the sidebar
# is about 330 px wide; a figure drawn for more is shrunk by the browser and its numbers run together.
# Presentation mode, without the sidebar, draws them at the projector's size (show_matrix).
MATRIX_SIDE = 320

picker, size_column, row_column, col_column = st.columns([1.2, 0.8, 1, 1])
with picker:
    index, digit, label = pick_test_digit("input_digit")
WINDOW = size_column.selectbox(
    "Window", input_layer.WINDOW_SIZES, index=1, format_func=lambda n: f"{n}×{n}", key="input_window"
)
row = row_column.slider("Window: top row", 0, input_layer.LAST_WINDOW_START, 10, key="input_window_row")
col = col_column.slider("Window: left column", 0, input_layer.LAST_WINDOW_START, 10, key="input_window_col")
origin = input_layer.window_origin(row, col, WINDOW, input_layer.DIGIT_SIDE)
crop = input_layer.window(digit, *origin, WINDOW)

whole, raw, scaled = st.columns([1, 1.2, 1.2])
show_chart(digit_with_window(digit, origin, WINDOW, title=f"Test digit {index}: a {label}"), container=whole)
show_matrix(
    crop,
    title="Pixel values 0–255",
    zrange=(0, input_layer.PIXEL_MAX),
    size=MATRIX_SIDE,
    key="input_raw",
    container=raw,
)
show_matrix(
    input_layer.normalise(crop),
    title="÷ 255: values 0–1",
    zrange=(0, 1),
    decimals=2,
    size=MATRIX_SIDE,
    key="input_scaled",
    container=scaled,
)
(first_row, last_row), (first_col, last_col) = input_layer.window_span(origin, WINDOW)
bright_row, bright_col, value = input_layer.brightest_pixel(crop, origin)
st.markdown(
    f"The window shows rows {first_row}–{last_row} and columns {first_col}–{last_col} (numbered from 0). "
    f"Its brightest pixel, row {bright_row}, column {bright_col}, holds **{value}**, and the network receives "
    f"**{value} / 255 = {input_layer.normalise(value):.2f}**. Move the window with the sliders to read the rest "
    "of the digit."
)

st.header("Colour: three numbers per pixel")
st.markdown(
    "A colour pixel mixes **red, green and blue** light, each 0–255. A colour image is three grids of the "
    "same size, one per **channel**, stacked: this 4×4 picture is 4×4×3 = 48 numbers."
)
picture = input_layer.RGB_EXAMPLE
columns = st.columns(4)
show_chart(rgb_figure(picture, title="4×4 picture (R, G, B)"), key="input_rgb", container=columns[0])
for column, name, channel in zip(columns[1:], input_layer.CHANNEL_NAMES, input_layer.split_channels(picture)):
    show_chart(
        matrix_figure(channel, title=f"{name.capitalize()} channel", zrange=(0, input_layer.PIXEL_MAX)),
        key=f"input_{name}",
        container=column,
    )

st.header("Shapes: height, width, channels")
shapes = "\n".join(
    f"| {image} | **{shape}** | {input_layer.size_arithmetic(shape)} |" for image, shape in input_layer.EXAMPLE_SHAPES
)
st.markdown(
    f"""
| image | shape (H, W, C) | numbers |
|---|---|---|
{shapes}

A grey image has **one** channel, a colour image **three**. A convolution filter always covers every
channel: on a grey digit a 3×3 filter has 3×3×1 = 9 weights, on a colour image 3×3×3 = 27.
"""
)

st.header("A batch: (N, 28, 28, 1)")
_, (x_test, _) = load_sample()
batch = input_layer.to_model_input(x_test)
st.markdown(
    "Keras layers take a **batch** of images at once, and a Conv2D layer wants the channels as the last "
    "axis. MNIST arrives as (N, 28, 28) whole numbers, so the training code adds the channel axis and "
    "scales:"
)
st.code('x_test = x_test.reshape(-1, 28, 28, 1).astype("float32") / 255', language="python", wrap_lines=True)
pixel = f"{index}, {bright_row}, {bright_col}"
st.markdown(
    f"""
With the bundled test digits: `x_test.shape` is **{x_test.shape}**, `dtype` **{x_test.dtype}**; after the
line it is **{batch.shape}**, `dtype` **{batch.dtype}**. The `-1` lets NumPy work out N = {len(x_test):,}.
No number changes place: each pixel gets a channel axis of length one. The brightest pixel of your
window, `x_test[{pixel}]` = **{value}**, becomes `x_test[{pixel}, 0]` = {value} / 255 =
**{batch[index, bright_row, bright_col, 0]:.4f}**. The training digits go through
the same line (60,000 of them in full MNIST).
"""
)
