"""Make the augmentation results the app ships: the course CNN with and without augmentation on moved digits.

Usage:
    CNNVIZ_MNIST=/path/to/mnist.npz python -m scripts.augmentation_experiment      # the shipped run
    python -m scripts.augmentation_experiment --train-size 2000 --test-size 500 --epochs 1 --output /tmp/small.json

The shipped run trains the course CNN 2 epochs on the first 12,000 training digits, with and without the
Training page's augmentation, once per seed (0, 1, 2), and tests each on the first 2,000 test digits
shifted 0…6 pixels and rotated 0…45° in steps of 15°. Seeds are fixed: the same command repeats the same numbers, up
to the order of floating-point sums across CPU threads.
"""

import argparse
from pathlib import Path

from cnnviz.data.augmentation_experiment import CONDITION_LABELS, RESULTS_PATH, AugmentationExperimentConfig
from cnnviz.ml.augmentation_experiment import run_experiment


def main(argv=None):
    defaults = AugmentationExperimentConfig()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train-size", type=int, default=defaults.train_size)
    parser.add_argument("--test-size", type=int, default=defaults.test_size)
    parser.add_argument("--epochs", type=int, default=defaults.epochs)
    parser.add_argument("--seeds", type=int, nargs="+", default=list(defaults.seeds))
    parser.add_argument("--max-shift", type=int, default=defaults.max_shift)
    parser.add_argument("--max-rotation", type=int, default=defaults.max_rotation)
    parser.add_argument("--rotation-step", type=int, default=defaults.rotation_step)
    parser.add_argument("--output", type=Path, default=RESULTS_PATH)
    parser.add_argument("--processes", type=int, default=1, help="trainings side by side (the results do not change)")
    args = parser.parse_args(argv)
    config = AugmentationExperimentConfig(
        train_size=args.train_size,
        test_size=args.test_size,
        epochs=args.epochs,
        seeds=tuple(args.seeds),
        max_shift=args.max_shift,
        max_rotation=args.max_rotation,
        rotation_step=args.rotation_step,
    )
    results = run_experiment(
        config,
        on_progress=lambda message, fraction: print(f"{fraction:4.0%} {message}…", flush=True),
        processes=args.processes,
    )
    args.output.write_text(results.to_json() + "\n")
    print(f"\nData: {results.data_source}; {config}")
    for measure, axis in (("shift", config.shifts), ("rotation", config.rotations)):
        print(f"\n{measure:<22}" + "".join(f"{point:>7}" for point in axis))
        for condition, label in CONDITION_LABELS.items():
            mean, low, high = results.curve(condition, measure)
            print(f"{label:<22}" + "".join(f"{value:>7.1%}" for value in mean))
            print(f"{'  spread over seeds':<22}" + "".join(f"{b - a:>7.1%}" for a, b in zip(low, high)))
    print(f"\nWhole run: {results.run_seconds:.0f} s. Wrote {args.output}")


if __name__ == "__main__":
    main()
