"""Streamlit glue for the Training page: the settings, a live view of the background training, results.

Session state (set up in `init_state`, the one place):
  training_job        the TrainingJob of this visitor's latest run (None before the first); found again after a reload
  training_runs       RunRecords of every run in this session, oldest first, for the comparison
  SESSION_MODEL, SESSION_MODEL_LABEL (cnnviz.ui.state): the latest trained model, for the other pages
TensorFlow is imported inside the functions that need it, so importing this module stays quick.
"""

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import streamlit as st

from cnnviz.ui import jobs
from cnnviz.ui.charts import show_chart
from cnnviz.ui.state import (
    SESSION_MODEL,
    SESSION_MODEL_LABEL,
    TRAINING_JOB,
    TRAINING_PUBLISHED,
    TRAINING_RUNS,
    remember,
)

POLL_SECONDS = jobs.POLL_SECONDS
MAX_RUNS_KEPT = 5  # runs a session keeps for the comparison (each record holds at most MAX_BATCH_POINTS points)
SIZE_CHOICES = (300, 1_000, 2_000, 5_000, 10_000, 20_000, 30_000, 45_000, 60_000)
BATCH_CHOICES = (16, 32, 64, 128, 256, 512)
RATE_CHOICES = (0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1)
OPTIMIZER_NAMES = {"adam": "Adam", "sgd": "SGD with momentum 0.9", "rmsprop": "RMSprop"}
RESULT_VIEWS = (
    "Confusion matrix",
    "Mistakes",
    "Filters and feature maps",
    "Show the code",
)  # tabs; only the open one runs


def init_state():
    for key, value in ((TRAINING_JOB, None), (TRAINING_RUNS, []), (TRAINING_PUBLISHED, None)):
        key.setdefault(value)
    if not TRAINING_JOB.is_set():  # a reloaded page finds the run this browser started
        job = jobs.latest("training")
        if job is not None:
            TRAINING_JOB.set(job)
            TRAINING_RUNS.get().append(job.record)


def data_notice():
    """Load MNIST (once per server process) and say where it came from; returns it."""
    from cnnviz.ml.training import load_training_data
    from cnnviz.ui.runtime import settle_tensorflow

    # Streamlit otherwise resets Keras and collects garbage after every rerun, once a second while
    # the live view polls: that would stall the training thread and reset Keras's state under it.
    settle_tensorflow()
    with st.spinner("Loading MNIST…"):
        data = load_training_data()
    if data.is_sample:
        st.warning(
            f"Offline: no full MNIST here, so training uses the {data.source} shipped with the app. "
            "Accuracy will be a little lower than with all 60,000 digits."
        )
    else:
        st.caption(f"Data: {data.source}: {len(data.x_train):,} training and {len(data.x_test):,} test digits.")
    return data


