"""Pages run in Streamlit's AppTest the way a visitor reaches them: through app.py's navigation."""

import base64
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"


def app_pages():
    """{title: page path} of every page app.py routes to, from the one page registry."""
    from cnnviz.ui.pages import PAGES

    return {page.title: page.path for page in PAGES}


def open_page(page, *, state=None, query=None, timeout=120, check=True):
    """Run app.py with `state` preset in session state, then switch to `page` with `query` in its address.

    Returns the AppTest; with `check` (the default) a page that raised fails here.
    """
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(str(APP), default_timeout=timeout)
    for key, value in (state or {}).items():
        app.session_state[key] = value
    for name, value in (query or {}).items():
        app.query_params[name] = value
    app.run()
    app.switch_page(page).run()
    if check:
        assert not app.exception, app.exception
    return app


def chart(app, key):
    """The plotly figure of the chart with widget key `key`, as the browser receives it."""
    import plotly.io

    for element in app.get("plotly_chart"):
        if key in element.proto.id:
            return plotly.io.from_json(element.proto.spec)
    raise AssertionError(f"no chart {key!r}")


def decode(array):
    """A plotly array as sent to the browser (a list, or base64 typed-array) as NumPy."""
    if isinstance(array, dict):
        shape = [int(n) for n in str(array["shape"]).split(",")]
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).reshape(shape)
    return np.asarray(array, dtype=float)


def window_origin(app, key):
    """(x0, y0) of the highlighted window drawn on chart `key`."""
    shapes = [s for s in chart(app, key).layout.shapes if s.line.width == 4]
    return shapes[0].x0, shapes[0].y0


def texts(elements):
    """The values of AppTest elements, joined into one string."""
    return " ".join(str(element.value) for element in elements)
