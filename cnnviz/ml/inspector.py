"""Open a trained CNN on one image: what every layer outputs, and where the evidence for a digit lies.

`NetworkInspector(model)` wraps a Keras classifier of 28×28 digits built as a chain of layers
(Sequential, or a functional model without branches), such as the course model Conv2D →
MaxPooling2D → Flatten → Dense → Dense(10, softmax). It builds one
multi-output Keras model and two compiled TensorFlow functions once, then answers in a few
milliseconds per image:

- `activations(image)`: the feature maps of every conv layer, the pooled maps, the dense
  activations, the scores before the softmax and the probabilities.
- `explain(image, digits)`: for each digit, Grad-CAM and LayerCAM maps (on the last conv layer) and
  a saliency map (the gradient of the digit's score with respect to each input pixel), each (28, 28)
  in [0, 1].

This module imports TensorFlow; only the pages that need a model import it.
"""

import weakref
from dataclasses import dataclass

import keras
import numpy as np
import tensorflow as tf
from scipy import ndimage, stats

from cnnviz.core.architecture import LayerGeometry, padding_before
from cnnviz.core.input_layer import to_model_input

IMAGE_SIDE = 28

CONV = "conv"
POOL = "pool"
DENSE = "dense"

_CONV_TYPES = (keras.layers.Conv2D,)
_POOL_TYPES = (keras.layers.MaxPooling2D, keras.layers.AveragePooling2D)
# Layers that act on each value alone keep the shape: a map is shown after them (after the relu).
_ELEMENTWISE_TYPES = (
    keras.layers.Activation,
    keras.layers.ReLU,
    keras.layers.LeakyReLU,
    keras.layers.BatchNormalization,
    keras.layers.Dropout,
)


@dataclass(frozen=True)
class LayerActivation:
    """What one layer outputs for one image."""

    name: str  # the Keras layer name, e.g. "conv2d"
    kind: str  # CONV, POOL or DENSE
    description: str  # e.g. "32 filters 3×3, relu"
    values: np.ndarray  # (H, W, C) for conv and pool layers, (units,) for dense layers


@dataclass(frozen=True)
class NetworkActivations:
    """Every stage of the network for one image, input to softmax."""

    image: np.ndarray  # (28, 28) the model's input
    layers: tuple  # LayerActivation, in the order the image flows through them
    scores: np.ndarray  # (10,) the last layer's output before the softmax (logits)
    probabilities: np.ndarray  # (10,) after the softmax, summing to 1

    def of_kind(self, kind):
        """The layers of one kind (CONV, POOL or DENSE), in order."""
        return tuple(layer for layer in self.layers if layer.kind == kind)

    @property
    def predicted_digit(self):
        return int(np.argmax(self.probabilities))


@dataclass(frozen=True)
class Explanation:
    """Where, in the model's 28×28 input, the evidence for one digit lies."""

    digit: int
    score: float  # the digit's score before the softmax
    probability: float
    grad_cam: np.ndarray  # (28, 28) in [0, 1]: last conv maps weighted by their mean gradient, summed, relu
    layer_cam: np.ndarray  # (28, 28) in [0, 1]: each map position weighted by its own positive gradient
    saliency: np.ndarray  # (28, 28) in [0, 1]: |d score / d pixel|, scaled by its maximum
    conv_layer: str  # the layer Grad-CAM looked at


@dataclass(frozen=True)
class GradCamSteps:
    """Grad-CAM for one digit, step by step: each array the map is made of."""

    digit: int
    score: float  # the digit's score before the softmax
    probability: float
    layer: str  # the conv layer whose maps are weighed: the last one
    maps: np.ndarray  # (h, w, C) that layer's feature maps
    gradients: np.ndarray  # (h, w, C) d score / d map value
    alphas: np.ndarray  # (C,) each gradient map's mean: how much the score grows with that map on average
    weighted: np.ndarray  # (h, w) the maps weighted by their α, summed
    kept: np.ndarray  # (h, w) the weighted sum with negative evidence set to 0 (the ReLU)
    upsampled: np.ndarray  # (28, 28) in [0, 1]: resampled onto the input, divided by its maximum


