"""First render of each concept page, and one step rerun, in Streamlit's AppTest.

Usage: python -m benchmarks.concept_pages [repeats]

Targets on a 2-core machine: first render under 1 s, a step rerun under 100 ms.
The first render is of a fresh session in a warm process (imports done), as a
server serves a new student; the cold process start is printed apart.
"""

import statistics
import sys
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
PAGES = {
    "Convolution": ("app_pages/convolution.py", "conv_next"),
    "Channels": ("app_pages/channels.py", "colour_next"),
    "Pooling": ("app_pages/pooling.py", "pool_next"),
    "Backward": ("app_pages/backward.py", "bp_next"),
}


def timed(action, *args):
    start = time.perf_counter()
    action(*args)
    return time.perf_counter() - start


def open_app(timeout=60):
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    app.run()
    return app


def render_and_rerun(page, rerun, repeats, timeout=60):
    """Median seconds of `page`'s first render in a fresh session, and of `rerun(app)` (a widget's rerun) after it."""
    renders, reruns = [], []
    for _ in range(repeats):
        app = open_app(timeout)
        renders.append(timed(lambda: app.switch_page(page).run()))  # noqa: B023 (called at once)
        reruns.append(timed(rerun, app))
        assert not app.exception, app.exception
    return statistics.median(renders), statistics.median(reruns)


def main(repeats=5):
    cold = timed(open_app)
    print(f"{'page':<12} {'first render':>14} {'step rerun':>12}   (median of {repeats}; cold start {cold:.2f} s)")
    for name, (page, next_button) in PAGES.items():
        render, step = render_and_rerun(page, lambda app, key=next_button: app.button(key=key).click().run(), repeats)
        print(f"{name:<12} {render * 1000:>11.0f} ms {step * 1000:>9.0f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
