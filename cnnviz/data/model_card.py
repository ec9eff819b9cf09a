"""The shipped model's card (models/model_card.json), read without TensorFlow: its layers as counts."""

import json
from functools import cache
from pathlib import Path

from cnnviz.core.architecture import conv_layers

MODEL_CARD = Path(__file__).resolve().parents[2] / "models" / "model_card.json"  # beside the package


@cache  # once a process, as the model it describes is loaded once: the card grows with every round written into it
def shipped_conv_layers(path=MODEL_CARD):
    """The shipped model's Conv2D layers (cnnviz.core.architecture.ConvLayer), or () if the card is missing."""
    try:
        training = json.loads(Path(path).read_text())["training"]
        layers = [(layer["name"], layer["type"], layer["output_shape"]) for layer in training["layers"]]
        return conv_layers(layers, kernel=int(training["config"]["kernel_size"]))
    except (OSError, ValueError, KeyError, TypeError):
        return ()
