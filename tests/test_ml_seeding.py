"""cnnviz.ml.seeding: a run seeds its own weights and batch order; the process's random state is left alone."""

import numpy as np
import pytest

from cnnviz.ml.jobs import FINISHED
from cnnviz.ml.slots import TrainingSlots

pytestmark = [pytest.mark.tf, pytest.mark.slow]


@pytest.fixture
def process_seeding_forbidden(monkeypatch):
    """Reseeding the process's random generators fails the test: a run must seed only itself."""
    import random

    import keras
    import tensorflow as tf

    def forbidden(*args, **kwargs):
        raise AssertionError("a training reseeded the whole process")

    for owner, name in (
        (keras.utils, "set_random_seed"),
        (tf.random, "set_seed"),
        (np.random, "seed"),
        (random, "seed"),
    ):
        monkeypatch.setattr(owner, name, forbidden)


def test_a_training_job_seeds_itself_and_leaves_the_process_random_state_alone(process_seeding_forbidden):
    from cnnviz.ml.jobs import TrainingJob
    from cnnviz.ml.training import TrainingSettings

    numpy_state = np.random.get_state()[1].copy()
    runs = []
    for seed in (3, 3, 4):
        job = TrainingJob(TrainingSettings(train_size=300, epochs=1, seed=seed), slots=TrainingSlots(1)).start()
        job.join(120)
        assert job.state == FINISHED, job.error
        runs.append((job.model.get_weights()[0], [point.loss for point in job.record.batches]))
    assert np.array_equal(runs[0][0], runs[1][0]) and runs[0][1] == pytest.approx(runs[1][1])
    assert not np.array_equal(runs[0][0], runs[2][0])
    assert np.array_equal(np.random.get_state()[1], numpy_state)


def test_the_ann_vs_cnn_experiment_seeds_itself_without_reseeding_the_process(process_seeding_forbidden):
    from cnnviz.data.ann_vs_cnn import MLP, ExperimentConfig
    from cnnviz.data.mnist import load_sample
    from cnnviz.ml.ann_vs_cnn import run_experiment

    config = ExperimentConfig(train_size=300, test_size=50, epochs=1, models=(MLP,), max_shift=1)
    first, second = (run_experiment(config, data=load_sample()) for _ in range(2))
    assert first.models[MLP].accuracy_by_shift == second.models[MLP].accuracy_by_shift


def test_the_experiment_stops_between_steps_when_asked():
    from cnnviz.data.ann_vs_cnn import MLP, ExperimentConfig
    from cnnviz.data.mnist import load_sample
    from cnnviz.ml.ann_vs_cnn import run_experiment

    said = []
    config = ExperimentConfig(train_size=300, test_size=50, epochs=1, models=(MLP,), max_shift=1)
    result = run_experiment(
        config,
        data=load_sample(),
        on_progress=lambda text, done: said.append((text, done)),
        should_stop=lambda: len(said) >= 2,
    )
    assert result is None and [done for _, done in said] == [0, pytest.approx(1 / 3)]
