"""What one training leaves in a server's memory: trainings run one after another through the job system,
as a class's are, in one process; resident memory and TensorFlow's traced graphs counted after each.

Usage: python -m benchmarks.training_memory [--trainings 25]

Each side runs in a fresh Python process: Keras' default; the optimizer's and the metrics' variables
built before `fit` traces its step (Keras' own symbolic build, as it does under a distribution strategy);
the optimizer without the gradients' all-reduce when there is one replica (the app's
`cnnviz.ml.models.make_optimizer`); both. Every training is 1,000 images × 1 epoch of the classic model,
its own seed; a session keeps only its latest job, as the app does, and the job collects garbage as
it ends. Reported: MB of VmRSS added per training (least squares over the trainings after the first
three) and the traced graphs (FuncGraph objects) still alive at the end.
"""

import argparse
import json
import subprocess
import sys

CHILD = """
import gc, json, sys
import numpy as np
from pathlib import Path
import cnnviz.ml.models as models
import cnnviz.ml.training as training
from cnnviz.ml.jobs import TrainingJob
from cnnviz.ml.slots import TrainingSlots
from tensorflow.python.framework.func_graph import FuncGraph

def resident_mb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024

side, trainings = sys.argv[1], int(sys.argv[2])
if "build" in side:
    build_model = training.build_model

    def built_first(settings):
        model = build_model(settings)
        model._symbolic_build(data_batch=(np.zeros((1, 28, 28, 1), "float32"), np.zeros((1,), "int64")))
        return model

    training.build_model = built_first
if "reduce" not in side:
    models._without_one_replica_all_reduce = lambda optimizer: optimizer
data = training.load_training_data()
sizes, latest = [], None
for seed in range(trainings):
    job = TrainingJob(training.TrainingSettings(train_size=1000, epochs=1, seed=seed), seed, data=data,
                      slots=TrainingSlots(1))
    job.start()
    job.join()
    if job.state != "finished":
        raise SystemExit(f"training {seed} ended {job.state}: {job.error}")
    latest = job  # a session keeps its latest job only
    sizes.append(resident_mb())
gc.collect()
graphs = sum(isinstance(thing, FuncGraph) for thing in gc.get_objects())
print(json.dumps({"sizes": sizes, "graphs": graphs}))
"""


def per_training_mb(sizes, skip=3):
    """Least-squares slope of VmRSS over the trainings after the first `skip`, in MB a training."""
    points = list(enumerate(sizes))[skip:]
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / spread


def measure(side, trainings):
    result = subprocess.run([sys.executable, "-c", CHILD, side, str(trainings)], capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(f"the {side} run failed:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trainings", type=int, default=25)
    args = parser.parse_args()
    rows = {
        "Keras' default": measure("default", args.trainings),
        "variables built before the trace": measure("build", args.trainings),
        "no one-replica all-reduce (the app)": measure("reduce", args.trainings),
        "both": measure("build+reduce", args.trainings),
    }
    print(f"{args.trainings} trainings (1,000 images × 1 epoch each) one after another in one process")
    print(f"{'':34}  {'MB per training':>15}  {'graphs left':>11}  {'VmRSS first → last':>20}")
    for name, row in rows.items():
        sizes = row["sizes"]
        first_last = f"{sizes[0]:.0f} → {sizes[-1]:.0f} MB"
        print(f"{name:34}  {per_training_mb(sizes):15.1f}  {row['graphs']:11d}  {first_last:>20}")


if __name__ == "__main__":
    main()
