"""Streamlit glue for the Data augmentation page: the digit, a control per change, the grid, the experiment.

Session state: the AUG_ keys of cnnviz.ui.state (the digit's source, the pen, a slider per change, the
grid's seed, this visitor's small run), and aug_digit, the test digit's number input (cnnviz.ui.course).
No TensorFlow here: the page shows the shipped results; a small rerun trains in a background job.
"""

from dataclasses import replace

import numpy as np
import streamlit as st

from cnnviz.core.input_layer import normalise
from cnnviz.data import augmentation_experiment as experiment
from cnnviz.data.ann_vs_cnn import CNN, MODEL_LABELS
from cnnviz.data.augment import Augmentation, augment, transform
from cnnviz.figures.augmentation import robustness_figure
from cnnviz.figures.style import PLOT_CONFIG
from cnnviz.figures.training import image_grid_figure
from cnnviz.ui.course import pick_test_digit
from cnnviz.ui.state import (
    AUG_ASPECT,
    AUG_DRAW,
    AUG_PEN,
    AUG_ROTATION,
    AUG_RUN_REQUESTED,
    AUG_SHEAR,
    AUG_SHIFT,
    AUG_SOURCE,
    AUG_STROKE,
    AUG_YOURS,
    AUG_ZOOM,
)

SOURCES = ("A test digit", "My drawing")
RUN_KIND = "augmentation experiment"  # this page's jobs in the server's job line
SMALL_RUN = experiment.AugmentationExperimentConfig(
    train_size=3_000, test_size=500, epochs=2, seeds=(1,), rotation_step=15
)  # one seed of each condition, small enough for a minute or two on a shared server
SMALL_RUN_SECONDS = 120.0  # the line's estimate before one has finished here
GRID_SIZE = 12  # augmented versions in the grid
DEFAULTS = Augmentation()  # the sliders start where training starts
CONTROLS = (AUG_ROTATION, AUG_SHIFT, AUG_ZOOM, AUG_SHEAR, AUG_ASPECT, AUG_STROKE)  # a slider per change


def digit_choice():
    """The digit to augment: (image (28, 28) float32 in [0, 1], its name), or None before a drawing."""
    AUG_SOURCE.setdefault(SOURCES[0])
    source = st.segmented_control("Digit", SOURCES, key=AUG_SOURCE.name, required=True, label_visibility="collapsed")
    if source == SOURCES[1]:
        return _drawn_digit()
    _, image, label = pick_test_digit("aug_digit")
    return normalise(image), f"a {label}"


def _drawn_digit():
    from cnnviz.data.drawing import canvas_to_mnist_steps
    from cnnviz.ui.draw import PEN_WIDTHS, canvas_drawing

    low, high, default = PEN_WIDTHS
    AUG_PEN.setdefault(default)
    st.slider("Pen width", low, high, key=AUG_PEN.name)
    drawing = canvas_drawing(AUG_PEN.get(), key="aug_canvas")
    steps = None if drawing is None else canvas_to_mnist_steps(drawing)
    if steps is None:
        st.info("Draw a digit on the black square: its augmented versions appear beside it.", icon=":material/draw:")
        return None
    return steps.final, "your digit"


def controls():
    """A slider per change, starting at the training's ranges; returns the Augmentation they describe."""
    for key, value in (
        (AUG_ROTATION, DEFAULTS.rotation_degrees),
        (AUG_SHIFT, DEFAULTS.shift_pixels),
        (AUG_ZOOM, DEFAULTS.zoom),
        (AUG_SHEAR, DEFAULTS.shear),
        (AUG_ASPECT, DEFAULTS.aspect),
        (AUG_STROKE, DEFAULTS.stroke),
        (AUG_DRAW, 0),
    ):
        key.setdefault(value)
    left, right = st.columns(2)
    rotation = left.slider("Turn by up to (degrees, either way)", 0.0, 45.0, step=1.0, key=AUG_ROTATION.name)
    shift = left.slider("Move by up to (pixels, across and down)", 0.0, 6.0, step=0.5, key=AUG_SHIFT.name)
    zoom = left.slider("Zoom between", 0.5, 1.5, step=0.05, key=AUG_ZOOM.name)
    shear = right.slider(
        "Slant by up to", 0.0, 0.6, step=0.05, key=AUG_SHEAR.name, help="0.25: each row moves a quarter pixel per row"
    )
    aspect = right.slider(
        "Narrower or wider by up to", 0.0, 0.3, step=0.02, key=AUG_ASPECT.name, help="0.12: about 12% either way"
    )
    stroke = right.slider("Strokes from thinner (−1) to thicker (+1)", -1.0, 1.0, step=0.1, key=AUG_STROKE.name)
    return Augmentation(
        rotation_degrees=rotation, shift_pixels=shift, zoom=zoom, shear=shear, aspect=aspect, stroke=stroke
    )


def _new_draws():
    AUG_DRAW.set(AUG_DRAW.get(0) + 1)


def _reset():
    for key in CONTROLS:
        key.clear()


