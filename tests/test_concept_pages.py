"""The Convolution and Pooling pages, run for real in Streamlit's AppTest."""

import base64
import subprocess
import sys
from pathlib import Path

import numpy as np
import plotly.io
import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent


def open_page(page, **state):
    """Run app.py and switch to `page`, with session state preset."""
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in state.items():
        app.session_state[key] = value
    app.run()
    app.switch_page(page).run()
    assert not app.exception, app.exception
    return app


def chart(app, key):
    """The plotly figure of the chart with widget key `key`, as the browser receives it."""
    for element in app.get("plotly_chart"):
        if key in element.proto.id:
            return plotly.io.from_json(element.proto.spec)
    raise AssertionError(f"no chart {key!r}")


def decode(array):
    """A plotly array as sent to the browser (a list, or base64 typed-array) as NumPy."""
    if isinstance(array, dict):
        shape = [int(n) for n in str(array["shape"]).split(",")]
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).reshape(shape)
    return np.asarray(array, dtype=float)


def window_origin(app, key):
    """(x0, y0) of the highlighted window drawn on chart `key`."""
    shapes = [s for s in chart(app, key).layout.shapes if s.line.width == 4]
    return shapes[0].x0, shapes[0].y0


def shown_sum(app):
    return next(m.value for m in app.markdown if "cnnviz-sum" in m.value)


@pytest.mark.parametrize("page", ["app_pages/home.py", "app_pages/convolution.py", "app_pages/pooling.py"])
def test_page_renders_without_exception(page):
    open_page(page)


def test_convolution_opens_on_the_classic_6x6_3x3_4x4_example():
    app = open_page("app_pages/convolution.py")
    assert any("so the feature map is **4×4**" in m.value for m in app.markdown)
    assert any("Step 1 of 16" in m.value for m in app.markdown)


def test_next_moves_the_window_and_changes_the_sum():
    app = open_page("app_pages/convolution.py")
    before_window, before_sum = window_origin(app, "conv_input_chart"), shown_sum(app)
    app.button(key="conv_next").click().run()
    assert window_origin(app, "conv_input_chart") == (before_window[0] + 1, before_window[1])
    assert shown_sum(app) != before_sum
    assert any("Step 2 of 16" in m.value for m in app.markdown)


def test_slider_jumps_to_a_step_and_highlights_its_output_cell():
    app = open_page("app_pages/convolution.py")
    app.slider(key="conv_slider").set_value(16).run()
    assert window_origin(app, "conv_input_chart") == (2.5, 2.5)
    assert window_origin(app, "conv_output_chart") == (2.5, 2.5)


def test_the_bias_is_added_to_the_sum_and_to_the_feature_map():
    app = open_page("app_pages/convolution.py")
    assert "+ 0 (bias) = " in shown_sum(app)
    before = np.asarray(app.session_state["feature_map"])
    app.number_input(key="conv_bias").set_value(-0.5).run()
    assert "+ (−0.5) (bias) = " in shown_sum(app)
    expected = np.maximum(before - 0.5, 0)  # relu(x − 0.5) = relu(relu(x) − 0.5)
    np.testing.assert_allclose(app.session_state["feature_map"], expected)


def test_a_letter_in_the_input_gets_a_sentence_not_a_traceback():
    base = [["0"] * 6 for _ in range(6)]
    base[1][2] = "x"
    app = open_page("app_pages/convolution.py", conv_input_base=base, conv_input_version=1)
    assert any("Row 2, column 3 of the input" in e.value and "not a number" in e.value for e in app.error)


def test_a_filter_larger_than_the_input_is_explained():
    app = open_page("app_pages/convolution.py")
    app.selectbox(key="conv_input_size").set_value(3).run()
    app.selectbox(key="conv_kernel_size").set_value(5).run()
    assert not app.exception
    assert any("does not fit" in e.value for e in app.error)


def test_a_stride_that_does_not_tile_says_what_is_dropped():
    app = open_page("app_pages/convolution.py")
    app.radio(key="conv_stride").set_value(2).run()
    assert any("never read" in i.value for i in app.info)


def test_pooling_starts_from_the_convolution_pages_feature_map():
    app = open_page("app_pages/convolution.py")
    app.selectbox(key="conv_kernel_preset").set_value("Horizontal edge").run()
    feature_map = np.asarray(app.session_state["feature_map"])
    app.switch_page("app_pages/pooling.py").run()
    shown = decode(chart(app, "pool_input_chart").data[0].z)
    np.testing.assert_allclose(shown, feature_map)


def test_pooling_steps_window_by_window_for_max_and_average():
    app = open_page("app_pages/pooling.py")
    assert window_origin(app, "pool_input_chart") == (-0.5, -0.5)
    app.button(key="pool_next").click().run()
    assert window_origin(app, "pool_input_chart") == (1.5, -0.5)  # stride 2
    sums = [m.value for m in app.markdown if "cnnviz-sum" in m.value]
    assert "max(" in sums[0] and "/ 4 =" in sums[1]


def test_concept_pages_do_not_import_tensorflow():
    script = (
        "import sys\n"
        "from streamlit.testing.v1 import AppTest\n"
        "app = AppTest.from_file('app.py', default_timeout=60).run()\n"
        "for page in ('convolution', 'channels', 'pooling', 'input_layer', 'ann_vs_cnn', 'backward'):\n"
        "    page = f'app_pages/{page}.py'\n"
        "    app.switch_page(page).run()\n"
        "    assert not app.exception, app.exception\n"
        "print(sorted(m for m in ('tensorflow', 'keras') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