def settings_form(data):
    """The student's choices: (TrainingSettings or None after explaining what is wrong, a container
    under the model choices where the architecture table belongs)."""
    from cnnviz.ml.models import CnnConfig
    from cnnviz.ml.training import TrainingCaps, TrainingSettings

    defaults = TrainingSettings.__dataclass_fields__
    caps = TrainingCaps.from_env()
    largest = min(len(data.x_train), caps.max_train_size)
    sizes = sorted({size for size in SIZE_CHOICES if size <= largest} | {largest})
    model_column, training_column = st.columns(2, gap="large")
    with model_column:
        st.subheader("Model")
        kind = st.radio(
            "Model",
            ["Classic course model", "Build your own"],
            horizontal=True,
            key="train_model_kind",
            label_visibility="collapsed",
        )
        config = None
        if kind == "Build your own":
            left, right = st.columns(2)
            blocks = left.slider("Conv blocks (conv + pool)", 1, 3, 2, key="train_blocks")
            filters = left.select_slider(
                "Filters in block 1 (doubling after)", [8, 16, 32, 64], 32, key="train_filters"
            )
            kernel = left.select_slider("Kernel size", [3, 5, 7], 3, key="train_kernel")
            padding = left.radio("Padding", ["same", "valid"], horizontal=True, key="train_padding")
            pooling = right.radio("Pooling", ["max", "average"], horizontal=True, key="train_pooling")
            dense = right.select_slider("Dense units", [32, 64, 128, 256], 128, key="train_dense")
            dropout = right.slider("Dropout before the output", 0.0, 0.7, 0.25, 0.05, key="train_dropout")
            batch_norm = right.checkbox(
                "Batch normalisation", key="train_batch_norm", help="A BatchNormalization layer after each convolution."
            )
            try:
                config = CnnConfig(
                    conv_blocks=blocks,
                    filters=filters,
                    kernel_size=kernel,
                    padding=padding,
                    pooling=pooling,
                    dense_units=dense,
                    dropout=dropout,
                    batch_norm=batch_norm,
                )
            except ValueError as error:
                st.error(str(error))
                return None, model_column
    with training_column:
        st.subheader("Training")
        left, right = st.columns(2)
        if caps.max_epochs > 1:
            epochs = left.slider(
                "Epochs",
                1,
                caps.max_epochs,
                min(defaults["epochs"].default, caps.max_epochs),
                key="train_epochs",
                help="How many times the model goes through all its training images.",
            )
        else:  # a slider from 1 to 1 is an error in Streamlit
            epochs = 1
            left.caption("Epochs: 1 (the most this server allows)")
        batch_size = left.select_slider(
            "Batch size",
            BATCH_CHOICES,
            defaults["batch_size"].default,
            key="train_batch",
            help="How many images the model looks at before each small change of its weights.",
        )
        rate = left.select_slider(
            "Learning rate",
            RATE_CHOICES,
            defaults["learning_rate"].default,
            key="train_rate",
            format_func="{:g}".format,
            help="How big each change of the weights is: too small learns slowly, too large overshoots.",
        )
        optimizer = right.selectbox(
            "Optimizer",
            list(OPTIMIZER_NAMES),
            format_func=OPTIMIZER_NAMES.get,
            key="train_opt",
            help="The rule that turns the gradients into weight changes; Adam adapts the step for each weight.",
        )
        default_size = max(s for s in sizes if s <= max(defaults["train_size"].default, sizes[0]))
        train_size = right.select_slider(
            "Training images",
            sizes,
            default_size,
            key="train_size",
            format_func="{:,}".format,
            help="How many MNIST digits to learn from: more takes longer and usually generalises better.",
        )
        validation = right.slider(
            "Held out for validation",
            0.0,
            0.5,
            defaults["validation_split"].default,
            0.05,
            key="train_val",
            help="The share of the training images kept aside: never trained on, they show how well the model "
            "does on digits it has not seen, epoch by epoch.",
        )
        if optimizer == "sgd" and rate < 0.01:
            st.caption("SGD takes plain steps of the learning rate's size: it usually needs 0.01 or more.")
        augmentation = st.toggle(
            "Data augmentation",
            key="train_augment",
            help="Turn, shift, zoom and slant each training image a little at random, thicken or thin its strokes, "
            "new every epoch, so the model sees more variety.",
        )
    try:
        settings = TrainingSettings(config, epochs, batch_size, rate, optimizer, train_size, validation, augmentation)
    except ValueError as error:
        st.error(str(error))
        return None, model_column
    return settings, model_column


@st.cache_data(show_spinner=False, max_entries=64)
def _architecture(settings):
    from cnnviz.ml.evaluation import architecture_rows
    from cnnviz.ml.training import build_model

    return pd.DataFrame(architecture_rows(build_model(settings)))


def architecture_table(settings):
    rows = _architecture(settings)
    total = int(rows["parameters"].sum())
    st.markdown(f"**Architecture** — {len(rows)} layers, {total:,} parameters to learn (like `model.summary()`)")
    st.dataframe(rows, hide_index=True, width="stretch")


def start_training(settings):
    """Start a new run through the server's job line (one at a time per visitor); False after saying why not."""
    from cnnviz.ml.jobs import TrainingJob

    runs = TRAINING_RUNS.get()
    run_id = runs[-1].run_id + 1 if runs else 1
    job = TrainingJob(settings, run_id)
    if not jobs.enqueue(job):
        return False
    runs.append(job.record)
    del runs[:-MAX_RUNS_KEPT]
    TRAINING_JOB.set(job)
    return True


