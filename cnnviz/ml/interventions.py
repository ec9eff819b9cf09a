"""Switch filters off, or edit a first-layer kernel, and read the digit again: per visitor, the shared
model untouched.

`Intervener(inspector)` compiles the model's forward and gradient pass once with every conv layer's
kernel and bias as inputs of the graph, so any visitor's weights run through the same graph in a few
milliseconds; the weights themselves are plain NumPy copies (`Edits.apply`), one set per visitor.
"""

from dataclasses import dataclass, field

import numpy as np
import tensorflow as tf

from cnnviz.ml.inspector import IMAGE_SIDE


@dataclass(frozen=True)
class Edits:
    """What a visitor changed: filters switched off per conv layer, and one first-layer kernel typed in."""

    off: dict = field(default_factory=dict)  # layer name → frozenset of filter numbers switched off
    kernel_filter: int | None = None  # the first-layer filter whose kernel was edited
    kernel: np.ndarray | None = None  # (k, k) its new weights (single-channel input)

    @property
    def any(self):
        return any(self.off.values()) or self.kernel is not None

    def describe(self):
        parts = [
            f"{layer} filter{'s' if len(filters) > 1 else ''} {', '.join(str(f) for f in sorted(filters))} off"
            for layer, filters in self.off.items()
            if filters
        ]
        if self.kernel is not None:
            parts.append(f"first-layer filter {self.kernel_filter}'s kernel edited")
        return "; ".join(parts) or "nothing changed"


class Intervener:
    """A model's passes with the conv weights as inputs: the same model, any visitor's weights."""

    def __init__(self, inspector):
        self.inspector = inspector
        self.layers = inspector.conv_layers()
        self.names = [layer.name for layer in self.layers]
        self.kernels = tuple(np.asarray(layer.kernel) for layer in self.layers)  # the model's own, read once
        self.biases = tuple(np.asarray(layer.bias) for layer in self.layers)
        images = tf.TensorSpec((None, *inspector.input_shape), tf.float32)
        digits = tf.TensorSpec((None,), tf.int32)
        kernels = [tf.TensorSpec(kernel.shape, tf.float32) for kernel in self.kernels]
        biases = [tf.TensorSpec(bias.shape, tf.float32) for bias in self.biases]
        self._pass = tf.function(self._graph, input_signature=[images, digits, kernels, biases])
        self.run(np.zeros((IMAGE_SIDE, IMAGE_SIDE), np.float32), [0], Edits())  # trace now, not on a visitor's rerun

    def weights(self, edits):
        """(kernels, biases): copies of the model's conv weights with `edits` applied."""
        kernels = [kernel.copy() for kernel in self.kernels]
        biases = [bias.copy() for bias in self.biases]
        for name, filters in edits.off.items():
            index = self._index(name)
            for number in filters:
                if not 0 <= number < kernels[index].shape[-1]:
                    raise ValueError(f"{name} has filters 0 to {kernels[index].shape[-1] - 1}; got filter {number}.")
                kernels[index][..., number] = 0.0
                biases[index][number] = 0.0
        if edits.kernel is not None:
            first = kernels[0]  # (k, k, channels in, filters)
            kernel = np.asarray(edits.kernel, dtype=np.float32)
            if kernel.shape != first.shape[:2]:
                raise ValueError(
                    f"The first layer's kernels are {first.shape[0]}×{first.shape[1]}; got {kernel.shape}."
                )
            first[:, :, :, edits.kernel_filter] = kernel[:, :, None]
        return kernels, biases

    def read(self, image, digits, edits):
        """(probabilities (10,), an Explanation per digit) of the network with `edits` applied, in one pass."""
        outputs = self.run(image, digits, edits)
        return outputs[4].numpy()[0], self.inspector.explanations_from(digits, outputs)

    def run(self, image, digits, edits):
        """The traced pass's raw outputs (last conv maps, gradients, input gradients, scores, probabilities)."""
        kernels, biases = self.weights(edits)
        batch = np.broadcast_to(np.asarray(image, np.float32), (len(digits), IMAGE_SIDE, IMAGE_SIDE))
        batch = batch.reshape(len(digits), *self.inspector.input_shape)
        return self._pass(tf.constant(batch), tf.constant(list(digits), tf.int32), kernels, biases)

    def _graph(self, images, digits, kernels, biases):
        weights = dict(zip(self.names, zip(kernels, biases, strict=True), strict=True))

        def conv(layer, features):
            kernel, bias = weights[layer.name]
            return layer.activation(layer.convolution_op(features, kernel) + bias)

        return self.inspector.traced_pass(images, digits, conv)

    def _index(self, name):
        if name not in self.names:
            raise ValueError(f"No conv layer named {name!r}; the conv layers are {', '.join(self.names)}.")
        return self.names.index(name)
