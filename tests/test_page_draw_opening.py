"""The Draw page's "Look closer" tab (cnnviz.ui.opening) in AppTest: Grad-CAM step by step, receptive
fields and switched-off filters, on an MNIST test digit read by the shipped model."""

import pytest

from testkit.apptest import chart, open_page

pytestmark = [pytest.mark.tf, pytest.mark.slow]

PAGE = "app_pages/draw.py"


def look_closer(**state):
    return open_page(
        PAGE,
        state={"draw_source": "MNIST test digit", "draw_mnist_index": 3, "draw_view": "Look closer", **state},
        timeout=180,
    )


def texts(app):
    return " ".join(str(element.value) for element in (*app.markdown, *app.caption))


def test_grad_cam_step_by_step_shows_every_step_with_its_numbers():
    app = look_closer(open_view="Grad-CAM step by step", open_cam_digit=4)

    shown = texts(app)
    for step in (
        "1. The layer: conv3",
        "2. The gradients",
        "3. The weights α",
        "4. The weighted sum",
        "5. The ReLU",
        "6. Up to the input",
    ):
        assert step in shown
    assert "channels have a positive α" in shown
    assert chart(app, "open_cam_upsampled").data[0].type == "image"
    assert len(app.dataframe) == 1


def test_a_picked_unit_has_its_receptive_field_outlined_and_stated():
    app = look_closer(open_view="Receptive fields", open_rf_layer="pool2", open_rf_row=0, open_rf_col=0)

    shown = texts(app)
    # pool2 (0, 0) of the shipped model: conv1, pool1, conv2, pool2 reach input rows and columns 0–6
    assert "depends on input rows 0–6 and columns 0–6: 7×7 = 49 of the 784 pixels" in shown
    assert "By the arithmetic the field is 10×10" in shown
    box = chart(app, "open_rf_input").layout.shapes[0]
    assert (box.x0, box.x1, box.y0, box.y1) == (-0.5, 6.5, -0.5, 6.5)
    assert len(app.dataframe) == 1


def test_a_dense_unit_sees_every_pixel_and_shows_its_strongest_weights():
    app = look_closer(open_view="Receptive fields", open_rf_layer="dense1", open_rf_unit=5)

    assert "A dense unit sees all 784 pixels" in texts(app)
    weight_maps = [element for element in app.get("plotly_chart") if "open_rf_weights_" in element.proto.id]
    assert len(weight_maps) == 4


def test_switched_off_filters_read_the_digit_again_next_to_the_model_as_loaded():
    app = look_closer(open_view="Switch filters off", open_off_conv3=list(range(128)))

    shown = texts(app)
    assert "As loaded" in shown and "Changed: conv3 filters 0, 1, 2" in shown
    before = chart(app, "open_edit_before_probabilities").data[0].y
    after = chart(app, "open_edit_after_probabilities").data[0].y
    assert before != after  # every filter of the last conv layer off: the reading cannot stay the same

    app.button(key="open_reset").click().run()

    assert "Changed: nothing changed" in texts(app)
    assert chart(app, "open_edit_after_probabilities").data[0].y == before