def show_grid(image, name, augmentation):
    """The digit and GRID_SIZE random versions of it, drawn within `augmentation` (the training's own code)."""
    left, right = st.columns(2)
    left.button("New random draws", icon=":material/casino:", on_click=_new_draws, key="aug_new")
    right.button("Back to the training's ranges", icon=":material/restart_alt:", on_click=_reset, key="aug_reset")
    versions = augment(np.repeat(image[None], GRID_SIZE, axis=0), AUG_DRAW.get(), augmentation)
    images = [image, *versions]
    titles = ["original", *(f"{number}" for number in range(1, GRID_SIZE + 1))]
    figure = image_grid_figure(images, titles, columns=7, cell=84, zrange=(0.0, 1.0))
    st.plotly_chart(figure, config=PLOT_CONFIG, key="aug_grid")
    st.caption(
        f"{name.capitalize()} and {GRID_SIZE} versions of it, each with its own random draw: "
        f"{augmentation_text(augmentation)}. Training makes a new set like this for every digit in every epoch."
    )


def show_each_change(image, augmentation):
    """Each change alone, at the limit the sliders set: what every control does."""
    changes = (
        ("original", {}),
        (f"turned {augmentation.rotation_degrees:g}°", {"rotation_degrees": augmentation.rotation_degrees}),
        (f"moved {augmentation.shift_pixels:g} px ↘", {"shift": (augmentation.shift_pixels,) * 2}),
        (f"zoom {augmentation.zoom[0]:g}×", {"zoom": augmentation.zoom[0]}),
        (f"zoom {augmentation.zoom[1]:g}×", {"zoom": augmentation.zoom[1]}),
        (f"slant {augmentation.shear:g}", {"shear": augmentation.shear}),
        (f"wider {augmentation.aspect:g}", {"aspect": augmentation.aspect}),
        (f"stroke {augmentation.stroke[0]:+g}", {"stroke": augmentation.stroke[0]}),
        (f"stroke {augmentation.stroke[1]:+g}", {"stroke": augmentation.stroke[1]}),
    )
    images = [transform(image[None], **change)[0] for _, change in changes]
    titles = [title for title, _ in changes]
    figure = image_grid_figure(images, titles, columns=5, cell=84, zrange=(0.0, 1.0))  # five titles fit a phone
    st.plotly_chart(figure, config=PLOT_CONFIG, key="aug_each")
    st.caption("In reading order: " + "; ".join(titles) + ".")


# The experiment


@st.cache_data(show_spinner=False)
def _shipped_results(text):
    return experiment.AugmentationResults.from_json(text)


def shipped_results():
    """The results made by scripts/augmentation_experiment.py; None (explained on the page) if missing."""
    path = experiment.RESULTS_PATH
    if not path.is_file():
        st.error(
            f"The precomputed results are missing ({path.name}); make them with "
            "`python -m scripts.augmentation_experiment`."
        )
        return None
    return _shipped_results(path.read_text())


def results_source(results):
    config = results.config
    return (
        f"Measured by scripts/augmentation_experiment.py: the course CNN trained {config.epochs} "
        f"epoch{'s' if config.epochs > 1 else ''} "
        f"(batch {config.batch_size}) on the first {config.train_size:,} training digits of {results.data_source}, "
        f"once per seed ({', '.join(map(str, config.seeds))}) with and once without augmentation, tested on "
        f"{config.test_size:,} test digits moved left, right, up and down, and turned both ways (averaged). "
        f"The whole run took {results.run_seconds / 60:,.0f} minutes."
    )


def show_experiment(results, yours=None):
    """The two accuracy curves side by side, the reading in one sentence, and the numbers."""
    shift_column, rotation_column = st.columns(2)
    for column, measure in ((shift_column, "shift"), (rotation_column, "rotation")):
        column.plotly_chart(
            robustness_figure(results, measure, yours=yours), config=PLOT_CONFIG, key=f"aug_{measure}_chart"
        )
    st.markdown(reading(results))
    if yours is not None and all(yours.runs.values()):
        st.markdown(your_reading(yours))
    with st.expander("The numbers behind the curves"):
        st.dataframe(numbers_table(results, "shift"), hide_index=True)
        st.dataframe(numbers_table(results, "rotation"), hide_index=True)


def reading(results):
    """The experiment's reading in one sentence, from the numbers."""
    shift, rotation = experiment.lead(results, "shift"), experiment.lead(results, "rotation")
    plain = results.curve(experiment.PLAIN, "shift")[0][0]
    augmented = results.curve(experiment.AUGMENTED, "shift")[0][0]
    noise = max(shift.noise, rotation.noise)
    if shift.clear and rotation.clear:
        verdict = f"every seed above every seed without, gaps wider than the {_points(noise)} seeds differ by"
    else:
        verdict = f"not a clear lead: seeds of one condition differ by up to {_points(noise)}"
    return (
        f"Trained with augmentation, the course CNN reads **{shift.augmented:.0%}** of test digits moved "
        f"{shift.point} px (seeds {_spread(shift.augmented_range)}) against **{shift.plain:.0%}** without "
        f"({_spread(shift.plain_range)}), and **{rotation.augmented:.0%}** against **{rotation.plain:.0%}** of "
        f"digits turned {rotation.point}° ({verdict}), while on centred digits it reads {augmented:.1%} against "
        f"{plain:.1%}."
    )


