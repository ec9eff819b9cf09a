"""Moving between pages: the sidebar's list of pages, and a previous / next link at the foot of each page."""

import streamlit as st

from cnnviz.ui.pages import PAGES, neighbours, sections


def sidebar():
    """The pages by section as plain links: headings and links a screen reader reads as they look."""
    for section, pages in sections().items():
        st.sidebar.markdown(f"**{section}**")
        for page in pages:
            st.sidebar.page_link(page.path, label=page.title, icon=page.icon)


def previous_and_next(title):
    """At the foot of the page titled `title`: links to the pages before and after it in the course."""
    current = next((page for page in PAGES if page.title == title), None)
    if current is None:
        return
    previous, following = neighbours(current.path)
    st.divider()
    left, right = st.columns(2)
    if previous:
        left.page_link(previous.path, label=f"Previous: {previous.title}", icon=":material/arrow_back:")
    if following:
        right.page_link(following.path, label=f"Next: {following.title}", icon=":material/arrow_forward:")
