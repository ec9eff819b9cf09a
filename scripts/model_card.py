"""The model card as Markdown, and the sentence the README quotes from it, both made from models/model_card.json."""

from pathlib import Path

MODELS_DIR = Path(__file__).resolve().parents[1] / "models"  # cnnviz.ml.models.MODELS_DIR, without Keras
CARD_JSON = MODELS_DIR / "model_card.json"
CARD_MARKDOWN = MODELS_DIR / "MODEL_CARD.md"


def percent(figure, digits=1):
    """'99.6% (95% interval 99.4–99.7%, n = 10,000)' from a {"value", "low", "high", "n"} figure."""
    value, low, high = (f"{100 * figure[key]:.{digits}f}" for key in ("value", "low", "high"))
    return f"{value}% ({low}–{high}%, n = {figure['n']:,})"


def short(figure, digits=1):
    return f"{100 * figure['value']:.{digits}f}%"


def readme_summary(card):
    """The paragraph the README quotes: the card's headline figures, word for word."""
    results = card["evaluation"]
    drawn, marks = results["drawn_digits"], results["drawn_non_digits"]
    worst_digit, worst = min(drawn["by_digit"].items(), key=lambda item: item[1]["value"])
    return (
        f"MNIST test set, measured once: {short(results['mnist_test']['accuracy'], 2)} "
        f"(expected calibration error {short(results['mnist_test']['calibration_error'], 2)}); "
        f"digits drawn as pen strokes by a generator training never used: {short(drawn['accuracy'])} "
        f"(lowest digit: {worst_digit}, {short(worst)}); drawings that are not digits read with "
        f'90% confidence or more: {short(marks["confident_90"])}, and called "not a digit": '
        f"{short(marks['read_as_not_a_digit'])}."
    )


def _table(rows):
    lines = ["| Measured on | Result (95% interval, n) |", "| --- | --- |"]
    lines += [f"| {name} | {value} |" for name, value in rows]
    return "\n".join(lines)


def _groups(groups):
    return "\n".join(f"| {name} | {percent(figure)} |" for name, figure in groups.items())


def lowest_traced(validation):
    """(digit, figure) of the traced digit read worst, or None where the traced digits were not measured."""
    traced = validation.get("traced digits")
    return min(traced["by_digit"].items(), key=lambda item: item[1]["value"]) if traced else None


def _recipe_choice(card):
    pilots = card.get("pilots")
    if not pilots:
        return ""
    runs = {**pilots["runs"], "this model (chosen)": card["validation"]}
    lowest = {name: lowest_traced(figures) for name, figures in runs.items()}
    has_traced = all(lowest.values())
    rows = [
        "| Pilot | Validation accuracy | Validation ECE | Flagged validation 1s | Held-out marks ≥ 90% sure |"
        + (" Lowest traced digit |" if has_traced else ""),
        "| --- | --- | --- | --- | --- |" + (" --- |" if has_traced else ""),
    ]
    for name, figures in runs.items():
        traced = f" {lowest[name][0]}: {short(lowest[name][1])} |" if has_traced else ""
        rows.append(
            f"| {name} | {short(figures['validation digits']['accuracy'], 2)} | "
            f"{short(figures['validation digits']['calibration_error'], 2)} | "
            f"{short(figures['flagged validation 1s']['accuracy'])} | "
            f"{short(figures['held-out non-digit marks']['confident_90'])} |{traced}"
        )
    return f"\n### How the recipe was chosen\n{pilots['description']}\n\n" + "\n".join(rows) + "\n"


def _threshold_table(validation):
    rows = ["| Not a digit below | Validation digits below it | Held-out marks below it |", "| --- | --- | --- |"]
    for threshold, shares in validation["not a digit below"].items():
        rows.append(
            f"| {float(threshold):.0%} | {shares['validation digits']:.2%} | {shares['held-out non-digit marks']:.1%} |"
        )
    return "\n".join(rows)


