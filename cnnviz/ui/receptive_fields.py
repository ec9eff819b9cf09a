"""Streamlit glue for receptive fields on the Draw page: pick a unit of any layer (click it, or type its
row, column and channel) and see the input pixels it depends on outlined on the 28×28 input.

Session state: open_rf_layer, open_rf_channel, open_rf_row, open_rf_col (the unit), open_rf_unit (a dense
unit), open_rf_clicked (the last click applied, so a kept selection does not undo a typed row).
"""

import numpy as np
import streamlit as st

from cnnviz.core.architecture import field_growth, receptive_field
from cnnviz.core.numbers import format_value
from cnnviz.figures import network as network_figures
from cnnviz.ui.charts import show_chart
from cnnviz.ui.opening import signed_channel_maps
from cnnviz.ui.state import (
    OPEN_RF_CHANNEL,
    OPEN_RF_CLICKED,
    OPEN_RF_COL,
    OPEN_RF_LAYER,
    OPEN_RF_ROW,
    OPEN_RF_UNIT,
    remember,
)

STRONGEST_SHOWN = 4  # a dense unit shows the weights from this many of its strongest input channels


def show_receptive_fields(inspector, image):
    """Pick a layer and a unit; the unit's field outlined on the input, with its size and the arithmetic."""
    activations = inspector.activations(image)
    stages = {stage.name: stage for stage in activations.layers}
    layer_key = remember(OPEN_RF_LAYER.name, next(iter(stages)))
    if st.session_state[layer_key] not in stages:  # another model, with other layers
        st.session_state[layer_key] = next(iter(stages))
    name = st.selectbox(
        "Layer", list(stages), key=layer_key, format_func=lambda layer: f"{layer}: {stages[layer].description}"
    )
    stage = stages[name]
    if stage.values.ndim == 1:
        _dense_unit(inspector, stage)
    else:
        _map_unit(inspector, image, stage)


def _map_unit(inspector, image, stage):
    maps = stage.values  # (H, W, C)
    side, _, channels = maps.shape
    strongest = int(np.argmax(maps.reshape(-1, channels).max(axis=0)))
    for key, default, top in (
        (OPEN_RF_CHANNEL, strongest, channels - 1),
        (OPEN_RF_ROW, side // 2, side - 1),  # the centre unit first: its whole field lies on the image
        (OPEN_RF_COL, side // 2, side - 1),
    ):
        remember(key.name, default)
        key.set(min(int(key.get()), top))  # another layer may be smaller
    unit_column, input_column = st.columns(2)
    with unit_column:
        channel = st.number_input(f"Channel (0–{channels - 1})", 0, channels - 1, key=OPEN_RF_CHANNEL.name)
        event = show_chart(
            network_figures.unit_picker_figure(
                maps[:, :, channel],
                selected=(OPEN_RF_ROW.get(), OPEN_RF_COL.get()),
                title=f"{stage.name}, channel {channel}: click a unit",
            ),
            key=f"open_rf_picker_{stage.name}_{channel}",
            on_select="rerun",
            selection_mode="points",
            alt=f"Channel {channel} of {stage.name}, {side}×{side} units; pick one by its row and column below.",
        )
        _apply_click(event, side)
        row_column, col_column = st.columns(2)
        row = row_column.number_input(f"Row (0–{side - 1})", 0, side - 1, key=OPEN_RF_ROW.name)
        col = col_column.number_input(f"Column (0–{side - 1})", 0, side - 1, key=OPEN_RF_COL.name)
    geometries = inspector.geometries_up_to(stage.name)
    field = receptive_field(geometries, row, col)
    with input_column:
        figure = network_figures.picture_figure(
            image,
            box=(field.top, field.bottom, field.left, field.right),
            title=f"Its receptive field: {field.height}×{field.width} input pixels",
            height=360,
        )
        show_chart(figure, key="open_rf_input", alt=_field_sentence(stage, row, col, field))
    value = float(maps[row, col, channel])
    st.markdown(
        f"**{_field_sentence(stage, row, col, field)}** The unit's value for this digit: {format_value(value)}. "
        "Nothing outside the outline can change it, however the rest of the digit is drawn."
    )
    if field.height < field.nominal or field.width < field.nominal:
        st.caption(
            f"By the arithmetic the field is {field.nominal}×{field.nominal}; at the border part of it falls on "
            "padding zeros, which depend on no pixel, so fewer real pixels are left."
        )
    st.markdown(
        "**How the field grows**, layer by layer: a window of *k* units adds (*k* − 1) × *jump* pixels, where "
        "*jump* is how many input pixels apart two neighbouring units of the layer's input are; a stride multiplies "
        "the jump."
    )
    st.dataframe(
        [
            {
                "layer": row_["layer"],
                "window": f"{row_['kernel']}×{row_['kernel']}",
                "stride": row_["stride"],
                "jump before": row_["jump"],
                "field after": f"{row_['field']}×{row_['field']}",
            }
            for row_ in field_growth(geometries)
        ],
        hide_index=True,
    )


def _apply_click(event, side):
    """A clicked unit sets the row and column inputs, once per click (the selection stays on the chart)."""
    points = (event or {}).get("selection", {}).get("points", []) if event else []
    if not points:
        return
    point = points[0]
    clicked = (int(round(point["y"])), int(round(point["x"])))
    if clicked == OPEN_RF_CLICKED.get() or not all(0 <= v < side for v in clicked):
        return
    OPEN_RF_CLICKED.set(clicked)
    OPEN_RF_ROW.set(clicked[0])
    OPEN_RF_COL.set(clicked[1])


def _field_sentence(stage, row, col, field):
    return (
        f"Unit (row {row}, column {col}) of {stage.name} depends on input rows {field.top}–{field.bottom - 1} "
        f"and columns {field.left}–{field.right - 1}: {field.height}×{field.width} = {field.pixels} of the 784 pixels."
    )


def _dense_unit(inspector, stage):
    units = stage.values.size
    remember(OPEN_RF_UNIT.name, 0)
    OPEN_RF_UNIT.set(min(int(OPEN_RF_UNIT.get()), units - 1))
    unit = st.number_input(f"Unit (0–{units - 1})", 0, units - 1, key=OPEN_RF_UNIT.name)
    kernel, input_shape = inspector.dense_weights(stage.name)
    weights = kernel[:, unit]  # (inputs,)
    st.markdown(
        f"**A dense unit sees all 784 pixels.** Unit {unit} of {stage.name} weighs every one of the "
        f"{weights.size:,} numbers before it, and each of those depends on part of the input, together all of it. "
        "Which inputs it weighs most shows what it looks for."
    )
    if len(input_shape) != 3:
        order = np.argsort(-np.abs(weights))[:10]
        st.dataframe({"input": order.tolist(), "weight": weights[order].tolist()}, hide_index=True)
        return
    grid = weights.reshape(input_shape)  # (h, w, C), as Flatten lined them up
    strength = np.abs(grid).sum(axis=(0, 1))  # (C,)
    strongest = np.argsort(-strength)[:STRONGEST_SHOWN]
    signed_channel_maps(
        grid,
        strongest,
        key="open_rf_weights",
        title=lambda channel: f"weights from channel {channel}",
        describe=lambda channel: f"Unit {unit}'s weights on channel {channel}",
        shared_scale=True,
    )
    channels_text = ", ".join(str(int(channel)) for channel in strongest)
    st.caption(
        f"The {STRONGEST_SHOWN} input channels with the largest weights in all (channels {channels_text}), each "
        f"{input_shape[0]}×{input_shape[1]} as they sat before Flatten. Blue weights raise the unit, red ones lower it."
    )
