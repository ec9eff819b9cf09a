"""The landing page in a real Chromium against `streamlit run`: clicking a block of the diagram picks its layer."""

import pytest

from cnnviz.core import architecture
from cnnviz.figures.architecture import MARGIN, block_centres

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def test_clicking_the_convolution_block_describes_conv1(app_url, page):
    page.goto(app_url)
    diagram = page.locator(".js-plotly-plot").first
    diagram.wait_for(timeout=60_000)
    box = diagram.bounding_box()
    centres = block_centres(architecture.course_model())
    left, right = -MARGIN, centres[-1] + MARGIN  # the x range of the diagram
    x = box["x"] + box["width"] * (centres[1] - left) / (right - left)
    page.mouse.click(x, box["y"] + box["height"] * 0.5)
    page.get_by_text("It outputs 26×26×32 = 21,632 numbers per image").wait_for(timeout=30_000)
