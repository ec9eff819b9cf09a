"""Keep every visit on app.py's router, even a direct link opened first after the server starts."""

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def use_app_router():
    """Call first on every page.

    Streamlit treats a folder named `pages/` as a legacy multipage app until
    `st.navigation` has run once in the process, so a shared link to a page
    opened before anyone visited the start page would bypass app.py (its
    sections, wide layout and settings). Switch to the router and rerun.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