def controls(settings):
    """Train, and Continue for the latest model. (Stop lives in the live view, which reruns on its own.)"""
    from cnnviz.ml.training import TrainingCaps

    job = TRAINING_JOB.get()
    busy = job is not None and job.active
    train_column, continue_column, more_column = st.columns([2, 2, 1], vertical_alignment="bottom")
    disabled = busy or settings is None
    train = train_column.button("Train a new model", type="primary", disabled=disabled, key="train_start")
    if train and start_training(settings):
        st.rerun()
    if job is None or job.model is None:
        return
    done = job.record.epochs_trained  # whole epochs: one cut short by Stop is trained again from its start
    room = TrainingCaps.from_env().max_epochs - done
    still_to_go = min(max(job.settings.epochs - done, 1), max(room, 1))
    more = more_column.number_input(  # keyed by what is left, so a new cap or a new stop never meets a stale value
        "More epochs",
        1,
        max(room, 1),
        still_to_go,
        key=f"train_more_{room}_{still_to_go}",
        disabled=busy or room < 1,
        help="Epochs still to go of the run's setting, or as many as you like up to this server's cap.",
    )
    label = f"Continue run {job.record.run_id} from epoch {done + 1}"
    go_on = continue_column.button(label, disabled=busy or room < 1, key="train_continue")
    if go_on and jobs.enqueue(job, launch=lambda: job.continue_training(int(more))):
        st.rerun()
    if room < 1:
        continue_column.caption("This run has reached the epoch cap of this server.")
    elif job.record.stopped_batches:
        continue_column.caption(
            f"Epoch {done + 1} stopped after {job.record.stopped_batches} batches; it starts again from its "
            "beginning, and the weights keep what those batches taught them."
        )


def live_section():
    """Status, progress and curves of the latest run; reruns itself every second while it trains."""
    job = TRAINING_JOB.get()
    if job is None:
        st.info("Choose the settings above and press **Train a new model**; the curves draw here as it learns.")
        return
    st.fragment(run_every=POLL_SECONDS if job.active else None)(_live_view)(job, job.active)


def _live_view(job, was_active):
    from cnnviz.figures.training import curves_figure
    from cnnviz.ml.jobs import CANCELLED, FAILED, STOPPED, WAITING

    job.touch()
    if was_active and not job.active:
        st.rerun()  # finished since the page was drawn: redraw everything, results included
    record = job.record
    if job.state == WAITING:
        st.info(jobs.waiting_text(job), icon=":material/hourglass_top:")
    elif job.active:
        st.progress(job.progress.fraction if job.progress else 0.0, text=_status_text(job))
    elif job.state == STOPPED:
        last = record.epochs[-1] if record.epochs else None
        where = f" at batch {last.batches} of epoch {last.epoch + 1}" if last else ""
        st.warning(f"{job.stop_reason} The model and its history{where} are kept; Continue trains on from there.")
    elif job.state == CANCELLED:
        st.info(jobs.cancelled_text(job))
    elif job.state == FAILED:
        st.error(f"Training failed: {job.error}")
    else:
        partial = f" and {record.stopped_batches} batches of the next" if record.stopped_batches else ""
        st.success(f"Trained {_epochs(record.epochs_trained)}{partial} in {record.fit_seconds:.1f} s.")
    if job.active:
        st.button("Stop", key="train_stop", on_click=job.request_stop)  # a callback: the redraw already shows it
    if record.batches:
        show_chart(curves_figure([_curve_data(record)]), key="train_chart_live")
        if record.filters:  # right under the curves: the filters as the loss falls
            filters_that_learn(record, key="train_filters_live")
        if record.epochs:
            st.dataframe(_epoch_table(record.epochs), hide_index=True)


def _status_text(job):
    from cnnviz.ml.jobs import EVALUATING

    progress = job.progress
    if job.state == EVALUATING:
        return "Testing the model on the test digits…"
    if progress is None:
        return "Preparing the data and the model…"
    text = (
        f"Epoch {progress.epoch + 1} of {progress.last_epoch} · batch {progress.batch} of {progress.batches_per_epoch}"
    )
    text += f" · {progress.elapsed:.0f} s elapsed"
    if progress.eta is not None:
        text += f" · about {progress.eta:.0f} s left"
    if progress.images_per_second:
        text += f" · {progress.images_per_second:,.0f} images/s"
    return text + (" · stopping…" if job.stop_requested else "")


def _epoch_table(epochs):
    return pd.DataFrame(
        {
            "epoch": [e.epoch + 1 for e in epochs],
            "batches": [str(e.batches) if e.complete else f"{e.batches} (stopped)" for e in epochs],
            "loss": [e.loss for e in epochs],
            "accuracy": [e.accuracy for e in epochs],
            "validation loss": [e.val_loss for e in epochs],
            "validation accuracy": [e.val_accuracy for e in epochs],
            "seconds": [round(e.seconds, 1) for e in epochs],
        }
    )


