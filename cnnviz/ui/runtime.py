"""The two places cnnviz leans on Streamlit's internals, both checked when the app starts, and TensorFlow's settling.

After every script run Streamlit (1.67) does two things that hurt once TensorFlow is loaded:

1. `gc.collect(2)`, switched by the config option `runner.postScriptGC`. We set it to false in
   .streamlit/config.toml: a public option, no patch. `settle_tensorflow()` also calls `gc.freeze()`
   once TensorFlow and the shared model are loaded, so that Python's own occasional full collections
   skip them.
2. `keras.backend.clear_session()`, from its private `script_runner._clean_problem_modules`. It empties
   TensorFlow's kernel cache, and the next drawing read pays for it. No model path escapes that: the
   Draw page's read is already a compiled graph (cnnviz.ml.predict). So `install()` replaces that one
   function, once, when app.py starts, and raises if Streamlit no longer has it: a renamed hook stops
   the app with a sentence instead of silently bringing the slow reads back.

The tab-closed check of a training (`session_alive`) asks Streamlit's runtime whether the browser
session is still connected; `install()` checks that the two names it needs exist too.

Measured with `python -m benchmarks.rerun_cleanup` (shipped model loaded, median of 15, on 2 cores
shared with other work, load average about 25):

    gc.collect(2), TensorFlow loaded              4111 ms   (what postScriptGC did after every run)
    gc.collect(2), after gc.freeze()                 0.0 ms
    keras clear_session(), after freeze              0.0 ms
    one drawing read, no reset before it            40 ms
    one drawing read, right after clear_session   1187 ms   (what the Keras reset did to the next read)
    a read while a training runs                    35 ms
    a training with clear_session() between its batches still finishes.

tests/test_browser_rerun.py runs a real `streamlit run` and checks a Draw rerun while a training runs.
Without the live check a tab closed mid-training is only noticed when its page stops polling
(`abandon_after`, 120 s); with it, after `disconnect_grace` (`CNNVIZ_DISCONNECT_GRACE`, 60 s by default;
cnnviz.ml.jobs).
"""

import gc
import sys

_frozen = False


class StreamlitInternalsChanged(RuntimeError):
    """Streamlit no longer has an internal name cnnviz relies on: pin the version this module was checked with."""


def install():
    """Run once when the app starts: check the internals used here, then drop the Keras reset after each run."""
    from streamlit.runtime import Runtime
    from streamlit.runtime.scriptrunner import script_runner

    missing = [
        name
        for owner, name in (
            (script_runner, "_clean_problem_modules"),
            (Runtime, "instance"),
            (Runtime, "exists"),
            (Runtime, "is_active_session"),
        )
        if not callable(getattr(owner, name, None))
    ]
    if missing:
        raise StreamlitInternalsChanged(
            f"This Streamlit has no {', '.join(missing)}, which cnnviz.ui.runtime relies on (checked with "
            "Streamlit 1.67). Install the version in requirements.txt, or update cnnviz/ui/runtime.py."
        )
    script_runner._clean_problem_modules = _close_matplotlib_figures


def settle_tensorflow():
    """Freeze what is loaded so far (TensorFlow, the shared models) out of the garbage collector's reach."""
    global _frozen
    if not _frozen:
        _frozen = True
        gc.collect()
        gc.freeze()  # later collections skip everything alive now


def session_alive():
    """A check a training thread can call: is this browser session still connected? None outside a server."""
    from streamlit.runtime import Runtime
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    context = get_script_run_ctx()
    if context is None or not Runtime.exists():
        return None
    runtime, session_id = Runtime.instance(), context.session_id
    return lambda: runtime.is_active_session(session_id) is not False


def _close_matplotlib_figures():
    """What Streamlit's post-run cleanup does besides resetting Keras."""
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
