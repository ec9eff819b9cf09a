"""cnnviz.ml.ann_vs_cnn: a fresh, small run of the experiment agrees with the shipped results."""

import pytest

pytestmark = pytest.mark.tf


@pytest.mark.slow
def test_a_fresh_small_rerun_agrees_in_direction_with_the_shipped_results():
    from cnnviz.data.ann_vs_cnn import load_results
    from cnnviz.data.mnist import load_sample
    from cnnviz.ml.ann_vs_cnn import run_experiment
    from cnnviz.ui.comparison import SMALL_RERUN

    fresh = run_experiment(SMALL_RERUN, data=load_sample()).models
    shipped = load_results().models
    for models in (fresh, shipped):  # CNN keeps more of its accuracy on digits moved 2 pixels than the MLP
        kept = {kind: result.accuracy_by_shift[2] / result.accuracy for kind, result in models.items()}
        assert kept["cnn"] > kept["mlp"] and kept["deep_cnn"] > kept["mlp"], kept
