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


# Written by the Training page, read by Fully connected and Draw and predict.
SESSION_MODEL: Key[Any] = Key("session_model")  # the latest Keras model this session trained
SESSION_MODEL_LABEL: Key[str] = Key("session_model_label")  # its settings and test accuracy, in a few words

# Written by the Convolution page, read by Pooling.
FEATURE_MAP: Key[np.ndarray] = Key("feature_map")  # the map after the activation, (H, W)
FEATURE_MAP_SOURCE: Key[str] = Key("feature_map_source")  # where that map came from, for a caption
CONV_FILTER: Key[np.ndarray] = Key("conv_kernel_valid")  # the last valid filter typed in the editor (its `_valid`)


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
