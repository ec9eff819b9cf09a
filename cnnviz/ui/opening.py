"""Streamlit glue for opening the trained network further on the Draw page: Grad-CAM step by step,
receptive fields, and switching filters off.

`show(choice, image, probabilities)` draws a chooser and the chosen view; only that view is computed.
Session state:
  open_view          which of VIEWS is shown
  open_cam_digit     the digit Grad-CAM explains (None: the network's reading)
  OPEN_RF_* and OPEN_EDIT_*, OPEN_KERNEL_SHOWN of cnnviz.ui.state: the receptive fields' unit, the interventions
TensorFlow is imported inside the functions that need it, so importing this module stays quick.
"""

import numpy as np
import streamlit as st

from cnnviz.core.numbers import format_value
from cnnviz.figures import network as network_figures
from cnnviz.figures.matrix import matrix_figure
from cnnviz.ui.charts import show_chart
from cnnviz.ui.models import inspector_for
from cnnviz.ui.state import remember

VIEWS = ("Grad-CAM step by step", "Receptive fields", "Switch filters off")
SHOWN_CHANNELS = 4  # the channels with the largest |α| are shown map by map


def show(choice, image, probabilities):
    """The chooser of the three views, and the chosen one for this digit."""
    inspector = inspector_for(choice)
    if inspector is None:
        return
    view = st.segmented_control("Look closer", VIEWS, key=remember("open_view", VIEWS[0]), required=True)
    if view == VIEWS[0]:
        show_grad_cam_steps(choice, inspector, image, probabilities)
    elif view == VIEWS[1]:
        from cnnviz.ui.receptive_fields import show_receptive_fields

        show_receptive_fields(inspector, image)
    else:
        from cnnviz.ui.interventions import show_interventions

        show_interventions(choice, inspector, image, probabilities)


# -- Grad-CAM step by step ----------------------------------------------------------------------


def show_grad_cam_steps(choice, inspector, image, probabilities):
    """The six steps from the last conv layer's maps to the evidence map, each a figure with its numbers."""
    predicted = int(np.argmax(probabilities))
    picked = st.segmented_control(
        f"The digit to explain (none picked: the network's reading, {predicted})",
        list(range(10)),
        key=remember("open_cam_digit", None),
    )
    digit = predicted if picked is None else int(picked)
    steps = inspector.grad_cam_steps(image, digit)
    height, width, channels = steps.maps.shape
    order = np.argsort(-np.abs(steps.alphas))[:SHOWN_CHANNELS]  # the channels that weigh most

    st.markdown(
        f"**1. The layer: {steps.layer}**, the last convolution layer, {height}×{width}×{channels}. "
        "Why this one: its maps hold the most complex patterns the network finds *that still know where they "
        "are*. After it, Flatten and the dense layers mix all positions together, so there is no map left to "
        "point at; earlier layers only find strokes, not parts of digits."
    )
    _maps(steps.maps, f"{channels} feature maps of {steps.layer}", "open_cam_maps")
    st.caption(
        f"{steps.layer}'s {channels} maps for this digit, {height}×{width} each; values from "
        f"{format_value(steps.maps.min())} to {format_value(steps.maps.max())}."
    )

    st.markdown(
        f"**2. The gradients.** For every value of every map: if it grew a little, how much would the score "
        f"for **{digit}** (now {steps.score:.2f}, before the softmax) grow? Blue: the score would grow; red: "
        "it would fall. Shown for the channels that weigh most (step 3)."
    )
    signed_channel_maps(
        steps.gradients,
        order,
        key="open_cam_gradient",
        title=lambda channel: f"channel {channel}",
        describe=lambda channel: f"Gradient of the score for {digit} over channel {channel}",
        decimals=3,
    )

    st.markdown(
        "**3. The weights α.** Each channel's α is the **mean of its gradient map**: how much the score grows, on "
        "average, when that whole map grows. A positive α means the channel is evidence *for* the digit."
    )
    show_chart(
        network_figures.activation_figure(steps.alphas, title="α for each channel", height=220),
        key="open_cam_alphas",
        alt=_alpha_sentence(steps.alphas),
    )
    st.caption(_alpha_sentence(steps.alphas))
    st.dataframe(
        {"channel": [int(c) for c in order], "α = mean of its gradient map": [float(steps.alphas[c]) for c in order]},
        hide_index=True,
    )

    weighted_extent = float(np.abs(steps.weighted).max()) or 1.0
    sum_column, relu_column, input_column = st.columns(3)
    with sum_column:
        st.markdown(f"**4. The weighted sum**: α₀ × map₀ + α₁ × map₁ + … over all {channels} channels, cell by cell.")
        _signed_map(
            steps.weighted, weighted_extent, "open_cam_weighted", _range_sentence("The weighted sum", steps.weighted)
        )
        st.caption(_range_sentence("The weighted sum", steps.weighted))
    with relu_column:
        st.markdown("**5. The ReLU**: negative cells (evidence *against* the digit) become 0.")
        _signed_map(
            steps.kept, weighted_extent, "open_cam_relu", _range_sentence("After the ReLU, the map", steps.kept)
        )
        st.caption(f"{int((steps.kept > 0).sum())} of {steps.kept.size} cells stay above 0.")
    with input_column:
        st.markdown(
            f"**6. Up to the input**: the {height}×{width} map resampled onto the 28×28 pixels each cell looks at, "
            "then divided by its maximum."
        )
        show_chart(
            network_figures.overlay_figure(image, steps.upsampled, height=260),
            key="open_cam_upsampled",
            alt=_where_sentence(steps.upsampled),
        )
        st.caption(_where_sentence(steps.upsampled))
    if not steps.kept.any():
        st.info(
            f"Every cell of the weighted sum is negative here, so Grad-CAM shows nothing for {digit}: on average "
            f"{steps.layer}'s maps lower this score. LayerCAM (on *Why this digit?*) weighs each cell on its own.",
            icon=":material/info:",
        )
    _sanity_check(choice, inspector, image, digit, steps)