class NetworkInspector:
    """Feature maps, activations and explanations of one Keras digit classifier.

    Build it once per model (it traces two TensorFlow functions) and reuse it; it only reads the
    model, so one inspector can serve many callers.
    """

    def __init__(self, model):
        if not getattr(model, "inputs", None):
            raise ValueError(
                "NetworkInspector needs a built Keras model with a known input shape; got a model "
                "without inputs. Build it with keras.Input((28, 28, 1)) or call it once on a batch."
            )
        self.model = model
        model_input = model.inputs[0]
        self.input_shape = tuple(model_input.shape[1:])  # (28, 28, 1) or (28, 28)
        if self.input_shape[:2] != (IMAGE_SIDE, IMAGE_SIDE):
            raise ValueError(
                f"NetworkInspector reads 28×28 digits; the model expects inputs of shape "
                f"{self.input_shape}. Pass a model built with keras.Input((28, 28, 1))."
            )
        chain = [layer for layer in model.layers if not isinstance(layer, keras.layers.InputLayer)]
        head_size, self._scores = _score_head(chain)
        self._body = chain[: len(chain) - head_size]  # the layers up to the scores (logits)
        self._stages = _stages(self._body)
        conv_stages = [stage for stage in self._stages if stage.kind == CONV]
        if not conv_stages:
            raise ValueError("NetworkInspector needs a model with at least one Conv2D layer; this one has none.")
        self.last_conv_name = conv_stages[-1].layer.name
        self._cam_layer = conv_stages[-1].layer  # Grad-CAM weighs this conv layer's own maps (after its relu)
        self.geometries = _geometries(self._body)  # LayerGeometry of every conv and pooling layer, in order
        self._cam_start, self._cam_step = _receptive_field_grid(self.geometries, self.last_conv_name)
        outputs = [stage.shown.output for stage in self._stages]
        self._activation_model = keras.Model(model_input, [*outputs, self._body[-1].output])
        signature = [tf.TensorSpec((None, *self.input_shape), tf.float32)]
        self._forward = tf.function(self._forward_graph, input_signature=signature)
        self._gradients = tf.function(
            self._gradient_graph, input_signature=[*signature, tf.TensorSpec((None,), tf.int32)]
        )
        self._check_against_the_model()  # also traces both functions, so the first caller does not wait

    # -- public ---------------------------------------------------------------------------------

    def activations(self, image):
        """Every stage of the network for one (28, 28) image in [0, 1]."""
        image = _check_image(image)
        *maps, scores, probabilities = self._forward(self._batch(image, 1))
        layers = tuple(
            LayerActivation(stage.layer.name, stage.kind, stage.description, values.numpy()[0])
            for stage, values in zip(self._stages, maps, strict=True)
        )
        return NetworkActivations(image, layers, scores.numpy()[0], probabilities.numpy()[0])

    def explain(self, image, digits):
        """An Explanation for each digit in `digits` (e.g. [predicted, 7]), in one batched pass."""
        image = _check_image(image)
        digits = [_check_digit(digit) for digit in digits]
        batch = self._batch(image, len(digits))
        return self.explanations_from(digits, self._gradients(batch, tf.constant(digits, tf.int32)))

    def explanations_from(self, digits, outputs):
        """An Explanation per digit from one traced pass's outputs (maps, their gradients, input gradients, ...)."""
        conv_maps, conv_gradients, input_gradients, scores, probabilities = (tensor.numpy() for tensor in outputs)
        explanations = []
        for row, digit in enumerate(digits):
            explanations.append(
                Explanation(
                    digit=digit,
                    score=float(scores[row, digit]),
                    probability=float(probabilities[row, digit]),
                    grad_cam=_scaled(self.to_input_grid(_grad_cam(conv_maps[row], conv_gradients[row]))),
                    layer_cam=_scaled(self.to_input_grid(_layer_cam(conv_maps[row], conv_gradients[row]))),
                    saliency=_scaled(np.abs(input_gradients[row].reshape(IMAGE_SIDE, IMAGE_SIDE))),
                    conv_layer=self.last_conv_name,
                )
            )
        return explanations

    def conv_layers(self):
        """The model's Conv2D layers, in order."""
        return [layer for layer in self._body if isinstance(layer, _CONV_TYPES)]

    def grad_cam_steps(self, image, digit):
        """Grad-CAM for one digit taken apart: every intermediate array, as `explain` computes it."""
        image = _check_image(image)
        digit = _check_digit(digit)
        conv_maps, conv_gradients, _, scores, probabilities = (
            tensor.numpy()[0] for tensor in self._gradients(self._batch(image, 1), tf.constant([digit], tf.int32))
        )
        alphas = conv_gradients.mean(axis=(0, 1))  # (C,)
        weighted = conv_maps @ alphas  # (h, w)
        kept = np.maximum(weighted, 0.0)
        return GradCamSteps(
            digit=digit,
            score=float(scores[digit]),
            probability=float(probabilities[digit]),
            layer=self.last_conv_name,
            maps=conv_maps,
            gradients=conv_gradients,
            alphas=alphas,
            weighted=weighted,
            kept=kept,
            upsampled=_scaled(self.to_input_grid(kept)),
        )

    def geometries_up_to(self, name):
        """The LayerGeometry of every conv and pooling layer from the input up to the layer `name`."""
        names = [geometry.name for geometry in self.geometries]
        if name not in names:
            raise ValueError(f"No conv or pooling layer named {name!r}; the layers are {', '.join(names)}.")
        return self.geometries[: names.index(name) + 1]

    def dense_weights(self, name):
        """(kernel (inputs, units), the shape of its inputs before Flatten, e.g. (13, 13, 32)) of dense layer `name`."""
        layer = self.model.get_layer(name)
        if not isinstance(layer, keras.layers.Dense):
            raise ValueError(f"Layer {name!r} is not a dense layer.")
        shape = tuple(layer.input.shape[1:])
        for earlier in reversed(self._body[: self._body.index(layer)]):
            if isinstance(earlier, keras.layers.Flatten):
                shape = tuple(earlier.input.shape[1:])  # the maps Flatten lined up
                break
            if not isinstance(earlier, _ELEMENTWISE_TYPES):
                break
        return np.asarray(layer.kernel), shape

    # -- compiled graphs ------------------------------------------------------------------------

    def _forward_graph(self, images):
        *maps, score_input = self._activation_model(images, training=False)
        scores = self._scores(score_input)
        return (*maps, scores, tf.nn.softmax(scores))

    def _gradient_graph(self, images, digits):
        return self.traced_pass(images, digits)

    def traced_pass(self, images, digits, conv=None):
        """(last conv maps, their gradients, input gradients, scores, probabilities) of each row's digit.

        For use inside a tf.function. conv: (layer, features) → the conv layer's output, to run the conv
        layers with other weights than the model's (cnnviz.ml.interventions); None runs the model's own.
        """
        with tf.GradientTape() as tape:
            tape.watch(images)
            features = images
            for layer in self._body:  # layer by layer, to keep hold of the last conv maps
                if conv is not None and isinstance(layer, _CONV_TYPES):
                    features = conv(layer, features)
                else:
                    features = layer(features, training=False)
                if layer is self._cam_layer:
                    conv_maps = features  # (N, h, w, C)
            scores = self._scores(features)  # (N, 10)
            chosen = tf.gather(scores, digits, axis=1, batch_dims=1)  # (N,) one score per row
            # Rows are independent, so the gradient of the sum gives each row its own gradient.
            total = tf.reduce_sum(chosen)
        conv_gradients, input_gradients = tape.gradient(total, [conv_maps, images])
        return conv_maps, conv_gradients, input_gradients, scores, tf.nn.softmax(scores)

    # -- helpers --------------------------------------------------------------------------------

    def _check_against_the_model(self):
        """Both passes must give the model's own probabilities; the layer-by-layer one does unless it branches."""
        image = np.random.default_rng(0).random((IMAGE_SIDE, IMAGE_SIDE), dtype=np.float32)
        expected = np.asarray(self.model(self._batch(image, 1), training=False))[0]  # (10,)
        try:
            by_layer = [explanation.probability for explanation in self.explain(image, range(10))]
        except (ValueError, TypeError, tf.errors.InvalidArgumentError):
            by_layer = None
        forward = self.activations(image).probabilities
        if (
            by_layer is None
            or not np.allclose(by_layer, expected, atol=1e-4)
            or not np.allclose(forward, expected, atol=1e-4)
        ):
            raise ValueError(
                "NetworkInspector follows the model layer by layer, and this model gives another answer that "
                "way: it branches or merges. Use a Sequential model or a functional chain of layers."
            )

    def _batch(self, image, copies):
        batch = np.broadcast_to(image, (copies, IMAGE_SIDE, IMAGE_SIDE))
        return tf.constant(batch.reshape(copies, *self.input_shape), tf.float32)

    def to_input_grid(self, cam):
        """Resample a (h, w) map of the last conv layer onto the 28×28 input it looked at."""
        pixel = np.arange(IMAGE_SIDE, dtype=float)
        rows, cols = np.meshgrid(
            (pixel - self._cam_start) / self._cam_step, (pixel - self._cam_start) / self._cam_step, indexing="ij"
        )
        return ndimage.map_coordinates(cam, [rows, cols], order=1, mode="nearest")


