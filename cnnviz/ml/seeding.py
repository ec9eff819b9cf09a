"""Seed one training run's model (its initial weights, its dropout) from one number, without touching the
random state the rest of the server process shares; cnnviz.ml.batches.TrainingBatches takes the same
seed for the order of the batches.

`keras.utils.set_random_seed` reseeds Python, NumPy and TensorFlow for the whole process, under every
other student's training; here each run carries its own seed instead.
"""

import keras
import numpy as np

SEED_RANGE = 2**31 - 1


def seed_model(model, seed):
    """Draw every weight of `model` afresh from its own initializer, seeded from `seed`, and restart each
    random layer (dropout, random shifts and turns) from a seed of its own. Returns `model`."""
    from keras.src.random.seed_generator import SeedGenerator

    seeds = np.random.default_rng(seed)
    for layer in _all_layers(model):
        for name in ("kernel", "bias", "depthwise_kernel", "pointwise_kernel", "gamma", "beta", "embeddings"):
            initializer, variable = getattr(layer, f"{name}_initializer", None), _variable(layer, name)
            if initializer is None or variable is None:
                continue
            config = initializer.get_config()
            if "seed" in config:
                config["seed"] = int(seeds.integers(SEED_RANGE))
            fresh = type(initializer).from_config(config)
            variable.assign(fresh(variable.shape, dtype=variable.dtype))
        for value in vars(layer).values():
            if isinstance(value, SeedGenerator):
                value.state.assign(np.array([seeds.integers(SEED_RANGE), 0]).astype(value.state.dtype))
    return model


def _all_layers(model):
    for layer in getattr(model, "layers", ()):
        yield layer
        yield from _all_layers(layer)


def _variable(layer, name):
    try:
        variable = getattr(layer, name, None)
    except (AttributeError, ValueError):  # a layer not built yet
        return None
    return variable if isinstance(variable, keras.Variable) else None
