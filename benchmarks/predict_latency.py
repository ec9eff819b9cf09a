"""How long one drawing takes from canvas to probabilities, next to `model.predict()`.

Usage: python -m benchmarks.predict_latency [--model models/cnnviz_mnist.keras] [--repeats 200]

Times canvas_to_mnist + predict_digits on a 280×280 RGBA drawing (testkit.synthetic), its parts, and
model.predict() on the same 28×28 input; and to_grey, which turns only the canvas's alpha channel into
floats, next to converting all four channels; prints p50 and p95 in ms.
Target: p50 ≤ 5 ms for the whole drawing on a 2-core CPU.
"""

import argparse
import time
from pathlib import Path

import numpy as np

from cnnviz.core.input_layer import to_model_input
from cnnviz.data.drawing import canvas_to_mnist, to_grey
from cnnviz.ml.models import PRETRAINED_PATH, load_pretrained
from cnnviz.ml.predict import predict_digits
from testkit.synthetic import render_digit


def timings_ms(function, repeats, warmup=10):
    """Milliseconds of each of `repeats` calls, after `warmup` untimed ones."""
    for _ in range(warmup):
        function()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return np.array(times)


def grey_through_all_channels(canvas):
    """What to_grey did with a transparent canvas before it read the alpha channel alone."""
    alpha = (canvas.astype(np.float32) / 255.0)[..., -1]
    np.median(np.concatenate([alpha[0], alpha[-1], alpha[:, 0], alpha[:, -1]]))  # is the ground transparent?
    return np.clip(alpha, 0.0, 1.0)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, default=PRETRAINED_PATH)
    parser.add_argument("--repeats", type=int, default=200)
    args = parser.parse_args()

    model = load_pretrained(args.model)
    canvas = render_digit(3, offset=(25, -30), angle=8, stroke=20)  # (280, 280, 4)
    digit = canvas_to_mnist(canvas)  # (28, 28)
    batch = to_model_input(digit)  # (1, 28, 28, 1)

    cases = {
        "grey, all channels": lambda: grey_through_all_channels(canvas),
        "to_grey (alpha only)": lambda: to_grey(canvas),
        "canvas_to_mnist": lambda: canvas_to_mnist(canvas),
        "predict_digits": lambda: predict_digits(model, digit),
        "drawing → probabilities": lambda: predict_digits(model, canvas_to_mnist(canvas)),
        "model.predict()": lambda: model.predict(batch, verbose=0),
    }
    results = {}
    print(f"{'one drawing':<26}{'p50 ms':>9}{'p95 ms':>9}")
    for name, function in cases.items():
        repeats = args.repeats if name != "model.predict()" else max(20, args.repeats // 4)
        times = timings_ms(function, repeats)
        results[name] = np.percentile(times, [50, 95])
        print(f"{name:<26}{results[name][0]:>9.2f}{results[name][1]:>9.2f}")
    grey = results["grey, all channels"][0] / results["to_grey (alpha only)"][0]
    print(f"The ink as floats through all four channels takes {grey:.1f}× as long as to_grey's alpha alone.")
    ratio = results["model.predict()"][0] / results["predict_digits"][0]
    print(f"model.predict() takes {ratio:.0f}× as long as predict_digits (p50).")
    target = results["drawing → probabilities"][0]
    print(f"drawing → probabilities p50 {target:.2f} ms: {'within' if target <= 5 else 'OVER'} the 5 ms target.")


if __name__ == "__main__":
    main()