def _resumed(training):
    if not training.get("resumed_from"):
        return ""
    if training.get("first_phase_seed") is not None:  # a first phase of this script, kept and run on again
        return (
            f"The first phase ({_epochs(training['epochs'])}, seed {training['first_phase_seed']}) was run once "
            "and kept; this model's second phase was run on it (`--resume`), as were the other second phases "
            'in "How the recipe was chosen". Both phases trained on the training digits without the '
            "validation digits.\n\n"
        )
    return (
        f"The first phase is the previously shipped model's ({training['epochs']} epochs on all 60,000 MNIST "
        "training digits, the validation digits included, with a recipe settled while watching the test "
        f"set); only the second phase ({_epochs(training['finetune_epochs'])} on the training digits without "
        "the validation digits, with the flagged 1s and the marks) is new. So the validation digits are not "
        "unseen by this model, and its test figure comes from a recipe partly chosen on the test set."
        + "".join(f" Note: {training[key]}." for key in ("stopped_early", "note") if training.get(key))
        + "\n\n"
    )


def _epochs(count):
    return f"{count} epoch" + ("" if count == 1 else "s")


def markdown(card):
    training, results, validation = card["training"], card["evaluation"], card["validation"]
    test, drawn, marks = results["mnist_test"], results["drawn_digits"], results["drawn_non_digits"]
    rows = [
        ("MNIST test digits, accuracy", percent(test["accuracy"], 2)),
        ("MNIST test digits, expected calibration error", percent(test["calibration_error"], 2)),
        ("Drawn digits, accuracy", percent(drawn["accuracy"])),
        ("Drawn non-digits read with ≥ 90% confidence", percent(marks["confident_90"])),
        ("Drawn non-digits read with ≥ 60% confidence (no 'unsure')", percent(marks["confident_60"])),
        ("Drawn non-digits called 'not a digit'", percent(marks["read_as_not_a_digit"])),
        ("Drawn digits called 'not a digit'", percent(drawn["read_as_not_a_digit"])),
        ("MNIST test digits called a digit (≥ 60%)", percent(test["read_as_digit"])),
    ]
    rows.append(("Canvas-style drawings from fonts", percent(results["canvas_style"])))
    valid = validation["validation digits"]
    validation_rows = [
        ("Validation digits (last 5,000 training digits), accuracy", percent(valid["accuracy"], 2)),
        ("Validation digits, expected calibration error", percent(valid["calibration_error"], 2)),
        ("Flagged copies of the validation 1s", percent(validation["flagged validation 1s"]["accuracy"])),
        (
            "Held-out training-style marks read with ≥ 90% confidence",
            percent(validation["held-out non-digit marks"]["confident_90"]),
        ),
    ]
    lowest = lowest_traced(validation)
    if lowest:  # digits traced by a generator of their own (testkit.traced)
        digit, figure = lowest
        validation_rows += [
            (
                f"Traced digits (`testkit.traced`: {len(validation['traced digits']['by_way'])} ways of writing), "
                "accuracy",
                percent(validation["traced digits"]["accuracy"]),
            ),
            (f"Traced digits, the lowest digit ({digit})", percent(figure)),
        ]
    layers = "\n".join(
        f"| {layer['name']} | {layer['type']} | {' × '.join(map(str, layer['output_shape']))} |"
        for layer in training["layers"]
    )
    augmentation = "\n".join(f"- `{key}`: {value}" for key, value in training["augmentation"].items())
    finetune = ", ".join(f"`{key}` {value}" for key, value in training["finetune_augmentation"].items())
    speed, sets = results["speed"], card["sets"]
    confident, rejected = marks["confident_90_by_kind"], marks["read_as_not_a_digit_by_kind"]
    kinds = "\n".join(f"| {kind} | {percent(confident[kind])} | {percent(rejected[kind])} |" for kind in marks["kinds"])
    return f"""# Model card: {training["model_file"]}

A small convolutional network that reads handwritten digits 0–9 in 28×28 grey images (white digit
on black, as MNIST and `cnnviz.data.drawing.canvas_to_mnist` give), and is trained to spread its
probability over all ten digits when a drawing is not a digit. It is the model the Draw page uses
when it opens. The evaluation figures below were measured once, on the finished model, by
`python -m scripts.make_canvas_eval`; no training choice was made on them, though earlier cards'
figures did decide which kinds of marks training draws, and whether to ship a later candidate
(see "How the recipe was chosen").

{readme_summary(card)}

## Results
Every accuracy has its 95% Wilson score interval; the calibration error has a 95% bootstrap
interval (1,000 resamples of the test digits, 15 equal-width confidence bins).

{_table(rows)}

One drawing → probabilities (`canvas_to_mnist` + `predict_digits` on a 280×280 drawing): p50
{speed["p50_ms"]:.2f} ms, p95 {speed["p95_ms"]:.2f} ms of wall-clock time over {speed["repeats"]} calls, on the
machine it was trained on while others shared it; the CPU time of one call, p50 {speed["cpu_p50_ms"]:.2f} ms.

### The reading's verdict
`cnnviz.core.reading.read_probabilities` (the path the Draw page and a notebook share) says
"digit" from 60% up, "not a digit" below 30%, and "unsure" between.

### Drawn digits
Made by `testkit.drawn` (seed {sets["drawn_digits"]["seed"]}, {sets["drawn_digits"]["per_shape"]} drawings
per shape): every digit in 2–5 shapes drawn as pen strokes, each drawing slanted one of three
ways, with one of three pens, centred or small in a corner, shaken a little, rendered as the
canvas renders a stroke, then put through `canvas_to_mnist`.

| Digit | Accuracy |
| --- | --- |
{_groups(drawn["by_digit"])}

| Shape | Accuracy |
| --- | --- |
{_groups(drawn["by_shape"])}

| Style | Accuracy |
| --- | --- |
{_groups({**drawn["by_slant"], **drawn["by_pen"], **drawn["by_place"]})}

### Drawn non-digits
Made by `testkit.drawn` (seed {sets["drawn_non_digits"]["seed"]}, {sets["drawn_non_digits"]["per_kind"]} per kind), the
same way.

| Kind | Read with ≥ 90% confidence | Called "not a digit" |
| --- | --- | --- |
{kinds}

## Validation (what the recipe was chosen on)
{_table(validation_rows)}

The "not a digit" threshold, 30%, was set before training and checked on these: below it fall
almost no validation digits and most held-out marks.

{_threshold_table(validation)}
{_recipe_choice(card)}
## Architecture
{training["parameters"]:,} parameters; file {training["file_bytes"] / 1e6:.2f} MB (weights only, no optimizer state).
Configuration: `CnnConfig({", ".join(f"{k}={v!r}" for k, v in training["config"].items())})`.

| Layer | Type | Output shape |
| --- | --- | --- |
{layers}

## Data
{training["train_digits"]:,} MNIST training digits (the last {training["validation_digits"]:,} held out for
validation); {training["flagged_ones"]:,} of the training 1s again with a flag drawn on
(`testkit.flagged_ones`); {training["negatives"]:,} random non-digit marks (`testkit.negatives`, a
generator and seeds of their own, not the evaluation's) with the target 10% for every digit.
MNIST: Yann LeCun, Corinna Cortes and Christopher J.C. Burges, CC BY-SA 3.0.

## Training
{_resumed(training)}{_epochs(training["epochs"])}, then {training["finetune_epochs"]} more with milder augmentation;
batch {training["batch_size"]}, Adam, {training["learning_rate_schedule"]}; seed {training["seed"]};
{training["training_seconds"] / 60:.0f} minutes on {training["machine"]}, shared with other work
(Keras {training["keras_version"]}, TensorFlow {training["tensorflow_version"]}).

Augmentation, drawn afresh for every image of every epoch (one affine resampling per image), first phase:
{augmentation}

second phase: {finetune}.

Reproduce:

    CNNVIZ_MNIST=path/to/mnist.npz {training["command"]}
    CNNVIZ_MNIST=path/to/mnist.npz python -m scripts.validate_model models/cnnviz_mnist.keras
    CNNVIZ_MNIST=path/to/mnist.npz python -m scripts.make_canvas_eval

## What these figures do not show
- The drawn digits and non-digits are generated, not collected from people. Their shapes were
  designed by the same people who designed the training additions (flagged 1s, random marks), so
  they test the styles we thought of, not every way people write; a style missing from both is
  missing from these figures too.
- Training adds flagged 1s, so the drawn set's flagged 1s are not an unseen style: their figure
  shows the flags were learnt, made by a different generator (MNIST 1s with a drawn flag against
  1s drawn whole as strokes).
- The non-digit figures cover the eight kinds listed; a drawing of something else (a letter, a
  face) may still be read as a digit with high confidence. "5 before its bar" looks like a 5 to
  people too.
- Calibration is measured on MNIST's test digits, which look like the training digits; on drawings
  the confidence is less well founded.
- One seed, one training run. Second phases of another model run again with a second seed moved its flagged
  validation 1s by about a point ("How the recipe was chosen"); the spread of whole runs is not measured.
"""
