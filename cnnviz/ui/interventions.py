"""Streamlit glue for interventions on the Draw page: switch filters off, edit a first-layer kernel, and
see the probabilities and the evidence map change next to the model as loaded.

Each visitor's edits live in their session (the widgets below); the weights are copied per rerun by
cnnviz.ml.interventions, and the shared model is never modified. Session state:
  open_off_<layer>     the filters of a conv layer switched off (a multiselect)
  open_edit_kernel     whether a first-layer kernel is edited; open_kernel_filter which one
  open_kernel_*        the matrix editor's keys (cnnviz.ui.widgets.matrix_editor)
"""

import time
import weakref

import numpy as np
import streamlit as st

from cnnviz.figures import network as network_figures
from cnnviz.ui.charts import show_chart
from cnnviz.ui.state import OPEN_EDIT_KERNEL, OPEN_EDIT_ORIGINAL, OPEN_KERNEL_SHOWN
from cnnviz.ui.widgets import matrix_editor, set_matrix

_interveners = weakref.WeakKeyDictionary()  # inspector → its Intervener (compiled once, shared, read-only)


def intervener_for(inspector):
    from cnnviz.ml.interventions import Intervener

    try:
        return _interveners[inspector]
    except KeyError:
        with st.spinner("Preparing the network for your changes…"):
            _interveners[inspector] = Intervener(inspector)
        return _interveners[inspector]


def show_interventions(choice, inspector, image, probabilities):
    from cnnviz.ml.interventions import Edits

    intervener = intervener_for(inspector)
    st.markdown(
        "Change the network and watch the reading change. **Switch filters off** (their weights and bias become 0, "
        "so their maps go blank) or **type a first-layer kernel** yourself. Only your copy changes: the model "
        f"itself ({choice.label}) stays as it was loaded, for you and everyone else."
    )
    off = {}
    for column, name, kernel in zip(
        st.columns(len(intervener.names)), intervener.names, intervener.kernels, strict=True
    ):
        off[name] = frozenset(
            column.multiselect(f"{name}: filters off", list(range(kernel.shape[-1])), key=f"open_off_{name}")
        )
    edits = Edits(off=off, **_kernel_edit(intervener))
    st.button(
        "Reset to the model as loaded",
        icon=":material/restart_alt:",
        key="open_reset",
        on_click=_reset,
        args=(intervener,),
    )
    predicted = int(np.argmax(probabilities))
    started = time.perf_counter()
    changed_probabilities, (changed,) = intervener.read(image, [predicted], edits)
    elapsed = time.perf_counter() - started
    original = _original(inspector, image, predicted)
    before_column, after_column = st.columns(2)
    for column, title, probs, explanation, key in (
        (before_column, "As loaded", probabilities, original, "open_edit_before"),
        (after_column, f"Changed: {edits.describe()}", changed_probabilities, changed, "open_edit_after"),
    ):
        with column:
            st.markdown(f"**{title}**")
            show_chart(
                network_figures.probability_figure(probs, height=220),
                key=f"{key}_probabilities",
                alt=_reading_sentence(probs),
            )
            st.caption(_reading_sentence(probs))
            show_chart(
                network_figures.overlay_figure(
                    image, explanation.grad_cam, title=f"Grad-CAM for {predicted}", height=260
                ),
                key=f"{key}_evidence",
                alt=f"Grad-CAM evidence for {predicted}, {explanation.probability:.1%}.",
            )
    change = changed_probabilities[predicted] - probabilities[predicted]
    st.markdown(
        f"The probability of **{predicted}** went from {probabilities[predicted]:.1%} to "
        f"{changed_probabilities[predicted]:.1%} ({change:+.1%} points). Re-evaluated in {elapsed * 1000:.0f} ms."
    )


def _original(inspector, image, digit):
    """The model-as-loaded explanation, computed once per digit and model while the visitor edits."""
    stamp = (id(inspector), hash(np.asarray(image, np.float32).tobytes()), digit)
    kept = OPEN_EDIT_ORIGINAL.get()
    if kept is None or kept[0] != stamp:
        kept = (stamp, inspector.explain(image, [digit])[0])
        OPEN_EDIT_ORIGINAL.set(kept)
    return kept[1]


def _kernel_edit(intervener):
    """The first-layer kernel editor, when switched on: {'kernel_filter': n, 'kernel': (k, k)} or {}."""
    first = intervener.kernels[0]  # (k, k, channels in, filters)
    if first.shape[2] != 1:
        return {}
    if not st.toggle(f"Edit one kernel of {intervener.names[0]} by hand", key=OPEN_EDIT_KERNEL.name):
        return {}
    filters = first.shape[-1]
    number = st.number_input(f"Filter (0–{filters - 1})", 0, filters - 1, key="open_kernel_filter")
    if OPEN_KERNEL_SHOWN.get() != (intervener.names[0], number):  # another filter: its weights
        set_matrix("open_kernel", np.round(first[:, :, 0, number], 3))
        OPEN_KERNEL_SHOWN.set((intervener.names[0], number))
    kernel = matrix_editor("open_kernel", f"Filter {number}'s kernel", np.round(first[:, :, 0, number], 3))
    if kernel.shape != first.shape[:2]:
        st.error(f"The kernel must be {first.shape[0]}×{first.shape[1]}; showing the loaded one.")
        return {}
    return {"kernel_filter": int(number), "kernel": kernel}


def _reset(intervener):
    for name in intervener.names:
        st.session_state[f"open_off_{name}"] = []
    OPEN_EDIT_KERNEL.set(False)
    OPEN_KERNEL_SHOWN.clear()


def _reading_sentence(probabilities):
    best = int(np.argmax(probabilities))
    return f"Reads {best} with {probabilities[best]:.1%}."
