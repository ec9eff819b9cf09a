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