def _sanity_check(choice, inspector, image, digit, steps):
    """The model randomisation test: the same map from the same architecture with random weights."""
    check = st.expander(
        "Sanity check: does the map depend on what the network learned?", key="open_cam_sanity", on_change="rerun"
    )
    if not check.open:
        return
    from cnnviz.ml.inspector import randomised_inspector, rank_similarity

    with check:
        st.markdown(
            "A heat map could look convincing and still explain nothing: an edge detector on the input would also "
            "light up the strokes. So we ask the same question of **the same network with random weights**, as "
            "before any training. If the map barely changes, it shows the picture, not the network's reasoning: "
            "the method fails the check (Adebayo et al., 2018, found some popular methods do)."
        )
        with st.spinner("Drawing random weights…"):
            random_steps = randomised_inspector(choice.model).grad_cam_steps(image, digit)
        similarity = rank_similarity(steps.upsampled, random_steps.upsampled)
        trained_column, random_column = st.columns(2)
        show_chart(
            network_figures.overlay_figure(image, steps.upsampled, title="Trained weights", height=260),
            key="open_cam_trained",
            alt=_where_sentence(steps.upsampled),
            container=trained_column,
        )
        show_chart(
            network_figures.overlay_figure(image, random_steps.upsampled, title="Random weights", height=260),
            key="open_cam_random",
            alt=_where_sentence(random_steps.upsampled),
            container=random_column,
        )
        verdict = (
            "passes: the map depends on the learned weights"
            if similarity < 0.5
            else ("is doubtful: the map changes little without the learned weights")
        )
        st.markdown(
            f"Rank correlation between the two maps: **{similarity:.2f}** (1: the same order of pixels, 0: unrelated). "
            f"Grad-CAM here {verdict}."
        )


def signed_channel_maps(maps, channels, *, key, title, describe, shared_scale=False, decimals=2):
    """Signed maps of some channels of `maps` (h, w, C) side by side, each with its numbers when they fit.

    Blue above zero, red below; each on its own symmetric scale, or one for all with `shared_scale`.
    title(channel) and describe(channel) name each map; the text alternative adds its range.
    """
    extent = float(np.abs(maps[:, :, channels]).max()) or 1.0
    for column, channel in zip(st.columns(len(channels)), channels, strict=True):
        values = maps[:, :, channel]
        scale = extent if shared_scale else (float(np.abs(values).max()) or 1.0)
        figure = matrix_figure(
            values,
            numbers=values.shape[0] <= 8,
            decimals=decimals,
            size=220,
            zrange=(-scale, scale),
            title=title(channel),
        )
        show_chart(
            figure,
            container=column,
            key=f"{key}_{channel}",
            alt=_range_sentence(describe(channel), values),
        )


def _signed_map(values, extent, key, alt):
    """A small signed map with its numbers (when they fit), on a scale from −extent to extent."""
    figure = matrix_figure(values, numbers=values.shape[0] <= 8, decimals=2, size=260, zrange=(-extent, extent))
    show_chart(figure, key=key, alt=alt)


def _maps(maps, title, key):
    low = float(maps.min())
    figure = network_figures.feature_maps_figure(maps, title=title, per_channel=low < 0)
    show_chart(figure, key=key, alt=f"{title}, as a grid of grey tiles.")


def _alpha_sentence(alphas):
    strongest = int(np.argmax(alphas))
    return (
        f"{int((alphas > 0).sum())} of {alphas.size} channels have a positive α. The largest α is channel "
        f"{strongest}'s, {format_value(float(alphas[strongest]), 4)}; the smallest is "
        f"{format_value(float(alphas.min()), 4)}."
    )


def _range_sentence(name, values):
    return f"{name} runs from {format_value(float(values.min()))} to {format_value(float(values.max()))}."


def _where_sentence(heat):
    if not heat.any():
        return "The evidence map is empty: no pixel gets positive evidence."
    row, col = np.unravel_index(int(np.argmax(heat)), heat.shape)
    share = float((heat > 0.5).mean())
    return (
        f"The strongest evidence is at row {row}, column {col} of the 28×28 input; "
        f"{share:.0%} of the pixels get more than half of it."
    )
