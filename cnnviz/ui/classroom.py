"""For a teacher leading a class: shareable links, quiz mode and presentation mode."""

import streamlit as st

from cnnviz.core.quiz import Score, check_answer
from cnnviz.core.url_state import read_view, write_view
from cnnviz.ui.state import PRESENTING, QUIZ_SCORE

# ------------------------------------------------------------- shareable links


def restore_from_link(page, fields, apply):
    """Once per session and page: read the link's query parameters and `apply(values)` them.

    Bad parameters fall back to defaults; their notices stay on the page.
    """
    if f"{page}_restored" not in st.session_state:
        values, notices = read_view(fields, st.query_params.to_dict())
        apply(values)
        st.session_state[f"{page}_restored"] = True
        st.session_state[f"{page}_link_notices"] = notices
    for notice in st.session_state[f"{page}_link_notices"]:
        st.warning(notice, icon=":material/link_off:")


def share_view(fields, values):
    """Write the view into the address bar: copying the link copies the view."""
    wanted = write_view(fields, values)
    for field in fields:
        if field.name in wanted:
            if st.query_params.get(field.name) != wanted[field.name]:
                st.query_params[field.name] = wanted[field.name]
        elif field.name in st.query_params:
            del st.query_params[field.name]


def share_step(index):
    """The step (counted from 1) in the address bar; the first step needs no parameter."""
    if index:
        st.query_params["step"] = str(index + 1)
    elif "step" in st.query_params:
        del st.query_params["step"]


# ------------------------------------------------------------------- quiz mode


def quiz_toggle(key):
    return st.toggle("Quiz me", key=key, help="Before each cell is revealed, work out its value yourself.")


def ask(key, signature, index, expected, arithmetic, question, n_steps):
    """Ask for the value of step `index` (of `n_steps`) until answered. Returns True once it may be revealed.

    `signature` names the current input, filter and settings: changing them starts afresh.
    The score shows under the question and counts each answer at once.
    """
    answers = _answers(key, signature)
    if index in answers:
        verdict = answers[index]
        (st.success if verdict.correct else st.warning)(verdict.message)
        return True

    question_area = st.empty()
    with question_area.form(f"{key}_form_{index}", border=False):
        answer_column, button_column = st.columns([3, 1], vertical_alignment="bottom")
        answer = answer_column.text_input(question, key=f"{key}_answer_{index}")
        checked = button_column.form_submit_button("Check", icon=":material/check:")
    if not checked:
        return False
    verdict = check_answer(answer, expected, arithmetic)
    score().record(verdict)
    if not verdict.counted:
        st.error(verdict.message)
        return False
    answers[index] = verdict
    if st.session_state.get(f"{key}_holding") and len(answers) - 1 >= n_steps:
        st.rerun(scope="app")  # the last cell: show what was held back
    question_area.empty()
    (st.success if verdict.correct else st.warning)(verdict.message)
    return True


def _answers(key, signature):
    """This view's verdicts by step, forgotten when the input or settings change."""
    answers = st.session_state.setdefault(f"{key}_answers", {})
    if answers.get("signature") != signature:
        answers.clear()
        answers["signature"] = signature
    return answers


def hold_back(key, signature, n_steps, what):
    """Where a page would show the whole map, say it waits for the quiz; True while cells are left to answer.

    Call it before the player draws, so the answer that completes the quiz reruns the page and shows `what`.
    """
    holding = len(_answers(key, signature)) - 1 < n_steps
    st.session_state[f"{key}_holding"] = holding
    if holding:
        st.info(f"{what} appears here once you have answered every cell of the quiz above.", icon=":material/quiz:")
    return holding


def score():
    """The session's quiz score, kept across pages."""
    return QUIZ_SCORE.setdefault(Score())


def show_score():
    st.caption(f"Quiz score this session: **{score()}** right.")


# ----------------------------------------------------------- presentation mode

PAGE_CSS = """
<style>
.cnnviz-sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
[data-testid="stElementContainer"]:has(.cnnviz-sr) { position: absolute; width: 1px; height: 1px; overflow: hidden; }
[data-testid^="stBaseButton"] { min-height: 44px; min-width: 44px; }
.cnnviz-phone-only { display: none; font-size: 1.25rem; }
@media (max-width: 640px) { .cnnviz-phone-only { display: block; } }
[data-testid="stSidebarContent"] { overflow-x: hidden; }
/* A collapsed sidebar (a phone's, at first) is off-screen: not a region to scroll, nor to tab into. */
[data-testid="stSidebar"][data-collapsed="true"] [data-testid="stSidebarContent"] {
  overflow: hidden; visibility: hidden;
}
</style>
"""

# Figures keep a fixed size (charts.PROJECTOR_SIDE) and wrap to the next row rather than shrink.
PRESENTATION_CSS = """
<style>
html { font-size: 130%; }
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"] { display: none; }
[data-testid="stMainBlockContainer"] { max-width: 100%; padding-left: 2rem; padding-right: 2rem; }
[data-testid="stHorizontalBlock"] { flex-wrap: wrap; }
[data-testid="stColumn"]:has([data-testid="stPlotlyChart"]) { min-width: min(400px, 100%); }
</style>
"""


def page_style():
    """On every page: text kept for screen readers, touch targets of at least 44×44 px, lines for phones only."""
    st.html(PAGE_CSS)


def presentation_mode():
    """Larger type and figures, no sidebar, for a projector. On with ?present=1 or the sidebar toggle."""
    PRESENTING.setdefault(st.query_params.get("present") == "1")
    st.sidebar.toggle("Presentation mode", key=PRESENTING.name, help="Larger type and figures, sidebar hidden.")
    if PRESENTING.get():
        st.markdown(PRESENTATION_CSS, unsafe_allow_html=True)
        st.button("Leave presentation mode", icon=":material/close_fullscreen:", on_click=_stop_presenting)


def _stop_presenting():
    PRESENTING.set(False)
    if "present" in st.query_params:
        del st.query_params["present"]
