"""Streamlit glue shared by the pages: widgets, session state and cached loaders."""
