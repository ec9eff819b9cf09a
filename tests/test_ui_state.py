"""cnnviz.ui.state: named session keys, and `remember`, which keeps a widget's value while it is not drawn."""

from streamlit.testing.v1 import AppTest


def page_with_a_hidden_widget():
    import streamlit as st

    from cnnviz.ui.state import remember

    if st.session_state.get("show", True):
        st.radio("Pen", (10, 20, 40), key=remember("pen", 20))


def test_a_widget_value_survives_runs_that_do_not_draw_the_widget():
    app = AppTest.from_function(page_with_a_hidden_widget, default_timeout=60).run()
    assert app.radio(key="pen").value == 20  # the default, given once
    app.radio(key="pen").set_value(40).run()
    app.session_state["show"] = False
    app.run()  # the radio is not drawn: Streamlit drops its value
    app.run()
    app.session_state["show"] = True
    app.run()
    assert app.radio(key="pen").value == 40


def page_reading_the_session_model():
    import streamlit as st

    from cnnviz.ui.state import SESSION_MODEL, SESSION_MODEL_LABEL

    st.write(f"set: {SESSION_MODEL.is_set()}, label: {SESSION_MODEL_LABEL.get('none yet')}")


def test_a_key_reads_its_default_until_set_under_its_one_name():
    app = AppTest.from_function(page_reading_the_session_model, default_timeout=60).run()
    assert app.markdown[0].value == "set: False, label: none yet"
    app.session_state["session_model"] = object()
    app.session_state["session_model_label"] = "run 1"
    app.run()
    assert app.markdown[0].value == "set: True, label: run 1"


def page_counting_with_a_key():
    import streamlit as st

    from cnnviz.ui.state import Key

    counter, request = Key("count"), Key("request")
    start = counter.setdefault(5)  # stored once, kept after
    counter.set(counter.get() + 1)
    taken = request.pop(False)
    st.write(f"start {start}, now {counter.get()}, taken {taken}, request left {request.is_set()}")
    if st.session_state.get("forget"):
        counter.clear()


def test_a_key_sets_a_default_once_pops_a_request_once_and_clears():
    app = AppTest.from_function(page_counting_with_a_key, default_timeout=60).run()
    assert app.markdown[0].value == "start 5, now 6, taken False, request left False"
    app.session_state["request"] = True
    app.run()
    assert app.markdown[0].value == "start 6, now 7, taken True, request left False"
    app.session_state["forget"] = True
    app.run()  # cleared at the end of this run
    app.session_state["forget"] = False
    app.run()
    assert app.markdown[0].value == "start 5, now 6, taken False, request left False"
