"""Make the compact MNIST sample that ships inside the package.

Usage: python -m scripts.make_mnist_sample ../shared/data/mnist.npz

Takes a class-balanced random subset (1,000 training and 200 test digits per
class, fixed seed) of the full MNIST archive and writes it, compressed, to
cnnviz/data/mnist_sample.npz with the same four keys.
"""

import sys
from pathlib import Path

import numpy as np

TRAIN_PER_CLASS = 1000
TEST_PER_CLASS = 200
SEED = 2024
OUTPUT = Path(__file__).resolve().parent.parent / "cnnviz" / "data" / "mnist_sample.npz"


def balanced_indices(labels, per_class, rng):
    """Pick `per_class` indices of every digit, returned in the original order."""
    chosen = [rng.choice(np.flatnonzero(labels == digit), per_class, replace=False) for digit in range(10)]
    return np.sort(np.concatenate(chosen))


def main(source):
    rng = np.random.default_rng(SEED)
    with np.load(source, allow_pickle=False) as full:
        train = balanced_indices(full["y_train"], TRAIN_PER_CLASS, rng)
        test = balanced_indices(full["y_test"], TEST_PER_CLASS, rng)
        np.savez_compressed(
            OUTPUT,
            x_train=full["x_train"][train],
            y_train=full["y_train"][train],
            x_test=full["x_test"][test],
            y_test=full["y_test"][test],
        )
    print(f"wrote {OUTPUT} ({OUTPUT.stat().st_size / 1e6:.2f} MB): {len(train)} train, {len(test)} test digits")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
