"""Server time of one intervention rerun on the Draw page: filters switched off and a kernel typed in, the
digit read again with its Grad-CAM map, next to the reading as loaded.

Usage: python -m benchmarks.interventions [--repeats 100]

Times what cnnviz.ui.interventions computes per rerun on the shipped model: the visitor's weight copies
with the edits applied and one traced pass with them (probabilities and the Grad-CAM map); the reading as
loaded is computed once per digit and kept. Prints p50 and p95 in ms. Target: ≤ 150 ms. `python -m benchmarks`
prints the same figure in its table.
"""

import argparse

import numpy as np

from benchmarks.predict_latency import timings_ms
from cnnviz.core.input_layer import normalise
from cnnviz.data.mnist import sample_digit
from cnnviz.ml.inspector import NetworkInspector
from cnnviz.ml.interventions import Edits, Intervener
from cnnviz.ml.models import load_pretrained

TARGET_MS = 150  # a rerun the visitor does not wait for


def intervention_rerun_ms(repeats):
    """(p50, p95) in ms of one intervention rerun on the shipped model."""
    inspector = NetworkInspector(load_pretrained())
    intervener = Intervener(inspector)
    image = normalise(sample_digit(0)[0])  # (28, 28) float32 in 0–1
    edits = Edits(
        off={"conv1": frozenset({0, 5}), "conv2": frozenset(range(10)), "conv3": frozenset({7})},
        kernel_filter=3,
        kernel=np.array([[1.0, 0.0, -1.0]] * 3),
    )

    def rerun():
        intervener.read(image, [3], edits)

    return np.percentile(timings_ms(rerun, repeats), [50, 95])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=100)
    args = parser.parse_args()
    p50, p95 = intervention_rerun_ms(args.repeats)
    print(f"intervention rerun (shipped model): p50 {p50:.1f} ms, p95 {p95:.1f} ms (target ≤ {TARGET_MS} ms)")


if __name__ == "__main__":
    main()
