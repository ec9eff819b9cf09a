"""How much wider or deeper the shipped network can grow and still read a drawing within 5 ms.

Usage: python -m benchmarks.capacity_speed [--repeats 200] [--rounds 2]

Builds the shipped model's configuration (from its training record beside it in models/) and wider
and deeper members of its family, with untrained weights (the time of a forward pass does not depend
on their values), and times one 280×280 drawing → canvas_to_mnist → predict_digits for each, p50 and p95, the models
taking turns round after round so that a machine's changing load falls on all of them alike; and
the size of each model's file, weights only, as the app ships it. Targets: p50 ≤ 5 ms on a 2-core
CPU, file ≤ 2 MB.
"""

import argparse
import json
import tempfile
from dataclasses import replace
from pathlib import Path

import numpy as np

from benchmarks.predict_latency import timings_ms
from cnnviz.data.drawing import canvas_to_mnist
from cnnviz.ml.models import PRETRAINED_PATH, CnnConfig, build_cnn, save_model
from cnnviz.ml.predict import predict_digits
from testkit.synthetic import render_digit

SHIPPED = CnnConfig(**json.loads(PRETRAINED_PATH.with_suffix(".training.json").read_text())["config"])
SHIPPED_NAME = f"shipped ({SHIPPED.filters} filters)"
CANDIDATES = {
    SHIPPED_NAME: SHIPPED,
    **{f"{n} filters": replace(SHIPPED, filters=n) for n in (32, 48, 64) if n != SHIPPED.filters},
    "two convolutions a block": replace(SHIPPED, convs_per_block=2),
}


def file_megabytes(model):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.keras"
        save_model(model, path)
        return path.stat().st_size / 1e6


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()

    canvas = render_digit(3, offset=(25, -30), angle=8, stroke=20)  # (280, 280, 4)
    models = {name: build_cnn(config, compile=False) for name, config in CANDIDATES.items()}
    times = {name: [] for name in models}
    for _ in range(args.rounds):
        for name, model in models.items():
            times[name].append(
                timings_ms(lambda model=model: predict_digits(model, canvas_to_mnist(canvas)), args.repeats)
            )
    base = np.percentile(np.concatenate(times[SHIPPED_NAME]), 50)
    print(f"{'drawing → probabilities':<28}{'parameters':>11}{'MB':>6}{'p50 ms':>8}{'p95 ms':>8}{'× shipped':>11}")
    for name, model in models.items():
        p50, p95 = np.percentile(np.concatenate(times[name]), [50, 95])
        verdict = "" if p50 <= 5 else "  OVER 5 ms"
        print(
            f"{name:<28}{model.count_params():>11,}{file_megabytes(model):>6.2f}{p50:>8.2f}{p95:>8.2f}"
            f"{p50 / base:>10.2f}×{verdict}"
        )


if __name__ == "__main__":
    main()
