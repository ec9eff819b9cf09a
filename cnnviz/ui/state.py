"""Session state that crosses pages: each key named once with the type of its value, and `remember` for widgets."""

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import numpy as np
import streamlit as st

T = TypeVar("T")
_NO_DEFAULT = object()


@dataclass(frozen=True)
class Key(Generic[T]):
    """One entry of st.session_state, by name; None stands for "not set yet"."""

    name: str

    def get(self, default: T | None = None) -> T | None:
        """The stored value, or `default` while there is none."""
        value = st.session_state.get(self.name)
        return default if value is None else value

    def set(self, value: T) -> None:
        st.session_state[self.name] = value

    def is_set(self) -> bool:
        return st.session_state.get(self.name) is not None

    def setdefault(self, value: T) -> T:
        """The stored value; `value`, stored first, while the key is absent (a widget's starting value)."""
        return st.session_state.setdefault(self.name, value)

    def pop(self, default: T | None = None) -> T | None:
        """The stored value, removed from the session (`default` while there is none)."""
        return st.session_state.pop(self.name, default)

    def clear(self) -> None:
        """Remove the value: a widget under this key starts again from its default."""
        st.session_state.pop(self.name, None)


# Written by the Training page, read by Fully connected and Draw and predict.
SESSION_MODEL: Key[Any] = Key("session_model")  # the latest Keras model this session trained
SESSION_MODEL_LABEL: Key[str] = Key("session_model_label")  # its settings and test accuracy, in a few words

# Written by the Convolution page, read by Pooling.
FEATURE_MAP: Key[np.ndarray] = Key("feature_map")  # the map after the activation, (H, W)
FEATURE_MAP_SOURCE: Key[str] = Key("feature_map_source")  # where that map came from, for a caption
CONV_FILTER: Key[np.ndarray] = Key("conv_kernel_valid")  # the last valid filter typed in the editor (its `_valid`)

# Training (cnnviz.ui.training)
TRAINING_JOB: Key[Any] = Key("training_job")  # the TrainingJob of this session's latest run
TRAINING_RUNS: Key[list] = Key("training_runs")  # the RunRecords of this session's runs, oldest first
TRAINING_PUBLISHED: Key[tuple] = Key("training_published")  # (run id, epochs) last given to the Draw page

# The model chooser (cnnviz.ui.models) and the job line (cnnviz.ui.jobs)
SESSION_INSPECTOR: Key[tuple] = Key("session_inspector")  # (model, NetworkInspector) of SESSION_MODEL, on first use
SESSION_VISITOR: Key[str] = Key("visitor_key")  # the visitor key of a session without cookies

# Every page: written by the sidebar's toggle (cnnviz.ui.classroom), read by the charts.
PRESENTING: Key[bool] = Key("presenting")  # presentation mode: larger type and figures, no sidebar
QUIZ_SCORE: Key[Any] = Key("quiz_score")  # cnnviz.core.quiz.Score of this session, over every quiz

# What is a CNN? (app_pages/home.py)
HOME_DIAGRAM: Key[Any] = Key("home_diagram")  # the diagram's selection event (its chart key)
HOME_STAGE: Key[int] = Key("home_stage")  # the layer looked at, by its place in the course model

# Quiz mode of each concept page: its toggle, its answers (a prefix), its link parameter.
CONV_QUIZ: Key[bool] = Key("conv_quiz")
POOL_QUIZ: Key[bool] = Key("pool_quiz")  # and POOL_QUIZ.name + "_max" / "_average" for the answers
COLOUR_QUIZ: Key[bool] = Key("colour_quiz")
BP_QUIZ: Key[bool] = Key("bp_quiz")

# Convolution (app_pages/convolution.py); a link sets them too (cnnviz.ui.concepts.LINK_KEYS).
CONV_ACTIVATION: Key[str] = Key("conv_activation")  # the activation after the map
CONV_DIGIT: Key[int] = Key("conv_digit")  # the test digit the filter runs over

# Pooling (app_pages/pooling.py); a link sets them too.
POOL_SIZE: Key[int] = Key("pool_size")  # the window's side (a radio)
POOL_DIGIT: Key[int] = Key("pool_digit")  # the test digit whose map is pooled
POOL_SOURCE: Key[str] = Key("pool_source")  # start from the Convolution page's map or from own numbers
POOL_STRIDE: Key[int] = Key("pool_stride")  # its radio

# Channels and filters (app_pages/channels.py with cnnviz.ui.channels); a link sets it too.
COLOUR_FILTERS: Key[int] = Key("colour_filters")  # K, the filters of the layer shown

# How a CNN learns (app_pages/backward.py with cnnviz.ui.backward); a link sets them too.
BP_EXAMPLE: Key[int] = Key("bp_example")  # which of tiny_cnn.examples() (its selectbox)
BP_LABEL: Key[int] = Key("bp_label")  # its class, 0 or 1 (a radio)
BP_SEED: Key[int] = Key("bp_seed")  # the starting weights' seed (a number input)
BP_RATE: Key[float] = Key("bp_rate")  # the learning rate (a select slider)
BP_UPDATES: Key[int] = Key("bp_updates")  # updates applied one by one so far
BP_TRAIN_STEPS: Key[int] = Key("bp_train_steps")  # how long to train (a slider)
BP_TRAIN_VIEW: Key[int] = Key("bp_train_view")  # the training step whose filter is shown (a slider)

