"""cnnviz: see how a convolutional neural network works, with real numbers.

The package is layered; each layer imports only the ones below it:

    core     numpy only: convolution and pooling, the dense maths, architecture arithmetic, numbers, quizzes
    data     MNIST, example inputs, drawings and uploads turned into digits
    figures  plotly figures of arrays
    ml       Keras: models, training, jobs, reading and opening a network
    ui       Streamlit glue the pages share

`from cnnviz import ops, presets` reaches the two modules a notebook starts with.
"""

import importlib

_SHORTCUTS = {"ops": "cnnviz.core.ops", "presets": "cnnviz.data.presets"}


def __getattr__(name):
    if name in _SHORTCUTS:
        return importlib.import_module(_SHORTCUTS[name])
    raise AttributeError(f"module 'cnnviz' has no attribute {name!r}")
