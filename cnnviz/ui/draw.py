"""Streamlit glue for the Draw page: the digit's sources and its views (the models are in cnnviz.ui.models).

Session state (set up in `init_state`, or by `cnnviz.ui.state.remember` just before the widget that owns
the key, which keeps the value in `<key>__kept` while the widget is not shown):
  draw_source       "Draw", "MNIST test digit" or "Upload a picture"
  draw_pen          pen width on the canvas, in canvas pixels
  draw_mnist_index  which test digit of the bundled sample is shown
  draw_model        "shipped" or "session": which model reads the digit (cnnviz.ui.models.choose_model)
  draw_view         the open tab (only the open one is computed)
  draw_why_digit    the digit the student compares with ("why not a 7?"), None for the runner-up
  draw_method       "Grad-CAM", "LayerCAM" or "Saliency"
  draw_channel_<layer>     the channel enlarged for each conv or pooling layer (its number input)
TensorFlow is imported inside the functions that need it, so importing this module stays quick.
"""

import hashlib
from dataclasses import dataclass

import numpy as np
import streamlit as st

from cnnviz.core.input_layer import normalise
from cnnviz.core.numbers import format_value, value_range
from cnnviz.data.mnist import load_sample, sample_digit
from cnnviz.figures import network as network_figures
from cnnviz.figures.matrix import matrix_figure
from cnnviz.ui.charts import show_chart
from cnnviz.ui.models import inspector_for
from cnnviz.ui.state import DRAW_CANVAS_VERSION, DRAW_MNIST_INDEX, DRAW_SOURCE, remember

CANVAS_SIDE = 280
PEN_WIDTHS = (10, 40, 20)  # smallest, largest, default; MNIST strokes are about 2 of 28 pixels
NOT_SURE_BELOW = 0.6  # below this top probability the page says the model is not sure
SOURCES = ("Draw", "MNIST test digit", "Upload a picture")
VIEWS = ("What the model sees", "Inside the network", "Why this digit?", "Look closer", "Move it")
METHODS = ("Grad-CAM", "LayerCAM", "Saliency")


def init_state():
    DRAW_SOURCE.setdefault(SOURCES[0])
    DRAW_MNIST_INDEX.setdefault(_random_test_digit())


def _random_test_digit():
    return int(np.random.default_rng().integers(len(load_sample()[1][1])))


# -- the digit ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Digit:
    """What the model reads, and where it came from."""

    image: np.ndarray  # (28, 28) float32 in [0, 1]
    steps: object  # cnnviz.data.drawing.PreprocessSteps, or None for an MNIST digit (already prepared)
    true_label: int | None = None  # known for MNIST test digits
    reading_slot: object = None  # a place right under the canvas for the phone's one-line reading


def digit_input():
    """The source picker and the chosen source's widget; returns a Digit, or None (with a prompt)."""
    source = st.segmented_control("Digit", SOURCES, key=DRAW_SOURCE.name, required=True, label_visibility="collapsed")
    if source == SOURCES[1]:
        return _mnist_digit()
    if source == SOURCES[2]:
        return _uploaded_digit()
    return _drawn_digit()


def st_canvas(**options):
    """streamlit-drawable-canvas's canvas, imported on first use: it registers itself with the running app."""
    from streamlit_drawable_canvas import st_canvas as canvas

    return canvas(**options)


def canvas_drawing(pen_width, key="draw_canvas"):
    """The 280×280 black canvas with a white pen: its RGBA image (280, 280, 4), or None before a stroke."""
    result = st_canvas(
        stroke_width=pen_width,
        stroke_color="#FFFFFF",
        background_color="#000000",
        height=CANVAS_SIDE,
        width=CANVAS_SIDE,
        drawing_mode="freedraw",
        return_image_data=True,
        update_streamlit=True,
        key=key,
    )
    if not (result.json_data or {}).get("objects"):
        return None  # nothing drawn yet, or everything undone / cleared
    return result.image_data