# -- model structure ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Stage:
    layer: object  # the Conv2D, pooling or Dense layer
    shown: object  # the layer whose output is shown: `layer`, or the relu / batch norm right after it
    kind: str
    description: str


def _stages(body):
    """The conv, pooling and hidden dense layers of a chain, each shown after its activation."""
    stages = []
    for index, layer in enumerate(body):
        if isinstance(layer, _CONV_TYPES):
            kind = CONV
            description = f"{layer.filters} filters {_pair(layer.kernel_size)}, {_activation_name(layer)}"
        elif isinstance(layer, _POOL_TYPES):
            kind = POOL
            operation = "max" if isinstance(layer, keras.layers.MaxPooling2D) else "average"
            description = f"{operation} pooling {_pair(layer.pool_size)}, stride {_pair(layer.strides)}"
        elif isinstance(layer, keras.layers.Dense):
            kind = DENSE
            description = f"{layer.units} units, {_activation_name(layer)}"
        else:
            continue
        shown = layer
        for follower in body[index + 1 :]:
            if not isinstance(follower, _ELEMENTWISE_TYPES):
                break
            shown = follower
            if isinstance(follower, (keras.layers.Activation, keras.layers.ReLU)):
                description = description.replace(", linear", "") + f", {_activation_name(follower)}"
            elif isinstance(follower, keras.layers.BatchNormalization):
                description += ", batch-normalised"
        stages.append(_Stage(layer, shown, kind, description))
    return stages


