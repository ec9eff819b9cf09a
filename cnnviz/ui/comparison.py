"""Streamlit glue for the ANN vs CNN page: the parameter table, the shipped results, previews and a small rerun.

Session state: avc_rerun holds the ExperimentResults of this visitor's small rerun (None before one);
avc_use_rerun says whether the page shows it instead of the shipped results. The rerun trains as a job of
the server's job line (kind RERUN_KIND), like every training.
"""

import streamlit as st

from cnnviz.core import architecture
from cnnviz.core.input_layer import normalise
from cnnviz.data import ann_vs_cnn
from cnnviz.data.mnist import load_sample, sample_digit
from cnnviz.figures.network import picture_figure
from cnnviz.ui import jobs
from cnnviz.ui.charts import show_chart
from cnnviz.ui.state import AVC_RERUN, AVC_RERUN_JOB, AVC_RERUN_REQUESTED, AVC_USE_RERUN

PREVIEW_DIGIT = 0  # the bundled test digit shown moved and shuffled
SMALL_RERUN = ann_vs_cnn.ExperimentConfig(train_size=3_000, test_size=1_000, epochs=1)
RERUN_KIND = "ANN vs CNN rerun"
RERUN_SECONDS = 60.0  # what the small rerun takes on 2 cores, before this server has timed one


def growth_table(rows):
    return [
        {
            "image (H×W×C)": row["image"],
            "pixel values": f"{row['inputs']:,}",
            "dense layer parameters": f"{row['dense']:,}",
            "conv layer parameters": f"{row['conv']:,}",
            "dense ÷ conv": f"{row['ratio']:,.0f}×",
        }
        for row in rows
    ]


def growth_text(rows, units, filters, kernel):
    small = next(row for row in rows if row["channels"] == 1)
    large = rows[-1]
    course = architecture.course_model()
    mlp = architecture.dense_params(784, 100) + architecture.dense_params(100, 10)
    side = 28
    for _ in range(2):  # the deeper CNN: two blocks of a valid 3×3 convolution and a 2×2 pooling
        side = architecture.pool_output_side(architecture.conv_output_side(side, 3))
    deep_side = side
    return (
        f"A dense layer of {units} units connects each of them to every pixel value: on a "
        f"{small['image']} digit that is ({small['inputs']:,} + 1) × {units} = **{small['dense']:,}** parameters, "
        f"on a {large['image']} image **{large['dense']:,}**. A conv layer of {filters} filters "
        f"{kernel}×{kernel} slides the same weights everywhere: ({kernel}×{kernel}×C + 1) × {filters}, "
        f"**{small['conv']:,}** for grey images and **{large['conv']:,}** for colour ones, whatever their size.\n\n"
        f"Honestly counted, the whole course CNN ({architecture.total_params(course):,} parameters) is larger "
        f"than an MLP 784 → 100 → 10 ({mlp:,}): its dense layer reads {course[3].size:,} numbers, not 784. The "
        "saving is in the convolution layers; real CNNs stack conv + pool blocks so that the part that is dense "
        f"reads a small map: the deeper CNN of claims 2 and 3 flattens {deep_side}×{deep_side}×64 = "
        f"{deep_side * deep_side * 64:,} numbers."
    )


@st.cache_data(show_spinner=False)
def _shipped_results(text):
    return ann_vs_cnn.ExperimentResults.from_json(text)


def experiment_results():
    """The results to show: this session's rerun if chosen, else the shipped ones; None (explained) if missing."""
    _collect_rerun()
    rerun = AVC_RERUN.get()
    if rerun is not None and AVC_USE_RERUN.get(True):
        return rerun
    path = ann_vs_cnn.RESULTS_PATH
    if not path.is_file():
        st.error(f"The precomputed results are missing ({path.name}); make them with `python -m scripts.ann_vs_cnn`.")
        return None
    return _shipped_results(path.read_text())


def results_source(results):
    config = results.config
    origin = "your small rerun" if results is AVC_RERUN.get() else "scripts/ann_vs_cnn.py"
    return (
        f"Measured by {origin}: each network trained {config.epochs} epoch{'s' if config.epochs > 1 else ''} "
        f"(batch {config.batch_size}, seed {config.seed}) on the first {config.train_size:,} training digits of "
        f"{results.data_source}, tested on {config.test_size:,} test digits; the whole run took "
        f"{results.run_seconds:,.0f} s."
    )


def shift_preview(max_shift):
    image, label = sample_digit(PREVIEW_DIGIT)
    shift = st.slider("Move the digit by (pixels)", 0, max_shift, min(3, max_shift), key="avc_shift")
    names = ("right", "left", "down", "up")
    for column, (rows, cols), name in zip(st.columns(4), ann_vs_cnn.DIRECTIONS, names):
        moved = ann_vs_cnn.shift_digits(image[None], rows * shift, cols * shift)[0]
        show_chart(
            picture_figure(normalise(moved), title=f"a {label}, {shift} px {name}", height=200),
            key=f"avc_moved_{name}",
            container=column,
        )


def _drop(result, shift):
    return result.accuracy_by_shift[0], result.accuracy_by_shift[shift]


