"""Keep TensorFlow fast inside Streamlit: no full garbage collection and no Keras reset after every rerun.

After each script run Streamlit (1.67) calls `gc.collect(2)` and, once Keras is imported,
`keras.backend.clear_session()`, which collects again and empties TensorFlow's kernel cache.
With TensorFlow loaded, each collection walks millions of objects (0.3–0.9 s here, holding
the GIL, so every session waits), and the emptied cache makes the next model call ~40 ms slower.
`settle_tensorflow()` freezes what is loaded so far out of the collector's reach and drops the
Keras reset from Streamlit's post-run cleanup; call it once TensorFlow and the shared models are
loaded. The models stay as they are: the reset only renumbers the default names of new layers.
"""

import gc
import sys

_settled = False


def settle_tensorflow():
    """Freeze the objects loaded so far (TensorFlow, models) and keep Keras's state between reruns."""
    global _settled
    if _settled:
        return
    _settled = True
    gc.collect()
    gc.freeze()  # later collections skip everything alive now: TensorFlow, Keras and the models
    from streamlit.runtime.scriptrunner import script_runner

    if hasattr(script_runner, "_clean_problem_modules"):
        script_runner._clean_problem_modules = _close_matplotlib_figures


def _close_matplotlib_figures():
    """What Streamlit's post-run cleanup does besides resetting Keras."""
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
