"""The invariance lab's networks and their confidence in one digit as it is moved, turned or scaled.

Three networks read the same digit: the shipped CNN (trained with augmentation), the course CNN and a
plain dense network (MLP), the last two trained on MNIST as it is by scripts/train_invariance_models.py.
"""

from dataclasses import dataclass

import numpy as np

from cnnviz.data.invariance import pose_images, sweep
from cnnviz.ml.models import MODELS_DIR, PRETRAINED_PATH, load_pretrained
from cnnviz.ml.predict import predict_digits

SHIPPED, COURSE_CNN, MLP = "shipped", "course_cnn", "mlp"
MODEL_PATHS = {
    SHIPPED: PRETRAINED_PATH,
    COURSE_CNN: MODELS_DIR / "course_cnn.keras",
    MLP: MODELS_DIR / "mlp.keras",
}
MODEL_LABELS = {
    SHIPPED: "Shipped CNN (3 conv blocks, trained with augmentation)",
    COURSE_CNN: "Course CNN (conv 32 → pool → 100 → 10)",
    MLP: "Dense network (MLP 784 → 100 → 10)",
}


def load_lab_models(shipped=None):
    """{name: Keras model} of the three networks, from the files shipped in models/ (ModelLoadError if one is
    missing or unusable). `shipped`: the shipped CNN already loaded (default: load it, from $CNNVIZ_MODEL
    when set, as everywhere in the app)."""
    return {
        SHIPPED: shipped if shipped is not None else load_pretrained(),
        COURSE_CNN: load_pretrained(MODEL_PATHS[COURSE_CNN]),
        MLP: load_pretrained(MODEL_PATHS[MLP]),
    }


@dataclass(frozen=True)
class Curve:
    """Confidence in one digit of each network, along one move."""

    move: str  # "across", "down", "rotation" or "scale"
    values: list  # the move's values, in its unit
    confidence: dict  # network name → [probability of `digit`, one per value]


def confidence(models, images, digit):
    """{name: probability each network gives `digit` for each image (N, 28, 28)}."""
    return {name: predict_digits(model, images)[:, digit].astype(float).tolist() for name, model in models.items()}


def confidence_curve(models, image, digit, pose, move):
    """The Curve of `move` swept through its range, the other moves held where `pose` has them."""
    values, poses = sweep(pose, move)
    return Curve(move, values, confidence(models, pose_images(image, poses), digit))


def confidence_now(models, image, digit, pose):
    """{name: probability of `digit`} for the digit in `pose`."""
    return {name: values[0] for name, values in confidence(models, pose_images(image, [pose]), digit).items()}


def readings(models, image):
    """{name: the digit each network reads in `image` (28, 28)}."""
    return {name: int(np.argmax(predict_digits(model, image)[0])) for name, model in models.items()}
