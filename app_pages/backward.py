"""How a CNN learns: the backward pass through the smallest course network, worked out by hand."""

import streamlit as st

from cnnviz.core import tiny_cnn
from cnnviz.ui import backward, classroom, concepts, links
from cnnviz.ui.state import BP_EXAMPLE, BP_QUIZ, BP_RATE, BP_SEED, BP_UPDATES
from cnnviz.ui.widgets import matrix_editor, step_player

st.title("How a CNN learns: the backward pass, by hand")
st.markdown(
    "The smallest network with every layer of the course: a **6×6** input → one **3×3 filter** + bias → "
    "**4×4** map → **ReLU** → **2×2 max pooling** → **flatten** (4 numbers) → a **dense layer** to 2 scores → "
    "**softmax** → **cross-entropy loss**. Its task: tell a **vertical bar** from a **horizontal bar**. "
    "Training nudges each of its 20 numbers against its **gradient**: how much the loss grows when that number grows."
)
classroom.restore_from_link("bp", (*links.BACKWARD, links.STEP), concepts.restore("bp"))

st.header("The example and the starting weights")
label = backward.example_picker()
with st.expander("Edit the example cell by cell", icon=":material/edit:"):
    image = matrix_editor("bp_input", "Input", backward.EXAMPLES[BP_EXAMPLE.get()].image)
weights_column, rate_column = st.columns(2)
BP_SEED.setdefault(tiny_cnn.DEFAULT_SEED)
seed = weights_column.number_input("Starting weights: random seed", 0, 999, key=BP_SEED.name)
BP_RATE.setdefault(tiny_cnn.DEFAULT_LEARNING_RATE)
rate = rate_column.select_slider("Learning rate", tiny_cnn.LEARNING_RATES, key=BP_RATE.name)

updates = min(BP_UPDATES.setdefault(0), links.MAX_UPDATES)
params, fwd, grads, lesson = backward.walk(image, label, seed, rate, updates)  # after the updates applied so far

st.header("Forward: from the pixels to the loss")
backward.show_forward(params, fwd)

st.header("Backward, step by step")
quiz = classroom.quiz_toggle(BP_QUIZ.name)
signature = (image.tobytes(), label, seed, rate, updates)


def show_step(index):
    classroom.share_step(index)
    step = lesson[index]
    st.markdown(f"**Step {index + 1} of {len(lesson)}: {step.title}.** {step.explanation}")
    revealed = not quiz or classroom.ask(
        BP_QUIZ.name, signature, index, step.value, step.arithmetic, step.question, len(lesson)
    )
    backward.show_step(step, params, fwd, grads, revealed)


step_player("bp", len(lesson), show_step)
if quiz:
    classroom.show_score()

update_column, reset_column = st.columns(2)
update_column.button(
    f"Apply the update (learning rate {rate})",
    icon=":material/arrow_downward:",
    key="bp_apply",
    on_click=backward.apply_update,
    disabled=updates >= links.MAX_UPDATES,
)
reset_column.button(
    "Back to the starting weights",
    icon=":material/restart_alt:",
    key="bp_reset",
    on_click=backward.reset_updates,
    disabled=updates == 0,
)
st.caption(f"Updates applied to this example so far: {updates} (at most {links.MAX_UPDATES}).")

st.header("Train for many steps")
st.markdown(
    "The same steps, over and over, on all six examples at once (the gradients averaged), starting from the "
    "starting weights above. Watch the random filter turn into an edge detector, and try the learning rates: "
    "too large overshoots and the loss blows up, too small barely moves."
)
images, labels = backward.training_set(image, label)
train_steps = backward.show_training(seed, images, labels, rate)

classroom.share_view(
    links.BACKWARD,
    {
        "example": BP_EXAMPLE.get(),
        "input": image,
        "class": label,
        "seed": seed,
        "rate": rate,
        "updates": updates,
        "train": train_steps,
        "quiz": int(quiz),
    },
)
