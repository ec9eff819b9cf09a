"""A class in a real Chromium against `streamlit run`: the quiz keeps its answers, links keep their names,
the projector and the phone can read and scroll the matrices."""

import re

import pytest
from playwright.sync_api import expect

from cnnviz.core import ops
from cnnviz.core.numbers import format_value
from cnnviz.data import presets
from cnnviz.ui.pages import neighbours
from testkit.browsers import CANVAS, STROKES, draw_strokes, wait_for_script

pytestmark = [pytest.mark.slow, pytest.mark.browser]

# Everything a student could read: the page's text and every number drawn in a chart, tooltips included.
ALL_TEXT = (
    "() => document.body.innerText + ' ' + [...document.querySelectorAll('svg text')].map(t => t.textContent).join(' ')"
)


def open_page(page, url):
    page.goto(url)
    wait_for_script(page)
    page.locator("[data-testid=stPlotlyChart] svg text").first.wait_for(timeout=180_000)  # a cold server


def shown(values):
    return {format_value(v) for v in values.ravel()}


def test_convolution_quiz_shows_no_answer_anywhere_and_scores_at_once(app_url, page):
    open_page(page, f"{app_url}/convolution?quiz=1")
    feature_map = ops.conv2d(presets.make_input(presets.DEFAULT_INPUT), presets.make_filter(presets.DEFAULT_FILTER))
    page.locator("[data-testid=stPlotlyChart]").nth(3).hover()  # a tooltip on the map must not tell either
    text = page.evaluate(ALL_TEXT)
    assert "What number goes in cell (1, 1)" in text
    assert not shown(feature_map) & set(re.findall(r"[−-]?\d+(?:\.\d+)?", text))
    assert page.locator(".cnnviz-sum").count() == 0

    page.get_by_label("What number goes in cell (1, 1)").fill("-2.8")
    page.get_by_role("button", name="Check").click()
    expect(page.get_by_text("Quiz score this session: 1 of 1 right.")).to_be_visible(timeout=30_000)
    expect(page.get_by_text(re.compile("^Right:"))).to_be_visible()


def test_pooling_quiz_shows_no_pooled_value_while_asking(app_url, page):
    open_page(page, f"{app_url}/pooling?quiz=1")
    text = page.evaluate(ALL_TEXT)
    assert text.count("what goes in the highlighted cell?") == 2
    average = ops.pool2d(presets.seed_feature_map(), 2, 2, "average")
    assert "2.52" in shown(average) and "2.52" not in text
    assert page.locator(".cnnviz-sum").count() == 0


def choose(page, label, option):
    page.get_by_test_id("stSelectbox").filter(has_text=label).click()
    page.get_by_role("option", name=option, exact=True).click()
    page.wait_for_selector("[data-test-script-state=notRunning]", timeout=60_000)


def test_a_shared_link_restores_the_preset_names(app_url, chromium, page):
    open_page(page, f"{app_url}/convolution")
    choose(page, "Input preset", "Diagonal")
    choose(page, "Filter preset", "Sobel (vertical)")
    expect(page).to_have_url(re.compile("filter_name=Sobel"), timeout=30_000)

    student = chromium.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    open_page(student, page.url)
    for label, name in (("Input preset", "Diagonal"), ("Filter preset", "Sobel (vertical)")):
        expect(student.get_by_role("combobox", name=label)).to_have_value(name)
    student.context.close()


def step_chart_fonts(page):
    """The font size (px) of the numbers in each of the four step matrices."""
    return page.evaluate(
        "() => [...document.querySelectorAll('[data-testid=stPlotlyChart]')].slice(0, 4).map(chart => Math.min("
        "...[...chart.querySelectorAll('.textpoint text')].map(t => parseFloat(getComputedStyle(t).fontSize))))"
    )


@pytest.mark.parametrize("width, height", [(1920, 1080), (1280, 720)])
def test_presentation_mode_prints_matrix_numbers_a_class_can_read(app_url, chromium, width, height):
    context = chromium.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    open_page(page, f"{app_url}/convolution?present=1")
    assert min(step_chart_fonts(page)) >= 28
    boxes = [page.locator("[data-testid=stPlotlyChart]").nth(i).bounding_box() for i in range(4)]
    assert all(box["width"] >= 380 and box["x"] + box["width"] <= width for box in boxes)  # wrapped, not squeezed
    following = neighbours("app_pages/convolution.py")[1]
    expect(page.get_by_role("link", name=f"Next: {following.title}")).to_be_visible()
    assert not page.get_by_test_id("stSidebar").is_visible()
    context.close()


def test_a_swipe_on_a_matrix_scrolls_a_phone_page(app_url, chromium):
    context = chromium.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page = context.new_page()
    open_page(page, f"{app_url}/convolution")
    chart = page.locator("[data-testid=stPlotlyChart]").nth(2)
    chart.scroll_into_view_if_needed()
    scrolled = "() => Math.max(window.scrollY, ...[...document.querySelectorAll('*')].map(e => e.scrollTop))"
    before, box = page.evaluate(scrolled), chart.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    touch = context.new_cdp_session(page)
    touch.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for move in range(1, 11):  # a finger moving 200 px up, as a student scrolls down
        touch.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y - 20 * move}]})
        page.wait_for_timeout(16)
    touch.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    page.wait_for_timeout(500)
    assert page.evaluate(scrolled) >= before + 100
    axes = page.evaluate("() => document.querySelectorAll('.js-plotly-plot')[2]._fullLayout.yaxis.range")
    assert axes == [2.5, -0.5]  # not zoomed
    assert page.locator(".modebar").count() == 0  # no toolbar over the titles
    context.close()


def test_draw_on_a_phone_keeps_the_reading_in_view_and_its_controls_in_reach(app_url, chromium):
    context = chromium.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{app_url}/draw", timeout=120_000)
    canvas = page.locator(CANVAS)
    canvas.wait_for(timeout=180_000)
    canvas.scroll_into_view_if_needed()
    draw_strokes(page, STROKES[1])
    line = page.locator(".cnnviz-phone-only")
    expect(line).to_contain_text("The network reads 1", timeout=90_000)
    top, bottom = canvas.bounding_box()["y"], line.bounding_box()["y"] + line.bounding_box()["height"]
    assert bottom - top <= 844 / 2  # the canvas and the reading fit on half a phone screen, together

    clear = page.get_by_role("button", name="Clear the canvas")
    size = clear.bounding_box()
    assert size["width"] >= 44 and size["height"] >= 44
    clear.click()
    expect(page.get_by_text("Draw a digit from 0 to 9")).to_be_visible(timeout=60_000)
    context.close()


def test_keyboard_steps_without_tabbing_through_charts_and_every_chart_is_read_out(app_url, page):
    open_page(page, f"{app_url}/convolution")
    charts = page.locator("[data-testid=stPlotlyChart]").count()
    assert page.locator(".cnnviz-sr").count() >= charts > 0  # a text alternative for each figure
    in_chart = "() => !!document.activeElement.closest('[data-testid=stPlotlyChart]')"
    for _ in range(60):
        page.keyboard.press("Tab")
        assert not page.evaluate(in_chart)
        focused = "() => document.activeElement.tagName + ' ' + document.activeElement.innerText.trim()"
        if page.evaluate(focused).startswith("BUTTON") and page.evaluate(focused).endswith("Next"):
            break
    else:
        pytest.fail("Next was not reached in 60 Tab presses")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Step 2 of 16")).to_be_visible(timeout=30_000)