def _score_head(chain):
    """How the class scores (before the softmax) come out of the chain's end.

    Returns (how many final layers the scores replace, function from the output of the layer before
    them to the (N, 10) scores).
    """
    last = chain[-1]
    activation = _activation_name(last)
    if isinstance(last, keras.layers.Softmax) or (
        isinstance(last, keras.layers.Activation) and activation == "softmax"
    ):
        return 1, tf.identity
    if isinstance(last, keras.layers.Dense) and activation == "softmax":

        def dense_scores(features):
            return tf.matmul(features, last.kernel) + last.bias

        return 1, dense_scores
    if isinstance(last, keras.layers.Dense) and activation == "linear":
        return 0, tf.identity  # the model already outputs scores
    # Another head: the log of the probabilities differs from the scores by one constant per image.
    return 0, lambda probabilities: tf.math.log(probabilities + 1e-12)


def _geometries(body):
    """The LayerGeometry of every conv and pooling layer of a chain, in order."""
    geometries = []
    for layer in body:
        if isinstance(layer, _CONV_TYPES + _POOL_TYPES):
            kernel = layer.kernel_size[0] if isinstance(layer, _CONV_TYPES) else layer.pool_size[0]
            stride = layer.strides[0]
            size_in, size_out = layer.input.shape[1], layer.output.shape[1]
            padding = padding_before(size_in, size_out, kernel, stride, layer.padding)
            geometries.append(LayerGeometry(layer.name, kernel, stride, padding, size_in, size_out))
    return geometries


