"""What the Convolution and Pooling pages put in a shareable link, with their defaults."""

from cnnviz.core import ops
from cnnviz.core.url_state import Field
from cnnviz.data import presets

STEP = Field("step", 1, upper=100)  # counted from 1, as the page shows it
QUIZ = Field("quiz", 0, choices=(0, 1))
BIAS = Field("bias", 0.0, bounds=(-10, 10))  # the range of the page's bias input

CONVOLUTION = (
    Field("input", presets.make_input(presets.DEFAULT_INPUT), matrix=True, sizes=presets.INPUT_SIZES),
    Field("filter", presets.make_filter(presets.DEFAULT_FILTER), matrix=True, sizes=presets.FILTER_SIZES),
    Field("stride", 1, choices=(1, 2, 3)),
    Field("padding", 0, choices=(0, 1, 2)),
    BIAS,
    Field("activation", "relu", choices=tuple(ops.ACTIVATIONS)),
    Field("digit", 0, upper=1999),
    QUIZ,
)

POOLING = (
    Field("input", presets.seed_feature_map(), matrix=True, sizes=(2, 3, 4, 5, 6, 7, 8)),
    Field("window", 2, choices=(2, 3)),
    Field("stride", 2, choices=(1, 2, 3)),
    Field("digit", 0, upper=1999),
    QUIZ,
)
