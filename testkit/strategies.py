"""Hypothesis strategies the tests share, and the random arrays a drawn geometry stands for."""

import numpy as np
from hypothesis import strategies as st

# A random sliding-window geometry: input size and channels, a square window, stride, zero padding, a seed.
geometry = st.fixed_dictionaries(
    {
        "height": st.integers(1, 9),
        "width": st.integers(1, 9),
        "channels": st.integers(1, 3),
        "kernel": st.integers(1, 4),
        "stride": st.integers(1, 3),
        "padding": st.integers(0, 2),
        "seed": st.integers(0, 2**16),
    }
)
# The geometries whose filter fits inside the zero-padded input.
conv_geometry = geometry.filter(lambda g: g["kernel"] <= min(g["height"], g["width"]) + 2 * g["padding"])
# The same with a pooling window ("size": 2 or 3, from the drawn kernel) that fits inside the input.
pool_geometry = geometry.map(lambda g: {**g, "size": min(g["kernel"] + 1, 3)}).filter(
    lambda g: g["size"] <= min(g["height"], g["width"])
)

# A convolution layer's geometry: a square input of C channels, K filters with their window, stride and padding.
layer_geometry = st.fixed_dictionaries(
    {
        "side": st.integers(3, 8),
        "channels": st.integers(1, 4),
        "filters": st.integers(1, 8),
        "kernel": st.integers(1, 3),
        "stride": st.integers(1, 2),
        "padding": st.integers(0, 1),
        "seed": st.integers(0, 2**16),
    }
).filter(lambda g: g["kernel"] <= g["side"] + 2 * g["padding"])

# One side of a square input and a window that fits it, with a stride.
side_geometry = st.fixed_dictionaries(
    {"side": st.integers(1, 30), "kernel": st.integers(1, 5), "stride": st.integers(1, 4)}
).filter(lambda g: g["kernel"] <= g["side"])


def conv_arrays(g, channels=True):
    """(rng, image, kernel) for the geometry `g`: normal float32 values from its seed.

    With channels, image (H, W, C) and kernel (k, k, C); without, image (H, W) and kernel (k, k).
    The rng goes on from there, for a gradient or anything else the test needs next.
    """
    rng = np.random.default_rng(g["seed"])
    depth = (g["channels"],) if channels else ()
    image = rng.normal(size=(g["height"], g["width"], *depth)).astype("float32")
    kernel = rng.normal(size=(g["kernel"], g["kernel"], *depth)).astype("float32")
    return rng, image, kernel
