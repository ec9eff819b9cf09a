"""The Pooling page in Streamlit's AppTest: it starts from the Convolution page's map and steps window by window."""

import numpy as np

from testkit.apptest import chart, decode, open_page, window_origin


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
