"""Training batches for `model.fit`: shuffled every epoch and, optionally, augmented by cnnviz.data.augment."""

import math

import keras
import numpy as np

from cnnviz.data.augment import augment


class TrainingBatches(keras.utils.PyDataset):
    """Batches of (images, labels), reshuffled each epoch; each batch augmented with its own seed.

    images: (N, 28, 28, 1) float32 in [0, 1]; labels: (N,).
    augmentation: a cnnviz.data.augment.Augmentation, or None for the digits as they are.
    seed: fixes the order and the augmentation of every batch of every epoch, so a run repeats.
    first_epoch: the epoch number the fit starts at (after Continue), so later epochs get new draws.
    drop_remainder: leave out the short last batch of each epoch.

    Pass `shuffle=False` to `model.fit`: the order is this class's, set by `seed`. A background
    thread of tf.data prepares the next batches while the model trains on this one.
    """

    def __init__(self, images, labels, batch_size, augmentation=None, *, seed=0, first_epoch=0, drop_remainder=False):
        super().__init__()
        if len(images) != len(labels):
            raise ValueError(f"{len(images)} images but {len(labels)} labels; give one label per image.")
        if batch_size < 1 or len(images) < (batch_size if drop_remainder else 1):
            raise ValueError(f"{len(images)} images make no batch of {batch_size}; use a smaller batch size.")
        self.images = images
        self.labels = np.asarray(labels)
        self.batch_size = batch_size
        self.augmentation = augmentation
        self.seed = seed
        self.epoch = first_epoch
        self.drop_remainder = drop_remainder
        self._orders = {}
        self._begun = False

    @property
    def num_batches(self):
        count = len(self.images) / self.batch_size
        return math.floor(count) if self.drop_remainder else math.ceil(count)

    def __len__(self):
        return self.num_batches

    def _order(self, epoch):
        if epoch not in self._orders:  # one permutation per epoch, made when first needed
            self._orders = {epoch: np.random.default_rng((self.seed, epoch)).permutation(len(self.images))}
        return self._orders[epoch]

    def __getitem__(self, index):
        if not 0 <= index < self.num_batches:
            raise IndexError(f"batch {index} of {self.num_batches}")
        chosen = self._order(self.epoch)[index * self.batch_size : (index + 1) * self.batch_size]
        images = self.images[chosen]  # (batch, 28, 28, 1)
        if self.augmentation is not None:
            images = augment(images, (self.seed, self.epoch, index), self.augmentation)
        return images, self.labels[chosen]

    def on_epoch_begin(self):
        """Keras calls this as each epoch starts (it also reads a batch or two before, to learn the shapes)."""
        if self._begun:
            self.epoch += 1
        self._begun = True
