"""What Streamlit's cleanup after every script run costs once TensorFlow is loaded, with and without a training.

After each run Streamlit (1.67) calls `gc.collect(2)` (config option `runner.postScriptGC`) and then
`keras.backend.clear_session()` (its private `script_runner._clean_problem_modules`). This measures, in
one process with the shipped model loaded:

- a full `gc.collect(2)`, before and after `gc.freeze()`;
- `keras.backend.clear_session()` itself, and one drawing read (`predict_digits`) right after it,
  against a read with no reset before it;
- the same while a training runs in a background thread (as the Training page's job does), and
  whether that training still finishes when clear_session is called between its batches.

    python -m benchmarks.rerun_cleanup [--repeats 15]
"""

import argparse
import gc
import statistics
import threading
import time

import numpy as np


def _ms(seconds):
    return f"{1000 * seconds:7.1f} ms"


def _median_time(action, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(repeats):
    import keras

    from cnnviz.core.input_layer import to_model_input
    from cnnviz.data.mnist import load_sample
    from cnnviz.ml.models import build_seed_cnn, load_pretrained
    from cnnviz.ml.predict import predict_digits

    model = load_pretrained()
    digit = load_sample()[1][0][0]
    predict_digits(model, digit)  # compile the graph once
    rows = {}
    rows["gc.collect(2), TensorFlow loaded"] = _median_time(lambda: gc.collect(2), repeats)
    gc.freeze()
    rows["gc.collect(2), after gc.freeze()"] = _median_time(lambda: gc.collect(2), repeats)
    rows["keras clear_session(), after freeze"] = _median_time(keras.backend.clear_session, repeats)
    rows["one read, no reset before it"] = _median_time(lambda: predict_digits(model, digit), repeats)

    def reset_then_read():
        keras.backend.clear_session()
        start = time.perf_counter()
        predict_digits(model, digit)
        return time.perf_counter() - start

    rows["one read, right after clear_session()"] = statistics.median(reset_then_read() for _ in range(repeats))

    (x_train, y_train), _ = load_sample()
    trainee = build_seed_cnn()
    finished = {}

    def train():
        try:
            inputs = to_model_input(x_train[:3000])
            history = trainee.fit(inputs, y_train[:3000], epochs=2, batch_size=64, verbose=0)
            finished["loss"] = history.history["loss"][-1]
        except Exception as error:  # reported below, not raised in the thread
            finished["error"] = repr(error)

    thread = threading.Thread(target=train)
    thread.start()
    time.sleep(3)  # into the first epoch
    during = []
    while thread.is_alive() and len(during) < repeats:
        start = time.perf_counter()
        gc.collect(2)
        keras.backend.clear_session()
        during.append(time.perf_counter() - start)
    thread.join()
    rows["collect + clear_session, training running"] = statistics.median(during) if during else float("nan")
    rows["one read, training running"] = _median_time(lambda: predict_digits(model, digit), repeats)
    outcome = finished.get("error") or f"finished, last loss {finished.get('loss', np.nan):.3f}"
    return rows, outcome


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    rows, outcome = measure(args.repeats)
    width = max(map(len, rows))
    for name, seconds in rows.items():
        print(f"{name:<{width}}  {_ms(seconds)}  (median of {args.repeats})")
    print(f"training with clear_session() between its batches: {outcome}")


if __name__ == "__main__":
    main()
