"""First render and one widget rerun of the landing, Input layer, Fully connected and ANN vs CNN pages, in AppTest.

Usage: python -m benchmarks.course_pages [repeats]

The first render is of a fresh session in a warm process (imports done, the shipped model loaded
once), as a server serves a new student. The ANN vs CNN page only reads its precomputed results.
"""

import sys

from benchmarks.concept_pages import open_app, render_and_rerun, timed

PAGES = {  # page: (file, widget kind, key, new value)
    "Landing": ("app_pages/home.py", "segmented_control", "home_stage", 4),
    "Input layer": ("app_pages/input_layer.py", "slider", "input_window_row", 0),
    "Fully connected": ("app_pages/fully_connected.py", "number_input", "fc_digit", 7),
    "ANN vs CNN": ("app_pages/ann_vs_cnn.py", "slider", "avc_shift", 5),
}


def setting(kind, key, value):
    """A rerun that sets the widget `key` (AppTest's `kind` of element) to `value`."""
    return lambda app: getattr(app, kind)(key=key).set_value(value).run()


def main(repeats=5):
    cold = timed(open_app, 120)
    warm_up = open_app(120)
    model = timed(lambda: warm_up.switch_page(PAGES["Fully connected"][0]).run())
    print(f"cold start {cold:.2f} s; first Fully connected page of the process (TensorFlow, model) {model:.2f} s")
    print(f"{'page':<16} {'first render':>14} {'widget rerun':>14}   (median of {repeats})")
    for name, (page, kind, key, value) in PAGES.items():
        render, rerun = render_and_rerun(page, setting(kind, key, value), repeats, timeout=120)
        print(f"{name:<16} {render * 1000:>11.0f} ms {rerun * 1000:>11.0f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
