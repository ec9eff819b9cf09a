"""cnnviz: the entry point. Routes to the course pages; run with `streamlit run app.py`."""

import streamlit as st

from cnnviz.ui import navigation, runtime
from cnnviz.ui.classroom import page_style, presentation_mode
from cnnviz.ui.concepts import keep_concept_state
from cnnviz.ui.pages import PAGES, sections

runtime.install()  # fails loudly if Streamlit changed an internal cnnviz relies on
st.set_page_config(page_title="cnnviz: see how a CNN works", page_icon="🔍", layout="wide")

# The pages and their order live in cnnviz/ui/pages.py, which the home page reads too.
routes = {
    section: [st.Page(p.path, title=p.title, icon=p.icon, default=p == PAGES[0]) for p in pages]
    for section, pages in sections().items()
}
page = st.navigation(routes, position="hidden")  # drawn below as plain links, which read as they look
page_style()
navigation.sidebar()
presentation_mode()
keep_concept_state()
page.run()
navigation.previous_and_next(page.title)
