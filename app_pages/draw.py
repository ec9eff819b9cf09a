"""Draw and predict: the network reads a digit the student draws, and opens up to show how."""

import streamlit as st

from cnnviz.ui import draw, invariance, models, opening

draw.init_state()

st.title("Draw a digit, and watch the network read it")
st.markdown(
    "A CNN like the one of the earlier pages, trained on MNIST's handwritten digits, reads yours as you draw. "
    "Below the prediction, open the network up: what it receives, what each layer finds, and why it decided."
)
choice = models.choose_model(
    "draw_model", missing="Train a model on the Training page, and it will read your digits here."
)

input_column, prediction_column = st.columns(2, gap="large")
with input_column:
    digit = draw.digit_input()
    if digit is not None and choice is not None:
        from cnnviz.ml.predict import predict_digits

        probabilities = predict_digits(choice.model, digit.image)[0]  # (10,)
        draw.show_reading_line(probabilities, digit.reading_slot)
with prediction_column:
    if digit is None:
        draw.show_prompt()
    elif choice is not None:
        draw.show_prediction(probabilities, digit.true_label)

if digit is not None:
    seen, inside, why, closer, lab = draw.views()
    if seen.open:
        with seen:
            draw.show_preprocessing(digit)
    if choice is None:
        for tab in (inside, why, closer):
            tab.info("Opening up the network needs a model: see the message at the top of the page.")
    elif inside.open:
        with inside:
            draw.show_network(choice, digit.image)
    elif why.open:
        with why:
            draw.show_explanations(choice, digit.image, probabilities)
    elif closer.open:
        with closer:
            opening.show(choice, digit.image, probabilities)
    if lab.open:
        with lab:
            invariance.show_lab(digit)
