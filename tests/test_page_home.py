"""The landing page in Streamlit's AppTest: the course model's diagram, the layer picker, links to every stage."""

from cnnviz.figures.architecture import KIND_COLOURS
from testkit.apptest import chart, open_page


def texts(app):
    return " ".join(element.value for element in (*app.markdown, *app.caption))


def test_home_diagram_shows_the_course_models_shapes_and_parameter_counts():
    app = open_page("app_pages/home.py")
    annotations = " ".join(a.text for a in chart(app, "home_diagram").layout.annotations)
    for shape in ("28×28×1", "26×26×32", "13×13×32", "5408", "100", "10"):
        assert f"<b>{shape}</b>" in annotations
    assert "320 parameters" in annotations and "540,900 parameters" in annotations
    assert "542,230 parameters in all" in texts(app)


def test_home_layer_picker_dims_the_other_layers_and_explains_the_chosen_one():
    app = open_page("app_pages/home.py")
    app.segmented_control(key="home_stage").set_value(4).run()
    assert "(5408 + 1) × 100 = **540,900**" in texts(app)
    colours = [shape.fillcolor for shape in chart(app, "home_diagram").layout.shapes]
    assert colours.count(KIND_COLOURS["dense"]) == 1  # dense1 in full colour; output, also dense, dimmed


def test_home_links_every_stage_and_the_walkthrough_to_its_page():
    app = open_page("app_pages/home.py")
    pages = {link.proto.page for link in app.get("page_link")}
    for page in ("input_layer", "convolution", "pooling", "fully_connected", "ann_vs_cnn", "training", "draw"):
        assert any(page in target for target in pages), page
