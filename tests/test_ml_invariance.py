"""The invariance lab's shipped networks: their size, how they were trained, and curves that come from them."""

import json

import numpy as np
import pytest
from scipy import ndimage

from cnnviz.data.invariance import Pose
from cnnviz.data.mnist import sample_digit
from testkit.apptest import ROOT

MODELS_DIR = ROOT / "models"  # where cnnviz.ml.models finds them (not imported here: it loads TensorFlow)

MAX_SHIPPED_MODEL_BYTES = 5_000_000


def test_every_shipped_model_together_fits_in_five_megabytes():
    sizes = {path.name: path.stat().st_size for path in MODELS_DIR.glob("*.keras")}
    assert {"cnnviz_mnist.keras", "course_cnn.keras", "mlp.keras"} <= set(sizes)
    assert sum(sizes.values()) <= MAX_SHIPPED_MODEL_BYTES, sizes


def test_the_lab_networks_were_trained_as_their_report_says():
    report = json.loads((MODELS_DIR / "invariance_models.json").read_text())
    assert report["data"] == "full MNIST" and report["train_digits"] == 60_000
    for name in ("course_cnn", "mlp"):
        facts = report["models"][name]
        assert (MODELS_DIR / facts["file"]).stat().st_size == facts["file_bytes"]
        assert facts["augmentation"] is None and facts["mnist_test_accuracy"] > 0.97


@pytest.mark.slow
@pytest.mark.tf
def test_lab_curves_come_from_the_networks_they_name():
    """One point of each curve recomputed here: the digit moved with SciPy, read by each model called directly."""
    from cnnviz.ml import invariance
    from cnnviz.ml.ann_vs_cnn import build_mlp
    from cnnviz.ml.models import build_seed_cnn, load_pretrained

    models = invariance.load_lab_models()
    assert set(models) == {invariance.SHIPPED, invariance.COURSE_CNN, invariance.MLP}
    assert models[invariance.MLP].count_params() == build_mlp().count_params()
    assert models[invariance.COURSE_CNN].count_params() == build_seed_cnn().count_params()
    image, label = sample_digit(0)
    image = image / 255.0
    curve = invariance.confidence_curve(models, image, label, Pose(), "across")
    point = curve.values.index(3)
    moved = ndimage.shift(image, (0, 3), order=1, mode="constant")[None, :, :, None].astype("float32")
    for name, path in invariance.MODEL_PATHS.items():
        model = load_pretrained(path)  # a second copy, from the file the lab names
        expected = float(np.asarray(model(moved, training=False))[0, label])
        assert curve.confidence[name][point] == pytest.approx(expected, abs=1e-4)
    assert curve.confidence[invariance.COURSE_CNN] != curve.confidence[invariance.MLP]
