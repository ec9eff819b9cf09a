"""What the Convolution, Channels, Pooling and How a CNN learns pages put in a shareable link, with their defaults."""

from cnnviz.core import ops, tiny_cnn
from cnnviz.core.url_state import Field
from cnnviz.data import colour, presets

PADDINGS = (0, 1, 2)
# The largest feature map the Convolution page can make: its largest input, its smallest filter, stride 1
# and its largest padding (8×8, 1×1, padding 2: 12×12). It has the most steps of any view, and the
# Pooling page may start from it.
LARGEST_MAP = ops.output_size(max(presets.INPUT_SIZES), min(presets.FILTER_SIZES), 1, max(PADDINGS))
STEP = Field("step", 1, upper=LARGEST_MAP**2)  # counted from 1, as the page shows it
QUIZ = Field("quiz", 0, choices=(0, 1))
MAX_UPDATES = 20  # updates the How a CNN learns page applies one by one
DEFAULT_TRAINING_STEPS = 60
BIAS = Field("bias", 0.0, bounds=(-10, 10))  # the range of the page's bias input

CONVOLUTION = (
    Field("input", presets.make_input(presets.DEFAULT_INPUT), matrix=True, sizes=presets.INPUT_SIZES),
    Field("filter", presets.make_filter(presets.DEFAULT_FILTER), matrix=True, sizes=presets.FILTER_SIZES),
    Field("input_name", presets.DEFAULT_INPUT, choices=presets.INPUTS),  # the preset the numbers came from
    Field("filter_name", presets.DEFAULT_FILTER, choices=presets.FILTER_NAMES),
    Field("stride", 1, choices=(1, 2, 3)),
    Field("padding", 0, choices=PADDINGS),
    BIAS,
    Field("activation", "relu", choices=tuple(ops.ACTIVATIONS)),
    Field("digit", 0, upper=1999),
    QUIZ,
)

POOLING = (
    Field("input", presets.seed_feature_map(), matrix=True, sizes=tuple(range(2, LARGEST_MAP + 1))),
    Field("window", 2, choices=(2, 3)),
    Field("stride", 2, choices=(1, 2, 3)),
    Field("digit", 0, upper=1999),
    QUIZ,
)

BACKWARD = (
    Field("example", tiny_cnn.DEFAULT_EXAMPLE, upper=len(tiny_cnn.examples()) - 1),
    Field("input", tiny_cnn.examples()[tiny_cnn.DEFAULT_EXAMPLE].image, matrix=True, sizes=(tiny_cnn.SIZE,)),
    Field("class", tiny_cnn.examples()[tiny_cnn.DEFAULT_EXAMPLE].label, choices=(0, 1)),
    Field("seed", tiny_cnn.DEFAULT_SEED, upper=999),
    Field("rate", tiny_cnn.DEFAULT_LEARNING_RATE, choices=tiny_cnn.LEARNING_RATES),
    Field("updates", 0, upper=MAX_UPDATES),
    Field("train", DEFAULT_TRAINING_STEPS, upper=200),
    QUIZ,
)

CHANNELS_FILTERS = Field("filters", 4, choices=tuple(range(2, 2 + len(colour.FILTERS))))  # K, the layer's filters
CHANNELS = (
    Field("input", colour.make_input(colour.DEFAULT_INPUT), matrix=True, channels=3, sizes=colour.INPUT_SIZES),
    Field("filter", colour.make_filter(colour.DEFAULT_FILTER), matrix=True, channels=3, sizes=(3,)),
    Field("input_name", colour.DEFAULT_INPUT, choices=colour.INPUTS),  # the preset the numbers came from
    Field("filter_name", colour.DEFAULT_FILTER, choices=colour.FILTER_NAMES),
    Field("stride", 1, choices=(1, 2)),
    Field("padding", 0, choices=(0, 1)),
    BIAS,
    CHANNELS_FILTERS,
    QUIZ,
)