def _receptive_field_grid(geometries, last_conv):
    """(start, step): the input pixel at the centre of cell 0 of `last_conv`'s map, and the spacing.

    Follows the standard receptive-field arithmetic through the conv and pooling layers before it,
    so a 26×26 map of a valid 3×3 convolution lands on input pixels 1…26, not stretched over 0…27.
    """
    start, step = 0.0, 1.0
    for geometry in geometries:
        start += ((geometry.kernel - 1) / 2 - geometry.padding_before) * step
        step *= geometry.stride
        if geometry.name == last_conv:
            break
    return start, step


def _grad_cam(maps, gradients):
    """Grad-CAM: each channel weighted by its mean gradient, summed, negative evidence dropped."""
    weights = gradients.mean(axis=(0, 1))  # (C,)
    return np.maximum(maps @ weights, 0.0)  # (h, w)


def _layer_cam(maps, gradients):
    """LayerCAM (Jiang et al., 2021): each position of each map weighted by its own positive gradient.

    Grad-CAM averages each channel's gradient over the whole map; in an early layer, such as the only
    conv layer of the course model, those averages are often all negative and the map goes blank.
    """
    return np.maximum((np.maximum(gradients, 0.0) * maps).sum(axis=2), 0.0)  # (h, w)


def _scaled(values):
    """Values divided by their maximum, so 1 marks the strongest evidence (all zeros stay zeros)."""
    values = np.asarray(values, dtype=np.float32)
    peak = float(values.max()) if values.size else 0.0
    return values / peak if peak > 0 else np.zeros_like(values)


def _activation_name(layer):
    activation = getattr(layer, "activation", None)
    return getattr(activation, "__name__", str(activation))


def _pair(values):
    return "×".join(str(value) for value in values)


def _check_image(image):
    """One digit (28, 28), pixels 0–255 or 0–1, as float32 (28, 28) in [0, 1]; a ValueError for anything else."""
    batch = to_model_input(image)  # (N, 28, 28, 1)
    if len(batch) != 1:
        raise ValueError(f"The network reads one 28×28 image at a time; got {len(batch)} of them.")
    return batch[0, ..., 0]


def _check_digit(digit):
    if not 0 <= int(digit) <= 9 or int(digit) != digit:
        raise ValueError(f"A digit is a whole number from 0 to 9; got {digit!r}.")
    return int(digit)


# -- the sanity check --------------------------------------------------------------------------

_randomised = weakref.WeakKeyDictionary()  # model → the inspector of a copy with fresh random weights


def randomised_inspector(model):
    """A NetworkInspector of `model`'s architecture with every layer's weights drawn afresh, as before training.

    The model randomisation test (Adebayo et al., 2018, "Sanity checks for saliency maps"): a map that
    explains the model must change when the model's weights are randomised. Built once per model.
    """
    try:
        return _randomised[model]
    except KeyError:
        copy = keras.models.clone_model(model)  # the same layers, each initialised anew
        _randomised[model] = NetworkInspector(copy)
        return _randomised[model]


def rank_similarity(first, second):
    """Spearman's rank correlation of two maps' values, from −1 to 1 (0 when either map is flat)."""
    first, second = np.ravel(first), np.ravel(second)
    if np.ptp(first) == 0 or np.ptp(second) == 0:
        return 0.0
    return float(stats.spearmanr(first, second).statistic)
