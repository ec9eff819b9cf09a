"""Landing page: what a CNN is, the course model stage by stage with its real shapes, and where to start."""

import streamlit as st

from cnnviz.core import architecture
from cnnviz.figures.architecture import column_widths, model_diagram
from cnnviz.ui import pages
from cnnviz.ui.charts import show_chart
from cnnviz.ui.state import HOME_DIAGRAM, HOME_STAGE

st.title("See how a convolutional neural network works")
st.markdown(
    """
A **convolutional neural network (CNN)** reads an image in stages. The **input** is a grid of pixels,
0–255 scaled to 0–1. **Convolution** slides small filters over it, and an activation (ReLU) keeps what
they find: one feature map per filter. **Pooling** shrinks each map and keeps its strongest signals.
**Fully connected** layers then weigh everything, and a softmax turns ten scores into ten
probabilities, one per digit.
"""
)

layers = architecture.course_model()
STAGE_PAGES = {  # the page that explains each stage, and the link's label
    architecture.INPUT: (pages.page("app_pages/input_layer.py"), "Input layer"),
    architecture.CONV: (pages.page("app_pages/convolution.py"), "Convolution"),
    architecture.POOL: (pages.page("app_pages/pooling.py"), "Pooling"),
    architecture.FLATTEN: (pages.page("app_pages/fully_connected.py"), "Flatten"),
    architecture.DENSE: (pages.page("app_pages/fully_connected.py"), "Dense"),
}


def select_clicked_block():
    points = HOME_DIAGRAM.get()["selection"]["point_indices"]
    HOME_STAGE.set(points[0] if points else None)


st.subheader("The course model, with its real shapes")
HOME_STAGE.setdefault(None)
show_chart(
    model_diagram(layers, selected=HOME_STAGE.get()),
    key=HOME_DIAGRAM.name,
    on_select=select_clicked_block,
    selection_mode="points",
)
for column, layer in zip(st.columns(column_widths(layers), gap=None), layers):
    page, label = STAGE_PAGES[layer.kind]
    column.page_link(page.path, label=label if layer.name != "output" else "Softmax", icon=page.icon)

names = [f"{number}. {layer.name}" for number, layer in enumerate(layers, 1)]
choice = st.segmented_control(
    "Look at one layer (or click its block)", range(len(layers)), format_func=names.__getitem__, key=HOME_STAGE.name
)
if choice is not None:
    layer = layers[choice]
    count = f"{layer.formula} = **{layer.params:,}**" if layer.params else "none: it only moves or picks numbers"
    size = f"**{layer.shape_text}** = {layer.size:,}" if len(layer.shape) > 1 else f"**{layer.size:,}**"
    st.markdown(f"**{layer.name}**: {layer.description}. It outputs {size} numbers per image. Parameters: {count}.")
conv, flat, hidden = layers["conv1"], layers["flatten"], layers["dense1"]
st.caption(
    f"{architecture.total_params(layers):,} parameters in all; {hidden.params:,} of them "
    f"({layers.share_of_params('dense1'):.1%}) sit in the first dense layer, which connects each of the "
    f"{flat.size:,} flattened numbers to each of its {hidden.size} units. The convolution's 32 filters need only "
    f"{conv.params:,}. Click a block to pick it; hover over it to see how its count is computed."
)

st.subheader("Suggested order")
for number, lesson in enumerate(pages.lessons(), start=1):
    st.page_link(lesson.path, label=f"{number}. {lesson.blurb}", icon=lesson.icon)