def publish_model():
    """Hand the latest finished model to the Draw page (once per run and epoch count)."""
    job = TRAINING_JOB.get()
    if job is None or job.active or job.model is None or job.record.test is None:
        return
    stamp = (job.record.run_id, len(job.record.epochs))
    if TRAINING_PUBLISHED.get() != stamp:
        SESSION_MODEL.set(job.model)
        SESSION_MODEL_LABEL.set(f"{job.record.label} · test accuracy {job.record.test.accuracy:.1%}")
        TRAINING_PUBLISHED.set(stamp)


def results_section(data):
    """Test accuracy and loss, confusion matrix, mistakes, filters and maps, code and download.

    Also hands the model to the Draw page, here where the results first show.
    """
    job = TRAINING_JOB.get()
    if job is None or job.active or job.model is None or job.record.test is None:
        return
    publish_model()
    record, test = job.record, job.record.test
    st.header(f"Results of run {record.run_id}")
    columns = st.columns(4)
    columns[0].metric("Test accuracy", f"{test.accuracy:.2%}", help=f"On {test.images:,} test digits never trained on.")
    columns[1].metric("Test loss", f"{test.loss:.4f}")
    columns[2].metric("Training time", f"{record.fit_seconds:.1f} s", help="Validation included.")
    columns[3].metric("Images per second", f"{record.images_per_second or 0:,.0f}")
    caption, download = st.columns([3, 1], vertical_alignment="center")
    caption.caption(f"The Draw page can now read your own digits with this model: {SESSION_MODEL_LABEL.get()}.")
    download.download_button(
        "Download the model (.keras)",
        data=lambda: _model_bytes(job.model),
        file_name=f"cnnviz_run{record.run_id}.keras",
        mime="application/zip",
        key="train_download",
        on_click="ignore",
    )
    tabs = st.tabs(RESULT_VIEWS, key=remember("train_result_view", RESULT_VIEWS[0]), on_change="rerun")
    views = (
        lambda: _confusion(data, test),
        lambda: _mistakes(data, test),
        lambda: _filters_and_maps(data, job.model),
        lambda: _code(job),
    )
    for tab, view in zip(tabs, views, strict=True):
        if tab.open:  # only the open tab is computed
            with tab:
                view()


def _confusion(data, test):
    from cnnviz.figures.training import confusion_figure
    from cnnviz.ml.evaluation import confusion_matrix

    counts = confusion_matrix(data.y_test, test.predicted)
    wrong = counts.copy()
    wrong[range(10), range(10)] = 0
    true, read = divmod(int(wrong.argmax()), 10)
    st.markdown(
        "Each row is the true digit, each column what the model read. The diagonal counts the right answers; "
        f"the most common mistake is reading a **{true}** as a **{read}** ({wrong[true, read]} times)."
    )
    show_chart(confusion_figure(counts), key="train_chart_confusion", width="content")


def _mistakes(data, test):
    from cnnviz.figures.training import image_grid_figure
    from cnnviz.ml.evaluation import misclassified

    digit = st.selectbox("True digit", ["any", *range(10)], key="train_mistake_digit")
    indices = misclassified(data.y_test, test, limit=24, true_digit=None if digit == "any" else digit)
    total = int((test.predicted != data.y_test).sum())
    st.markdown(f"{total:,} of {test.images:,} test digits were read wrongly; the most confident mistakes first.")
    if len(indices) == 0:
        st.success("No mistakes on this digit.")
        return
    titles = [f"{data.y_test[i]} → {test.predicted[i]} ({test.confidence[i]:.1%})" for i in indices]
    show_chart(image_grid_figure(data.x_test[indices], titles, columns=8), key="train_chart_mistakes")
    st.caption("Each title reads: true digit → predicted digit (the model's confidence).")


def _filters_and_maps(data, model):
    from cnnviz.figures.training import image_grid_figure
    from cnnviz.ml.evaluation import first_layer_filters, first_layer_maps

    filters = first_layer_filters(model)
    count, size = filters.shape[0], filters.shape[1]
    st.markdown(
        f"The first convolution layer learned **{count} filters of {size}×{size} weights**. "
        "Blue weights add the pixel underneath, red ones subtract it."
    )
    numbers = [f"#{number}" for number in range(1, count + 1)]
    show_chart(image_grid_figure(filters, numbers, columns=8, cell=48, signed=True), key="train_chart_filters")
    left, right = st.columns([1, 4])
    index = left.number_input("Test digit number", 0, len(data.x_test) - 1, 0, key="train_digit")
    image = data.x_test[index]
    show_chart(
        image_grid_figure([image], [f"digit {data.y_test[index]}"], columns=1, cell=140),
        key="train_chart_digit",
        container=left,
    )
    maps = first_layer_maps(model, image)
    right.markdown(
        "What each filter finds in that digit: its feature map after ReLU, white where it responds strongly."
    )
    show_chart(image_grid_figure(maps, numbers, columns=8, cell=80), key="train_chart_maps", container=right)