def your_reading(yours):
    """Your small run's lead, in one sentence."""
    shift, rotation = experiment.lead(yours, "shift"), experiment.lead(yours, "rotation")
    config = yours.config
    return (
        f"**Your run** ({config.train_size:,} digits, {config.epochs} epochs, seed {config.seeds[0]}): with "
        f"augmentation **{shift.augmented:.0%}** against **{shift.plain:.0%}** without on digits moved "
        f"{shift.point} px, **{rotation.augmented:.0%}** against **{rotation.plain:.0%}** turned {rotation.point}°."
    )


def augmentation_text(augmentation):
    """'turned by up to ±15°, moved by up to ±3 px across and down, …': what an Augmentation does."""
    return (
        f"turned by up to ±{augmentation.rotation_degrees:g}°, moved by up to ±{augmentation.shift_pixels:g} px "
        f"across and down, zoomed {augmentation.zoom[0]:g}–{augmentation.zoom[1]:g}×, slanted by up to "
        f"±{augmentation.shear:g}, up to {augmentation.aspect:.0%} narrower or wider, strokes "
        f"{augmentation.stroke[0]:+g} to {augmentation.stroke[1]:+g}"
    )


def experiment_intro(results):
    config = results.config
    return (
        f"The course CNN ({MODEL_LABELS[CNN].split(': ')[1]}) is trained twice on the same digits: once as they "
        f"are, once with the Training page's augmentation ({augmentation_text(config.augmentation)}). Then both "
        f"read test digits **moved** by 0 to {config.max_shift} pixels and **turned** by 0 to "
        f"{config.max_rotation}°. Each training is repeated with {len(config.seeds)} seeds: the shaded band runs "
        "from the lowest to the highest seed, the run-to-run noise."
    )


def _spread(bounds):
    low, high = bounds
    return f"{low:.0%}–{high:.0%}"


def _points(fraction):
    return f"{100 * fraction:.1f} points"


def numbers_table(results, measure):
    axis = results.config.shifts if measure == "shift" else results.config.rotations
    unit = "px" if measure == "shift" else "°"
    rows = []
    for condition, label in experiment.CONDITION_LABELS.items():
        mean, low, high = results.curve(condition, measure)
        columns = [f"{point} {unit}" for point in axis]
        rows.append({"": label, **{column: f"{m:.1%}" for column, m in zip(columns, mean)}})
        spread = {column: f"{a:.1%}–{b:.1%}" for column, a, b in zip(columns, low, high)}
        rows.append({"": "  lowest–highest seed", **spread})
    return rows


# The student's own small run, trained as a job of the server's line (never in the page's run)


def _small_work(run):
    from cnnviz.ml.augmentation_experiment import run_experiment

    return run_experiment(
        replace(SMALL_RUN, seeds=(run.seed,)),
        on_progress=lambda text, done: run.report(fraction=done, text=text + "…"),
        should_stop=run.should_stop,
    )


def your_results():
    """This visitor's finished small run (AugmentationResults), or None: taken from its job once it is done."""
    from cnnviz.ml.jobs import FINISHED
    from cnnviz.ui import jobs

    job = jobs.latest(RUN_KIND)
    if job is not None and job.state == FINISHED and job.result is not None:
        AUG_YOURS.set(job.result)
    return AUG_YOURS.get()


def _request_run():
    AUG_RUN_REQUESTED.set(True)  # a callback: survives the rerun that resets the button


def run_it_yourself():
    """A button that trains the experiment small, as a job of the server's line; its curves join the charts."""
    from cnnviz.ui import jobs

    config = SMALL_RUN
    st.subheader("Run it yourself (small)")
    st.markdown(
        f"Trains the course CNN twice more, with and without augmentation, **{config.epochs}** epochs on "
        f"**{config.train_size:,}** training digits, and tests both on **{config.test_size:,}** moved and turned "
        "test digits. It waits its turn for the server's training slots; when it is done, your two curves "
        "join the charts above (thin, dotted). So little training scores lower: compare your two curves "
        "with each other."
    )
    job = jobs.latest(RUN_KIND)
    busy = job is not None and job.active
    st.button("Run it small", icon=":material/play_arrow:", key="aug_run", on_click=_request_run, disabled=busy)
    if AUG_RUN_REQUESTED.pop(False) and not busy:
        seed = int(np.random.default_rng().integers(1, 10_000))  # a new seed each time: another run, other noise
        job = jobs.submit(_small_work, RUN_KIND, seed=seed, expected_seconds=SMALL_RUN_SECONDS)
        if job is not None:
            st.rerun()
    if job is not None:
        st.fragment(run_every=jobs.POLL_SECONDS if job.active else None)(_run_status)(job, job.active)


def _run_status(job, was_active):
    from cnnviz.ui import jobs

    job.touch()
    if was_active and not job.active:
        st.rerun()  # finished since the page was drawn: its curves go on the charts
    jobs.show_status(job)
    if job.active:
        st.button("Stop", key="aug_run_stop", on_click=job.request_stop)
