"""The Input layer page in Streamlit's AppTest: a digit as pixels 0–255 and 0–1, colour channels, the reshape."""

import numpy as np

from cnnviz.data.mnist import sample_digit
from testkit.apptest import chart, decode, open_page


def texts(app):
    return " ".join(element.value for element in (*app.markdown, *app.caption))


def test_input_layer_shows_the_window_in_0_255_and_in_0_1():
    app = open_page("app_pages/input_layer.py")
    digit, _ = sample_digit(0)
    raw, scaled = decode(chart(app, "input_raw").data[0].z), decode(chart(app, "input_scaled").data[0].z)
    np.testing.assert_array_equal(raw, digit[10:18, 10:18])
    np.testing.assert_allclose(scaled, digit[10:18, 10:18] / 255, rtol=1e-6)


def test_input_layer_window_and_digit_widgets_change_the_numbers():
    app = open_page("app_pages/input_layer.py")
    app.selectbox(key="input_window").set_value(10).run()
    app.slider(key="input_window_row").set_value(0).run()
    app.number_input(key="input_digit").set_value(7).run()
    digit, _ = sample_digit(7)
    np.testing.assert_array_equal(decode(chart(app, "input_raw").data[0].z), digit[0:10, 10:20])
    assert "rows 0–9 and columns 10–19" in texts(app)


def test_input_layer_prints_every_channel_value_of_the_rgb_example():
    from cnnviz.core.input_layer import RGB_EXAMPLE

    app = open_page("app_pages/input_layer.py")
    red, numbers = chart(app, "input_red").data
    assert decode(red.z).tolist() == RGB_EXAMPLE[:, :, 0].tolist()
    assert numbers.text[4] == "200"  # row 1, column 0, printed in full: 200, not 2


def test_input_layer_shows_the_reshape_to_a_batch_with_one_channel():
    app = open_page("app_pages/input_layer.py")
    assert "(2000, 28, 28)" in texts(app) and "(2000, 28, 28, 1)" in texts(app)