def shift_text(results):
    shift = min(3, results.config.max_shift)
    parts = [
        f"{result.label.split(':')[0]} from **{before:.1%}** to **{after:.1%}**"
        for result in results.models.values()
        for before, after in [_drop(result, shift)]
    ]
    text = f"Moved {shift} pixels, the accuracy falls: " + "; ".join(parts) + "."
    kept = {kind: result.accuracy_by_shift[shift] / result.accuracy for kind, result in results.models.items()}
    best = max(kept, key=kept.get)
    text += (
        f" Relative to its own accuracy on centred digits, the {results.models[best].label.split(':')[0]} keeps the "
        f"most ({kept[best]:.0%}). A convolution finds a stroke wherever it is, and pooling forgives small moves; "
        "but the dense layers at the end still tie each feature to a place, so no network here is fully "
        "shift-proof. Training on shifted copies (augmentation, on the Training page) is the usual remedy."
    )
    return text


def permutation_preview(seed):
    image, label = sample_digit(PREVIEW_DIGIT)
    shuffled = ann_vs_cnn.permute_pixels(image[None], ann_vs_cnn.pixel_permutation(seed))[0]
    left, right, _ = st.columns([1, 1, 2])
    show_chart(picture_figure(normalise(image), title=f"a {label}", height=200), container=left)
    show_chart(picture_figure(normalise(shuffled), title="the same pixels, shuffled", height=200), container=right)


def permutation_text(results):
    parts = [
        f"{result.label.split(':')[0]}: **{result.accuracy:.1%}** → **{result.permuted_accuracy:.1%}**"
        for result in results.models.values()
    ]
    mlp = results.models.get(ann_vs_cnn.MLP)
    cnns = [result for kind, result in results.models.items() if kind != ann_vs_cnn.MLP]
    if mlp is not None and cnns:
        losses = [result.accuracy - result.permuted_accuracy for result in cnns]
        parts[-1] += (
            f". The MLP changes by {abs(mlp.accuracy - mlp.permuted_accuracy):.1%}; the CNNs lose "
            f"{min(losses):.1%} to {max(losses):.1%}, and their lead over the MLP "
            f"({max(result.accuracy for result in cnns) - mlp.accuracy:+.1%} on ordinary digits) becomes "
            f"{max(result.permuted_accuracy for result in cnns) - mlp.permuted_accuracy:+.1%}"
        )
    return (
        "; ".join(parts) + ". To a dense network the pixel order means nothing: every pixel has its own weights "
        "wherever it sits, so shuffling only renames its inputs. A convolution looks at 3×3 neighbours; once "
        "neighbours are scattered, its filters find no strokes to detect."
    )


def _collect_rerun():
    """Take the results of this visitor's finished rerun, once, and show them."""
    from cnnviz.ml.jobs import FINISHED

    job = jobs.latest(RERUN_KIND)
    finished = job is not None and job.state == FINISHED and job.result is not None
    if finished and AVC_RERUN.get() is not job.result:
        AVC_RERUN.set(job.result)
        AVC_USE_RERUN.set(True)


def _request_rerun():
    AVC_RERUN_REQUESTED.set(True)  # a callback: survives a rerun that would reset the button


def _rerun_work(run):
    from cnnviz.ml.ann_vs_cnn import run_experiment

    return run_experiment(
        SMALL_RERUN,
        data=load_sample(),
        on_progress=lambda text, done: run.report(fraction=done, text=text + "…"),
        should_stop=run.should_stop,
    )


def rerun_experiment():
    """A button that reruns the experiments small, on the bundled sample, as a job of the server's line;
    the page then shows that run."""
    config = SMALL_RERUN
    with st.expander("Rerun the experiments yourself (small)", icon=":material/replay:"):
        st.markdown(
            f"Trains the three networks again, twice each, on **{config.train_size:,}** digits of the bundled "
            f"sample for **{config.epochs}** epoch and tests them on **{config.test_size:,}**: about a minute. "
            "With so little training every accuracy is lower; the comparison is what to look at."
        )
        job = jobs.latest(RERUN_KIND)
        busy = job is not None and job.active
        st.button(
            "Rerun small", icon=":material/play_arrow:", key="avc_rerun_button", on_click=_request_rerun, disabled=busy
        )
        if AVC_RERUN_REQUESTED.pop(False) and not busy:
            job = jobs.submit(_rerun_work, RERUN_KIND, seed=config.seed, expected_seconds=RERUN_SECONDS)
            if job is not None:
                AVC_RERUN_JOB.set(job)
                st.rerun()
        if job is not None:
            st.fragment(run_every=jobs.POLL_SECONDS if job.active else None)(_rerun_status)(job, job.active)
        if AVC_RERUN.is_set():
            st.toggle("Show my rerun instead of the precomputed results", key=AVC_USE_RERUN.name)


def _rerun_status(job, was_active):
    job.touch()
    if was_active and not job.active:
        st.rerun()  # finished since the page was drawn: show its results above
    jobs.show_status(job)
    if job.active:
        st.button("Stop", key="avc_rerun_stop", on_click=job.request_stop)  # a callback: the redraw already shows it