def _drawn_digit():
    from cnnviz.data.drawing import canvas_to_mnist_steps

    def clear():
        DRAW_CANVAS_VERSION.set(DRAW_CANVAS_VERSION.get(0) + 1)

    low, high, _ = PEN_WIDTHS
    pen = remember("draw_pen", PEN_WIDTHS[2])
    drawing = canvas_drawing(st.session_state[pen], key=f"draw_canvas_{DRAW_CANVAS_VERSION.get(0)}")
    reading_slot = st.empty()
    st.button("Clear the canvas", icon=":material/delete:", on_click=clear, key="draw_clear")
    st.caption(
        "Draw one digit, large, with the mouse or a finger; **Clear the canvas** starts again. With a mouse, "
        "hovering over the canvas also shows its own small buttons: undo, redo, the bin, and a pencil (Edit) "
        "that moves strokes instead of drawing: click the pencil again to draw."
    )
    st.slider("Pen width", low, high, key=pen, help="MNIST strokes are thick: about 2 of the 28 pixels.")
    steps = None if drawing is None else canvas_to_mnist_steps(drawing)
    if steps is None:
        return None
    return Digit(steps.final, steps, reading_slot=reading_slot)


def _mnist_digit():
    def another():
        DRAW_MNIST_INDEX.set(_random_test_digit())

    st.button("Another test digit", icon=":material/casino:", on_click=another)
    index = DRAW_MNIST_INDEX.get()
    pixels, label = sample_digit(index)
    st.image(np.kron(pixels, np.ones((10, 10), np.uint8)), width=CANVAS_SIDE)  # crisp 10× pixels
    st.caption(
        f"MNIST test digit no. {index}, labelled **{label}** by a person. "
        "MNIST digits are already 28×28 and centred, so they go to the network as they are."
    )
    return Digit(normalise(pixels), None, label)


UPLOAD_MEMO = "draw_upload_decoded"  # (content hash, name, picture, steps, problem) of the latest upload


def decode_upload_once(data, name, memo):
    """(picture, steps to 28×28, None) or (None, None, the sentence saying what is wrong) for an upload.

    Decoded once per file: `memo` (the session state) keeps the latest upload's result under the hash of
    its bytes, so the reruns of a session with a picture on screen decode nothing again, and a session
    holds one decoded picture at most (at most WORKING_SIDE² pixels, however large the upload).
    """
    from cnnviz.data.drawing import canvas_to_mnist_steps
    from cnnviz.data.uploads import read_digit_image

    key = (hashlib.sha256(data).hexdigest(), name)
    kept = memo.get(UPLOAD_MEMO)
    if kept is None or kept[0] != key:
        try:
            picture = read_digit_image(data, name=name)
            kept = (key, picture, canvas_to_mnist_steps(picture), None)
        except ValueError as error:
            kept = (key, None, None, str(error))
        memo[UPLOAD_MEMO] = kept
    return kept[1:]


def _uploaded_digit():
    from cnnviz.data.uploads import MAX_UPLOAD_BYTES

    upload = st.file_uploader(
        f"A PNG or JPEG picture of one digit (up to {MAX_UPLOAD_BYTES // 1024 // 1024} MB)",
        type=["png", "jpg", "jpeg"],
        key="draw_upload",
    )
    st.caption("Dark ink on light paper or light ink on a dark background both work; crop close to the digit.")
    if upload is None:
        st.session_state.pop(UPLOAD_MEMO, None)
        return None
    picture, steps, problem = decode_upload_once(upload.getvalue(), f"“{upload.name}”", st.session_state)
    if problem is not None:
        st.error(problem)
        return None
    st.image(picture, width=CANVAS_SIDE)
    if steps is None:
        st.warning("No digit found in this picture: it looks blank. Try a picture with darker, thicker ink.")
        return None
    return Digit(steps.final, steps)


# -- the views ----------------------------------------------------------------------------------


def show_prompt():
    if DRAW_SOURCE.get() == SOURCES[2]:
        st.info("Upload a picture of one digit, and the network will read it.", icon=":material/upload:")
    else:
        st.info(
            "Draw a digit from 0 to 9 on the black square, and the network will read it as you draw.",
            icon=":material/draw:",
        )