# Fully connected (cnnviz.ui.course)
FC_UNIT: Key[int] = Key("fc_unit")  # the hidden unit written out (a number input)

# ANN vs CNN (cnnviz.ui.comparison)
AVC_RERUN: Key[Any] = Key("avc_rerun")  # ExperimentResults of this visitor's small rerun, once finished
AVC_USE_RERUN: Key[bool] = Key("avc_use_rerun")  # show it instead of the shipped results (a toggle)
AVC_RERUN_REQUESTED: Key[bool] = Key("avc_rerun_requested")  # set by the button's callback, taken once
AVC_RERUN_JOB: Key[Any] = Key("avc_rerun_job")  # the rerun's TrainingJob

# Data augmentation (cnnviz.ui.augmentation)
AUG_SOURCE: Key[str] = Key("aug_source")  # a test digit or a drawing
AUG_PEN: Key[int] = Key("aug_pen")  # pen width on this page's canvas (a slider)
AUG_ROTATION: Key[float] = Key("aug_rotation")  # the controls' sliders, from here to AUG_STROKE
AUG_SHIFT: Key[float] = Key("aug_shift")
AUG_ZOOM: Key[tuple] = Key("aug_zoom")
AUG_SHEAR: Key[float] = Key("aug_shear")
AUG_ASPECT: Key[float] = Key("aug_aspect")
AUG_STROKE: Key[tuple] = Key("aug_stroke")
AUG_DRAW: Key[int] = Key("aug_draw")  # the seed of the grid's random draws ("New random draws" adds one)
AUG_YOURS: Key[Any] = Key("aug_yours")  # AugmentationResults of this visitor's small run, once finished
AUG_RUN_REQUESTED: Key[bool] = Key("aug_run_requested")  # set by the button's callback, taken once

# Draw and predict (cnnviz.ui.draw)
DRAW_SOURCE: Key[str] = Key("draw_source")  # draw, an MNIST test digit or an upload
DRAW_MNIST_INDEX: Key[int] = Key("draw_mnist_index")  # which test digit of the bundled sample
DRAW_CANVAS_VERSION: Key[int] = Key("draw_canvas_version")  # counts Clear presses: a new canvas each time

# Draw and predict, Look closer: receptive fields (cnnviz.ui.receptive_fields)
OPEN_RF_LAYER: Key[str] = Key("open_rf_layer")  # the layer (a selectbox)
OPEN_RF_CHANNEL: Key[int] = Key("open_rf_channel")  # the unit: channel, row and column (number inputs)
OPEN_RF_ROW: Key[int] = Key("open_rf_row")
OPEN_RF_COL: Key[int] = Key("open_rf_col")
OPEN_RF_CLICKED: Key[tuple] = Key("open_rf_clicked")  # (row, col) of the last click on the map, used once
OPEN_RF_UNIT: Key[int] = Key("open_rf_unit")  # the unit of a dense layer (a number input)

# Draw and predict, Look closer: switching filters off (cnnviz.ui.interventions)
OPEN_EDIT_ORIGINAL: Key[tuple] = Key("open_edit_original")  # ((model, digit, class), its reading as loaded)
OPEN_EDIT_KERNEL: Key[bool] = Key("open_edit_kernel")  # edit a first-layer kernel by hand (a toggle)
OPEN_KERNEL_SHOWN: Key[tuple] = Key("open_kernel_shown")  # (layer, filter) whose weights the editor holds


# The shared widgets' keys, each derived from its owner's key by one rule.
def preset_key(editor: str) -> Key[str]:
    """The preset chosen for the matrix editor `editor` (its selectbox): "conv_input" → "conv_input_preset"."""
    return Key(f"{editor}_preset")


def size_key(editor: str) -> Key[int]:
    """The size chosen for the matrix editor `editor` (its selectbox): "conv_input" → "conv_input_size"."""
    return Key(f"{editor}_size")


def setting_key(page: str, setting: str) -> Key[Any]:
    """A convolution setting of a page ("stride", "padding" or "bias"): ("conv", "stride") → "conv_stride"."""
    return Key(f"{page}_{setting}")


def remember(key, default=_NO_DEFAULT):
    """Keep a widget's value through runs that do not draw it (Streamlit forgets those); returns `key`.

    Call it before the widget, which then takes no default of its own, or on every run for a widget of
    another page: a tab, a setting or a pen width chosen once stays chosen while the student draws, looks
    at another tab or visits another page. Without a default, a widget never set is left alone.
    """
    kept = f"{key}__kept"
    if key in st.session_state:
        st.session_state[kept] = st.session_state[key]
    elif kept in st.session_state:
        st.session_state[key] = st.session_state[kept]
    elif default is not _NO_DEFAULT:
        st.session_state[key] = default
    return key
