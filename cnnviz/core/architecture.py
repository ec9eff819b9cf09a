"""Shapes and parameter counts of CNN layers, by plain arithmetic: no TensorFlow needed to read them."""

from dataclasses import dataclass

import numpy as np

INPUT, CONV, POOL, FLATTEN, DENSE = "input", "conv", "pool", "flatten", "dense"


def conv_output_side(side, kernel, stride=1, padding="valid"):
    """Output side of a convolution: (side − kernel) // stride + 1 if 'valid', ceil(side / stride) if 'same'."""
    if padding == "same":
        return -(-side // stride)
    if padding != "valid":
        raise ValueError(f"padding must be 'valid' or 'same', got {padding!r}.")
    if kernel > side:
        raise ValueError(f"A {kernel}×{kernel} kernel does not fit in a {side}×{side} input; use a smaller kernel.")
    return (side - kernel) // stride + 1


def pool_output_side(side, pool=2, stride=None):
    """Side after pooling windows of `pool` moved by `stride` (default: `pool`, so windows do not overlap)."""
    return (side - pool) // (stride or pool) + 1


def conv_params(kernel, in_channels, filters):
    """Weights and biases of a Conv2D layer: each filter has kernel × kernel × in_channels weights and one bias."""
    return (kernel * kernel * in_channels + 1) * filters


def conv_formula(kernel, in_channels, filters):
    """How conv_params counts, written out: '(3×3×1 + 1) × 32'."""
    return f"({kernel}×{kernel}×{in_channels} + 1) × {filters}"


@dataclass(frozen=True)
class ConvLayer:
    """A Conv2D layer as a count: `filters` filters of kernel × kernel × channels weights, each with a bias."""

    name: str
    kernel: int
    channels: int  # of its input: 1 for a grey image, the previous layer's filters after that
    filters: int

    @property
    def params(self):
        return conv_params(self.kernel, self.channels, self.filters)

    @property
    def formula(self):
        return conv_formula(self.kernel, self.channels, self.filters)


def conv_layers(layers, kernel, channels=1):
    """The Conv2D layers of a plain stack of layers, each reading the channels the layer before made.

    layers: (name, Keras type, output shape without the batch) in order, as a model card lists them.
    """
    found = []
    for name, kind, shape in layers:
        if kind == "Conv2D":
            found.append(ConvLayer(name, kernel, channels, int(shape[-1])))
        if len(shape) == 3:
            channels = int(shape[-1])
    return tuple(found)


def dense_params(inputs, units):
    """Weights and biases of a Dense layer: each unit has one weight per input and one bias."""
    return (inputs + 1) * units


@dataclass(frozen=True)
class LayerShape:
    """One layer of a model: what it outputs and how many numbers it learns."""

    name: str  # the Keras layer name, e.g. "conv1"
    kind: str  # INPUT, CONV, POOL, FLATTEN or DENSE
    shape: tuple  # output shape without the batch: (H, W, C) or (units,)
    params: int  # trainable weights and biases
    description: str  # e.g. "32 filters 3×3, relu"
    formula: str  # how `params` is computed, e.g. "(3×3×1 + 1) × 32"

    @property
    def size(self):
        """How many numbers the layer outputs for one image."""
        total = 1
        for side in self.shape:
            total *= side
        return total

    @property
    def shape_text(self):
        return "×".join(str(side) for side in self.shape)


class Layers(tuple):
    """LayerShapes in order, each also found by its name: `layers["dense1"]`."""

    def __getitem__(self, key):
        if not isinstance(key, str):
            return super().__getitem__(key)
        for layer in self:
            if layer.name == key:
                return layer
        raise KeyError(f"No layer named {key!r}; the layers are {', '.join(layer.name for layer in self)}.")

    def share_of_params(self, name):
        """The fraction of all the model's parameters that sit in the layer `name`."""
        return self[name].params / total_params(self)


def course_model(image_side=28, channels=1, filters=32, kernel=3, pool=2, hidden_units=100, classes=10):
    """The layers of the course model (cnnviz.ml.models.build_seed_cnn) with their shapes and parameter counts.

    Input → Conv2D(filters, kernel, relu) → MaxPooling2D(pool) → Flatten → Dense(hidden_units, relu)
    → Dense(classes, softmax); the defaults give 28×28×1 → 26×26×32 → 13×13×32 → 5408 → 100 → 10.
    """
    conv_side = conv_output_side(image_side, kernel)
    pool_side = pool_output_side(conv_side, pool)
    flat = pool_side * pool_side * filters
    return Layers(
        (
            LayerShape(
                "image", INPUT, (image_side, image_side, channels), 0, "the pixels, scaled to 0–1", "nothing to learn"
            ),
            LayerShape(
                "conv1",
                CONV,
                (conv_side, conv_side, filters),
                conv_params(kernel, channels, filters),
                f"{filters} filters {kernel}×{kernel}, relu",
                conv_formula(kernel, channels, filters),
            ),
            LayerShape(
                "pool1",
                POOL,
                (pool_side, pool_side, filters),
                0,
                f"max pooling {pool}×{pool}",
                "nothing to learn",
            ),
            LayerShape(
                "flatten",
                FLATTEN,
                (flat,),
                0,
                f"{pool_side}×{pool_side}×{filters} in one line",
                "nothing to learn",
            ),
            LayerShape(
                "dense1",
                DENSE,
                (hidden_units,),
                dense_params(flat, hidden_units),
                f"{hidden_units} units, relu",
                f"({flat} + 1) × {hidden_units}",
            ),
            LayerShape(
                "output",
                DENSE,
                (classes,),
                dense_params(hidden_units, classes),
                f"{classes} units, softmax",
                f"({hidden_units} + 1) × {classes}",
            ),
        )
    )


def total_params(layers):
    return sum(layer.params for layer in layers)


def first_layer_params(image_side, channels, *, units=100, filters=32, kernel=3):
    """(dense, conv): parameters of a Dense(units) layer on the whole image and of a Conv2D(filters, kernel) layer.

    The dense count grows with every pixel (side × side × channels weights per unit); the conv count
    does not depend on the image size at all, only on the kernel and the channels.
    """
    return dense_params(image_side * image_side * channels, units), conv_params(kernel, channels, filters)


def parameter_growth(sides, channel_counts=(1, 3), *, units=100, filters=32, kernel=3):
    """One row per (image side, channels): the first-layer parameter counts of a dense and a conv layer."""
    rows = []
    for channels in channel_counts:
        for side in sides:
            dense, conv = first_layer_params(side, channels, units=units, filters=filters, kernel=kernel)
            rows.append(
                {
                    "image": f"{side}×{side}×{channels}",
                    "side": side,
                    "channels": channels,
                    "inputs": side * side * channels,
                    "dense": dense,
                    "conv": conv,
                    "ratio": dense / conv,
                }
            )
    return rows


# -- receptive fields ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LayerGeometry:
    """How one conv or pooling layer slides its window: all a receptive field depends on."""

    name: str  # the Keras layer name, e.g. "conv1"
    kernel: int  # the window's side (the kernel of a conv layer, the pool size of a pooling layer)
    stride: int
    padding_before: int  # rows of zeros added above the input (and columns on its left)
    input_side: int
    output_side: int


def padding_before(input_side, output_side, kernel, stride, padding="valid"):
    """Zeros added above (and left of) the input: none for 'valid', half the total (rounded down) for 'same'."""
    if padding == "valid":
        return 0
    if padding != "same":
        raise ValueError(f"padding must be 'valid' or 'same', got {padding!r}.")
    return max((output_side - 1) * stride + kernel - input_side, 0) // 2


@dataclass(frozen=True)
class ReceptiveField:
    """The input pixels one unit depends on: rows top…bottom−1 and columns left…right−1 of the image."""

    top: int
    bottom: int
    left: int
    right: int
    nominal: int  # the field's side by the arithmetic alone, before the image's border cuts it

    @property
    def height(self):
        return self.bottom - self.top

    @property
    def width(self):
        return self.right - self.left

    @property
    def pixels(self):
        return self.height * self.width

    def mask(self, image_side=28):
        """(image_side, image_side) booleans, True inside the field."""
        inside = np.zeros((image_side, image_side), dtype=bool)
        inside[self.top : self.bottom, self.left : self.right] = True
        return inside


def receptive_field(geometries, row, col):
    """The ReceptiveField of the unit at (row, col) of the last layer of `geometries`.

    geometries: the LayerGeometry of every conv and pooling layer from the input up to the unit's
    layer, in order. Walking back one layer, output positions a…b read input positions
    a·stride − padding … b·stride − padding + kernel − 1; positions in the padding are zeros that
    depend on nothing, so each step keeps only the real ones.
    """
    if not geometries:
        raise ValueError("A receptive field needs at least one conv or pooling layer; got none.")
    side = geometries[-1].output_side
    if not (0 <= row < side and 0 <= col < side):
        raise ValueError(
            f"Layer {geometries[-1].name} is {side}×{side}; row and column run from 0 to {side - 1}, "
            f"got ({row}, {col})."
        )
    rows, cols = (row, row), (col, col)
    for geometry in reversed(geometries):
        rows, cols = _back(rows, geometry), _back(cols, geometry)
    return ReceptiveField(rows[0], rows[1] + 1, cols[0], cols[1] + 1, field_growth(geometries)[-1]["field"])


def _back(span, geometry):
    low, high = span
    low = low * geometry.stride - geometry.padding_before
    high = high * geometry.stride - geometry.padding_before + geometry.kernel - 1
    return max(low, 0), min(high, geometry.input_side - 1)


def field_growth(geometries):
    """One row per layer: how far its units see, by the recurrence field += (kernel − 1) × jump, jump ×= stride.

    jump: how many input pixels apart two neighbouring units of the layer's input are.
    """
    rows, field, jump = [], 1, 1
    for geometry in geometries:
        field += (geometry.kernel - 1) * jump
        rows.append(
            {"layer": geometry.name, "kernel": geometry.kernel, "stride": geometry.stride, "jump": jump, "field": field}
        )
        jump *= geometry.stride
    return rows