def show_reading_line(probabilities, slot=None):
    """One line under the canvas (in `slot`), on a phone only: the reading stays in view while drawing."""
    from cnnviz.core.reading import read_probabilities

    reading = read_probabilities(probabilities, NOT_SURE_BELOW)
    verdict = f"{reading.probability:.0%} sure" if reading.sure else "not sure"
    line = f"The network reads <b>{reading.digit}</b> ({verdict})"
    if reading.verdict == "not a digit":
        line = "The network sees no digit here"
    (slot or st).markdown(
        f"<p class='cnnviz-phone-only' aria-hidden='true'>{line}: more below.</p>",
        unsafe_allow_html=True,
    )


def show_prediction(probabilities, true_label=None):
    """The top digit, large; 'not sure' below the threshold; a bar for every digit."""
    from cnnviz.core.reading import read_probabilities

    reading = read_probabilities(probabilities, NOT_SURE_BELOW)
    colour = "inherit" if reading.sure else "#888888"
    st.markdown(
        f"<div style='font-size:0.95rem'>The network reads</div>"
        f"<div class='cnnviz-reading' style='font-size:6rem;font-weight:700;line-height:1;color:{colour}'>"
        f"{reading.digit}</div>",
        unsafe_allow_html=True,
    )
    if reading.sure:
        st.markdown(f"**{reading.probability:.1%}** sure.")
    elif reading.verdict == "not a digit":
        st.warning(
            f"This does not look like a digit to the network: no digit gets more than {reading.probability:.0%}. "
            "Draw one digit from 0 to 9, large, with clear strokes."
        )
    else:
        others = " or ".join(f"a **{digit}** ({p:.0%})" for digit, p in reading.candidates)
        st.warning(
            f"Not sure: it could be {others}. Below {NOT_SURE_BELOW:.0%} the network is guessing. "
            "Try drawing the digit larger, with one clear stroke."
        )
    if true_label is not None:
        verdict = ":material/check_circle: right" if true_label == reading.digit else ":material/cancel: wrong"
        st.markdown(f"The person who labelled it wrote **{true_label}**: {verdict}.")
    figure = network_figures.probability_figure(probabilities, threshold=NOT_SURE_BELOW, height=240)
    show_chart(figure, key="draw_probabilities")


def views():
    """The tabs; only the open one is computed. Returns the tab containers."""
    return st.tabs(VIEWS, key=remember("draw_view", VIEWS[0]), on_change="rerun")


def show_preprocessing(digit):
    """From the drawing to the 28×28 numbers, one picture per step, and the numbers themselves."""
    steps = digit.steps
    if steps is not None:
        st.markdown(
            "The network was trained on MNIST, where every digit was cropped, scaled to fit a 20×20 box "
            "and centred by its centre of mass in 28×28 pixels. Your drawing goes through the same steps."
        )
        pictures = (
            (steps.grey, f"1. Grey, {_size(steps.grey)}: the ink boxed", None, steps.box),
            (steps.cropped, f"2. Cropped: {_size(steps.cropped)}", None, None),
            (steps.fitted, f"3. Fitted in 20×20: {_size(steps.fitted)}", None, None),
            (steps.centred, "4. In 28×28: + centre of mass", steps.centre_of_mass, None),
            (steps.final, "5. Shifted: + to the centre", (14.0, 14.0), None),
        )
        for column, (image, title, marker, box) in zip(st.columns(len(pictures)), pictures, strict=True):
            figure = network_figures.picture_figure(image, title=title, marker=marker, box=box, height=200)
            show_chart(figure, container=column)
        rows, cols = steps.shift
        st.caption(f"Step 5 moved the digit {_moved(rows, 'down', 'up')} and {_moved(cols, 'right', 'left')}.")
    st.markdown("**What the network receives: 784 numbers**, 0 for black, 1 for white (hover for exact values).")
    figure = matrix_figure(digit.image, numbers=True, decimals=1, size=640, zrange=(0.0, 1.0))
    show_chart(figure, width=680)


