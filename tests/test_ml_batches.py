"""cnnviz.ml.batches: training batches that reshuffle every epoch and augment with their own seed."""

import numpy as np
import pytest

from cnnviz.data.augment import Augmentation
from cnnviz.ml.batches import TrainingBatches

pytestmark = pytest.mark.tf


def test_training_batches_reshuffle_each_epoch_and_repeat_with_their_seed():
    images = np.random.default_rng(0).random((250, 28, 28, 1), dtype=np.float32)
    labels = np.arange(250)
    batches = TrainingBatches(images, labels, 100, Augmentation(), seed=3)
    assert len(batches) == 3 and len(TrainingBatches(images, labels, 100, seed=3, drop_remainder=True)) == 2
    first = [batches[i] for i in range(3)]
    assert sorted(np.concatenate([labels for _, labels in first]).tolist()) == labels.tolist()  # each once
    again = TrainingBatches(images, labels, 100, Augmentation(), seed=3)[0]
    np.testing.assert_array_equal(again[0], first[0][0])
    assert not np.allclose(first[0][0], images[first[0][1]])  # augmented
    batches.on_epoch_begin()  # the first epoch
    np.testing.assert_array_equal(batches[0][0], first[0][0])
    batches.on_epoch_begin()  # the second
    assert not np.array_equal(batches[0][1], first[0][1])  # a new order next epoch
