"""Streamlit glue for the Draw page's invariance lab: move, turn and scale the digit; three networks' confidence.

Session state: draw_lab_across, draw_lab_down, draw_lab_rotation, draw_lab_scale (the sliders; see
cnnviz.data.invariance.MOVES). TensorFlow is imported inside the functions that need it.
"""

import streamlit as st

from cnnviz.data.invariance import MOVES, Pose, breaking_point, pose_images
from cnnviz.figures.invariance import NETWORK_STYLES, confidence_figure
from cnnviz.figures.network import picture_figure
from cnnviz.ui.charts import show_chart

THRESHOLD = 0.5  # below this, the lab says a network has lost the digit


@st.cache_resource(show_spinner="Loading the course CNN and the dense network…")
def _lab_models():
    from cnnviz.ml.invariance import load_lab_models
    from cnnviz.ui.models import shipped_model

    return load_lab_models(shipped=shipped_model())  # read-only, shared by every session


def lab_models():
    """{name: model} of the three networks, or None after saying why they cannot be used."""
    from cnnviz.ml.models import ModelLoadError

    try:
        return _lab_models()
    except ModelLoadError as error:
        st.error(f"The invariance lab needs its networks: {error}")
        return None


def _reset():
    for move in MOVES:
        st.session_state.pop(f"draw_lab_{move}", None)


def pose_sliders():
    """A slider per move, in two columns; returns the Pose they describe."""
    values = {}
    columns = st.columns(2)
    for index, (move, spec) in enumerate(MOVES.items()):
        key = f"draw_lab_{move}"
        st.session_state.setdefault(key, 1.0 if move == "scale" else 0)
        number = float if isinstance(spec["step"], float) else int
        values[move] = columns[index // 2].slider(
            spec["label"], number(spec["low"]), number(spec["high"]), step=number(spec["step"]), key=key
        )
    st.button("Back to the digit as drawn", icon=":material/restart_alt:", on_click=_reset, key="draw_lab_reset")
    return Pose(**values)


def show_lab(digit):
    """The lab for a Digit of the Draw page: the moved digit, the networks' confidence now and along each move."""
    from cnnviz.ml.invariance import confidence_curve, confidence_now, readings

    models = lab_models()
    if models is None:
        return
    st.markdown(
        "Move, turn or scale the digit **without re-centring it**, and watch three networks read it: the "
        "shipped CNN (trained with augmentation), the course CNN and a plain dense network (MLP), the last two "
        "trained on MNIST's centred digits as they are. The curves show each network's confidence as one move "
        "grows, the others held where the sliders are."
    )
    read = readings(models, digit.image)
    picture_column, controls_column = st.columns([1, 2], gap="large")
    with controls_column:
        digit_value = st.selectbox(
            "The digit you drew is a",
            range(10),
            index=digit.true_label if digit.true_label is not None else read["shipped"],
            help="Starts at the label (a test digit) or at what the shipped CNN reads; correct it if it is wrong.",
        )
        pose = pose_sliders()
    moved = pose_images(digit.image, [pose])[0]
    show_chart(
        picture_figure(moved, title="what the networks read", height=260),
        key="draw_lab_digit",
        container=picture_column,
    )
    now = confidence_now(models, digit.image, digit_value, pose)
    for column, (name, probability) in zip(st.columns(len(now)), now.items()):
        column.metric(f"{NETWORK_STYLES[name]['name']}: sure it is a {digit_value}", f"{probability:.0%}")
    curves = [confidence_curve(models, digit.image, digit_value, pose, move) for move in MOVES]
    for row in range(0, len(curves), 2):
        for column, curve in zip(st.columns(2), curves[row : row + 2]):
            figure = confidence_figure(
                curve.values, curve.confidence, curve.move, getattr(pose, curve.move), digit_value
            )
            show_chart(figure, key=f"draw_lab_{curve.move}_chart", container=column)
    st.markdown(breaking_text(curves, pose, digit_value))


def breaking_text(curves, pose, digit):
    """Where each network loses the digit along each move, as a list: the curves' text alternative."""
    lines = []
    for curve in curves:
        spec = MOVES[curve.move]
        start = getattr(pose, curve.move)
        parts = []
        for name, confidence in curve.confidence.items():
            below, above = breaking_point(curve.values, confidence, THRESHOLD, start=start)
            network = NETWORK_STYLES[name]["name"]
            if below == above == start or (below is not None and below == above):
                parts.append(f"{network} is not sure of it even here")
                continue
            limits = [_value(value, spec["unit"]) for value in (below, above) if value is not None]
            parts.append(f"{network} at {' and '.join(limits)}" if limits else f"{network} never, over the whole range")
        lines.append(f"- **{spec['label'].split(' (')[0]}**: " + "; ".join(parts) + ".")
    return (
        f"Where each network's confidence in a {digit} first falls below {THRESHOLD:.0%}, going both ways from "
        "where the sliders stand:\n" + "\n".join(lines)
    )


def _value(value, unit):
    return f"{value:g}×" if unit == "×" else f"{value:+g}{'°' if unit == '°' else ' px'}"