def show_network(choice, image):
    """Every layer's output for this digit: feature maps, pooled maps, dense activations, softmax."""
    from cnnviz.ml.inspector import CONV, DENSE, POOL

    inspector = inspector_for(choice)
    if inspector is None:
        return
    activations = inspector.activations(image)
    st.caption("The path of your digit: " + " → ".join(_flow(activations)))
    for stage in activations.layers:
        st.subheader(f"{stage.name}: {stage.description}")
        if stage.kind == CONV:
            st.markdown(_CONV_TEXT)
        elif stage.kind == POOL:
            st.markdown(_POOL_TEXT)
        if stage.kind in (CONV, POOL):
            _show_maps(stage, first=stage is activations.layers[0])
        elif stage.kind == DENSE:
            st.markdown(_DENSE_TEXT.format(units=stage.values.size))
            figure = network_figures.activation_figure(stage.values)
            show_chart(figure, key=f"draw_dense_{stage.name}")
    st.subheader("Output: ten scores, then the softmax")
    st.markdown(
        "The last layer gives each digit a **score** (any number). The **softmax** turns the scores into "
        "probabilities that add up to 100%: the highest score gets the biggest share."
    )
    scores_column, softmax_column = st.columns(2)
    show_chart(
        network_figures.score_figure(activations.scores, title="Scores"), key="draw_scores", container=scores_column
    )
    show_chart(
        network_figures.probability_figure(activations.probabilities, title="Softmax: probabilities"),
        key="draw_softmax",
        container=softmax_column,
    )


def _show_maps(stage, first):
    """The grid of every channel, and one channel at full size in an expander computed only when open."""
    maps = stage.values  # (H, W, C)
    height, width, channels = maps.shape
    strongest = int(np.argmax(maps.reshape(-1, channels).max(axis=0)))  # the highest peak
    key = f"draw_channel_{stage.name}"
    if st.session_state.get(f"{key}__kept", 0) >= channels:  # another model, with fewer channels
        st.session_state.pop(key, None)
        st.session_state.pop(f"{key}__kept")
    channel = st.session_state[remember(key, strongest)]
    grid_column, channel_column = st.columns([3, 2])
    closer = channel_column.expander(
        "One channel at full size, with its numbers", key=remember(f"{key}_open", first), on_change="rerun"
    )
    if closer.open:
        with closer:
            channel = st.number_input(f"Channel (0–{channels - 1})", 0, channels - 1, key=key)
            figure = matrix_figure(maps[:, :, channel], numbers=height <= 14, decimals=1, size=300)
            show_chart(figure, key=f"{key}_figure")
            st.caption(f"Channel {channel}, {height}×{width}. Channel {strongest} has the highest peak here.")
    low, high = value_range(maps)
    title = f"{channels} maps of {height}×{width}, numbered left to right from 0"
    figure = network_figures.feature_maps_figure(maps, selected=channel, title=title, per_channel=low < 0)
    show_chart(figure, key=f"{key}_grid", container=grid_column)
    if low < 0:
        grid_column.caption(
            "Batch normalisation (“batch-normalised” above) rescales each map to values around 0, which steadies "
            "training; so its zero no longer means “nothing found”: "
            "each tile is shown on its own scale, black its lowest value and white its highest."
        )
    else:
        grid_column.caption(f"Black 0 to white {format_value(high)}, one scale for all maps.")


