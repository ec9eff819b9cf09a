"""What one training leaves in a server's memory: trainings run one after another through the job system,
as a class's are, in one process; resident memory and TensorFlow's traced graphs counted after each.

Usage: python -m benchmarks.training_memory [--trainings 25]

Each side runs in a fresh Python process: with `build_training_state` (the optimizer's and the metrics'
variables made before `fit` traces its step, as the app does) and without it (Keras' default, the
variables made inside the first trace). Every training is 1,000 images × 1 epoch of the classic model,
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
from pathlib import Path
import cnnviz.ml.training as training
from cnnviz.ml.jobs import TrainingJob
from cnnviz.ml.slots import TrainingSlots
from tensorflow.python.framework.func_graph import FuncGraph

def resident_mb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024

early, trainings = sys.argv[1] == "early", int(sys.argv[2])
if not early:
    training.build_training_state = lambda model, images, labels: None
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


def measure(early, trainings):
    side = "early" if early else "keras-default"
    result = subprocess.run([sys.executable, "-c", CHILD, side, str(trainings)], capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(f"the {side} run failed:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trainings", type=int, default=25)
    args = parser.parse_args()
    rows = {
        "Keras' default (variables made in the trace)": measure(False, args.trainings),
        "build_training_state first (the app)": measure(True, args.trainings),
    }
    print(f"{args.trainings} trainings (1,000 images × 1 epoch each) one after another in one process")
    print(f"{'':46}  {'MB per training':>15}  {'graphs left':>11}  {'VmRSS first → last':>20}")
    for name, row in rows.items():
        sizes = row["sizes"]
        first_last = f"{sizes[0]:.0f} → {sizes[-1]:.0f} MB"
        print(f"{name:46}  {per_training_mb(sizes):15.1f}  {row['graphs']:11d}  {first_last:>20}")


if __name__ == "__main__":
    main()