def _code(job):
    from cnnviz.ml.codegen import keras_code

    st.markdown("The plain Keras code for these settings, from loading the data to the test accuracy:")
    from cnnviz.data.mnist import SAMPLE_SOURCE

    sample = job.record.data_source.startswith(SAMPLE_SOURCE)  # the code trains on the digits the run used
    code = keras_code(job.settings, epochs=max(job.record.epochs_trained, 1), sample=sample)
    st.code(code, language="python", wrap_lines=True)


def _epochs(count):
    return f"{count} epoch{'s' if count != 1 else ''}"


def _model_bytes(model):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.keras"
        model.save(path)
        return path.read_bytes()


def comparison_section():
    """Overlay the curves of any runs of this session."""
    from cnnviz.figures.training import curves_figure

    runs = [run for run in TRAINING_RUNS.get() if run.batches]
    if len(runs) < 2:
        return
    st.header("Compare runs")
    by_id = {run.run_id: run for run in runs}
    chosen = st.multiselect(
        "Runs to overlay",
        list(by_id),
        default=list(by_id)[-2:],
        format_func=lambda run_id: by_id[run_id].label,
        key="train_compare",
    )
    if chosen:
        overlay = [_curve_data(by_id[run_id]) for run_id in chosen]
        show_chart(curves_figure(overlay, height=420), key="train_chart_compare")
        st.caption("Solid lines: training (smoothed). Dashed lines with dots: validation at the end of each epoch.")
        st.dataframe(_runs_table([by_id[run_id] for run_id in chosen]), hide_index=True)
        kept = [by_id[run_id] for run_id in chosen if by_id[run_id].filters]
        for column, run in zip(st.columns(len(kept)) if kept else (), kept, strict=True):
            with column:
                st.markdown(f"**{run.label}**")
                filters_that_learn(run, key=f"train_filters_compare_{run.run_id}")


def filters_that_learn(record, key):
    """The first layer's filters at the start and after each epoch of `record`, with a slider over the epochs."""
    from cnnviz.figures.training import image_grid_figure

    snapshots = list(record.filters)  # a copy: the training thread appends
    positions = [snapshot.position for snapshot in snapshots]
    names = ["start" if position == 0 else f"after epoch {position:g}" for position in positions]
    if len(snapshots) > 1:
        # keyed by how many there are: a new epoch's filters show at once, while the slider walks back through them
        shown = st.select_slider("First-layer filters", names, value=names[-1], key=f"{key}_{len(snapshots)}")
    else:
        shown = names[0]
        st.markdown("**First-layer filters** at the start; a new picture after every epoch.")
    snapshot = snapshots[names.index(shown)]
    extent = max(float(np.abs(each.filters).max()) for each in snapshots) or 1.0  # one scale for every epoch
    count = snapshot.filters.shape[0]
    show_chart(
        image_grid_figure(snapshot.filters, columns=8, cell=40, signed=True, zrange=(-extent, extent)),
        f"The first layer's {count} filters {shown}, {snapshot.filters.shape[1]}×{snapshot.filters.shape[2]} each.",
        key=f"{key}_figure",
    )
    change = float(np.abs(snapshot.filters - snapshots[0].filters).mean())
    st.caption(
        f"The {count} filters {shown}, blue weights positive, red negative, one scale for every epoch. Their "
        f"weights moved by {change:.3f} on average since the start: from random noise towards strokes and edges."
    )


def _curve_data(record):
    """(label, batches, epochs, colour) for curves_figure; copies, as the training thread appends."""
    from cnnviz.figures.style import series_colour

    return record.label, list(record.batches), list(record.epochs), series_colour(record.run_id - 1)


def _runs_table(runs):
    return pd.DataFrame(
        {
            "run": [run.run_id for run in runs],
            "settings": [run.settings.label(epochs=run.epochs_trained) for run in runs],
            "test accuracy": [f"{run.test.accuracy:.2%}" if run.test else "" for run in runs],
            "test loss": [f"{run.test.loss:.4f}" if run.test else "" for run in runs],
            "seconds": [round(run.fit_seconds, 1) for run in runs],
        }
    )