def show_explanations(choice, image, probabilities):
    """Grad-CAM, LayerCAM or saliency for the predicted digit and a digit the student picks ("why not a 7?")."""
    inspector = inspector_for(choice)
    if inspector is None:
        return
    ranking = np.argsort(probabilities)[::-1]
    predicted, runner_up = int(ranking[0]), int(ranking[1])
    st.markdown(
        "An **evidence map** colours the pixels that made the network choose a digit. Three ways to draw one: "
        "**Grad-CAM** and **LayerCAM** ask the last convolution layer's feature maps, **Saliency** asks the "
        "input pixels themselves. Pick one to read how it works."
    )
    method = st.segmented_control("Method", METHODS, key=remember("draw_method", METHODS[0]), required=True)
    st.markdown(_METHOD_TEXT[method])
    picked = st.segmented_control(
        f"Why not…? Pick a digit to compare with (none picked: the runner-up, {runner_up})",
        list(range(10)),
        key=remember("draw_why_digit", None),
    )
    other = runner_up if picked is None or picked == predicted else int(picked)
    if picked == predicted:
        st.caption(f"{predicted} is the network's own reading; it is compared with the runner-up, {runner_up}.")
    explanations = inspector.explain(image, [predicted, other])
    for column, explanation, role in zip(st.columns(2), explanations, ("predicted", "compared"), strict=True):
        heat = {"Grad-CAM": explanation.grad_cam, "LayerCAM": explanation.layer_cam}.get(method, explanation.saliency)
        title = f"Evidence for {explanation.digit} ({role}, {explanation.probability:.1%})"
        figure = network_figures.overlay_figure(image, heat, title=title, height=320)
        show_chart(figure, key=f"draw_explain_{role}", container=column)
        column.caption(f"Score for {explanation.digit} before the softmax: {explanation.score:.2f}.")
        if not heat.any():
            column.info(
                f"{method} finds no positive evidence for {explanation.digit} here: at layer "
                f"{explanation.conv_layer}, every map's average gradient lowers this score. LayerCAM, which "
                "weighs each position of each map on its own, still shows where the evidence is.",
                icon=":material/info:",
            )
    place = f"layer {explanations[0].conv_layer}, stretched back to 28×28"
    if method == "Saliency":
        place = "the model's 28×28 input"
    st.caption(
        "Bright yellow marks the strongest evidence, dark purple little, black none; each map is scaled to its own "
        f"maximum. This map is computed on {place}."
    )


def _flow(activations):
    parts = ["input 28×28"]
    flattened = False
    for stage in activations.layers:
        shape = stage.values.shape
        if len(shape) == 1 and not flattened:
            flattened = True
            previous = activations.layers[activations.layers.index(stage) - 1].values
            parts.append(f"flatten {previous.size:,}")
        parts.append(f"{stage.name} {'×'.join(str(side) for side in shape)}")
    parts.append("softmax 10")
    return parts


def _size(image):
    return f"{image.shape[1]}×{image.shape[0]}"


def _moved(pixels, positive, negative):
    if abs(pixels) < 0.05:
        return f"not {positive} or {negative}"
    return f"{abs(pixels):.1f} px {positive if pixels > 0 else negative}"


_CONV_TEXT = (
    "Each tile is the feature map of one filter: bright where the filter found its pattern (an edge, a "
    "stroke in one direction, a corner) in the layer's input. Early layers find simple strokes; deeper "
    "layers combine them into parts of digits, on smaller and smaller maps."
)
_POOL_TEXT = (
    "Pooling shrinks every map, keeping the strongest signal of each 2×2 window: the same patterns, a "
    "quarter of the numbers, and a little tolerance to where exactly they appeared."
)
_DENSE_TEXT = (
    "**Flatten** lines up all the pooled numbers in one list. Each of the {units} units of this fully "
    "connected layer weighs every number of that list, adds them up and keeps the sum if it is positive (relu)."
)
_METHOD_TEXT = {
    "Grad-CAM": (
        "**Grad-CAM** asks the last convolution layer: *which of your feature maps, and where, pushed this "
        "digit's score up?* Each map is weighted by how much the score grows with it on average, the weighted "
        "maps are summed, and only positive evidence is kept."
    ),
    "LayerCAM": (
        "**LayerCAM** refines Grad-CAM: every position of every feature map of the last convolution layer is "
        "weighted by how much the score grows with it *there*, so evidence in one place is not cancelled by "
        "another. It stays sharp on early layers, like the only conv layer of the course model."
    ),
    "Saliency": (
        "**Saliency** asks every input pixel: *if you changed a little, how much would this digit's score "
        "change?* It is the gradient of the score with respect to the 784 pixels, shown as its size."
    ),
}
