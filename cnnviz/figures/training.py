"""Figures for the Training page: learning curves, run comparison, confusion matrix, grids of small images."""

import math

import numpy as np
import plotly.graph_objects as go

from cnnviz.core.numbers import value_range
from cnnviz.figures.style import COUNT_SCALE, PIXEL_SCALE, SIGNED_SCALE

MAX_POINTS = 1500  # batch points drawn per run; more are thinned evenly


def curves_figure(runs, *, height=360):
    """Loss and accuracy against epochs, training and validation, for one run or several overlaid.

    runs: list of (label, batches, epochs, colour): BatchPoints and EpochPoints of each run.
    Training is drawn smoothed (see `smooth`), with each batch's own value faint behind it when there
    is one run; validation is the dashed line with a dot at the end of each epoch. With one run the
    legend names the lines; with several it names the runs. Built without make_subplots: the page
    redraws it every second while training.
    """
    several = len(runs) > 1
    traces = []
    for label, batches, epochs, colour in runs:
        validated = [e for e in epochs if e.val_loss is not None]
        positions = [p.position for p in batches]
        for axis, metric in (("", "loss"), ("2", "accuracy")):
            first = axis == ""
            values = np.array([getattr(p, metric) for p in batches], dtype=float)
            common = {"xaxis": f"x{axis}", "yaxis": f"y{axis}", "mode": "lines"}
            if not several:  # each batch's own value, faint: how noisy one batch is
                traces.append(
                    go.Scatter(
                        **_thinned(positions, values),
                        **common,
                        line={"color": colour, "width": 1},
                        opacity=0.3,
                        name="training, each batch",
                        legendgroup="batch",
                        showlegend=first,
                        hoverinfo="skip",
                    )
                )
            traces.append(
                go.Scatter(
                    **_thinned(positions, smooth(values, _span(batches), [p.images for p in batches])),
                    **common,
                    line={"color": colour, "width": 2.5},
                    name=label if several else "training (smoothed)",
                    legendgroup=label if several else "training",
                    showlegend=first,
                    hovertemplate=f"{label}<br>epoch %{{x:.2f}}: training {metric} %{{y:.4f}}<extra></extra>",
                )
            )
            if validated:
                traces.append(
                    go.Scatter(
                        x=[e.position for e in validated],
                        y=[getattr(e, f"val_{metric}") for e in validated],
                        xaxis=f"x{axis}",
                        yaxis=f"y{axis}",
                        mode="lines+markers",
                        line={"color": colour, "width": 2, "dash": "dash"},
                        marker={"size": 8},
                        name=f"{label}: validation" if several else "validation (end of each epoch)",
                        legendgroup=label if several else "validation",
                        showlegend=first and not several,
                        hovertemplate=f"{label}<br>epoch %{{x:.2f}}: validation {metric} %{{y:.4f}}<extra></extra>",
                    )
                )
    epochs_axis = {"title": {"text": "epochs of training"}, "rangemode": "tozero", "zeroline": False}
    titles = [
        _title("Loss (lower is better)", 0.22),
        _title("Accuracy (higher is better)", 0.78),
    ]
    return go.Figure(
        data=traces,
        layout={
            "xaxis": {**epochs_axis, "domain": [0, 0.45]},
            "xaxis2": {**epochs_axis, "domain": [0.55, 1]},
            "yaxis": {"rangemode": "tozero"},
            "yaxis2": {"anchor": "x2", "range": _accuracy_range(runs), "tickformat": ".0%"},
            "annotations": titles,
            "height": height,
            "margin": {"l": 10, "r": 10, "t": 36, "b": 10},
            "legend": {"orientation": "h", "yanchor": "top", "y": -0.22, "x": 0},
            "hovermode": "closest",
            "paper_bgcolor": "rgba(0,0,0,0)",
        },
    )


def _title(text, x):
    return {
        "text": text,
        "x": x,
        "y": 1.02,
        "xref": "paper",
        "yref": "paper",
        "yanchor": "bottom",
        "showarrow": False,
        "font": {"size": 15},
    }


def smooth(values, span=10, sizes=None):
    """Exponential moving average over about `span` batches, bias-corrected so it starts at the first
    value. `sizes` (images per batch) make a short batch count for less, as its value is noisier."""
    values = np.asarray(values, dtype=float)
    sizes = np.ones_like(values) if sizes is None or len(values) == 0 else np.asarray(sizes, float) / max(sizes)
    keep = 1 - 2 / (span + 1)  # weight the average so far keeps at each full batch
    smoothed, average, unused = np.empty_like(values), 0.0, 1.0
    for index, (value, size) in enumerate(zip(values, sizes, strict=True)):
        kept = keep**size
        average = kept * average + (1 - kept) * value
        unused *= kept
        smoothed[index] = average / (1 - unused)
    return smoothed


def _span(batches):
    """Smooth over about an eighth of an epoch (at least 5 batches)."""
    per_epoch = max((p.batch for p in batches), default=1)
    return max(5, per_epoch // 8)


def _thinned(x, y):
    if len(x) <= MAX_POINTS:
        return {"x": list(x), "y": list(y)}
    keep = np.unique(np.linspace(0, len(x) - 1, MAX_POINTS).round().astype(int))
    return {"x": [x[i] for i in keep], "y": [y[i] for i in keep]}


def _accuracy_range(runs):
    """From a little below the lowest accuracy seen to 100%, so the last percent stays visible."""
    values = [p.mean_accuracy for _, batches, _, _ in runs for p in batches[len(batches) // 10 :]]
    values += [e.val_accuracy for _, _, epochs, _ in runs for e in epochs if e.val_accuracy is not None]
    finite = [v for v in values if np.isfinite(v)]
    low = min(finite) if finite else 0.0
    return [max(0.0, math.floor(low * 20) / 20 - 0.02), 1.005]


def confusion_figure(counts, *, height=460):
    """counts[true, predicted] as a heatmap with every count printed; the colour follows log(1 + count),
    so the few mistakes off the diagonal stand out against the many correct answers on it."""
    counts = np.asarray(counts)
    digits = [str(d) for d in range(counts.shape[0])]
    hover = "true %{y}, read as %{x}: %{customdata} digits<extra></extra>"
    figure = go.Figure(
        go.Heatmap(
            z=np.log1p(counts),
            x=digits,
            y=digits,
            customdata=counts,
            text=counts,
            texttemplate="%{text}",
            textfont={"size": 13},
            colorscale=COUNT_SCALE,
            showscale=False,
            hovertemplate=hover,
            xgap=1,
            ygap=1,
        )
    )
    figure.update_xaxes(title_text="predicted digit", side="top", type="category", showgrid=False)
    figure.update_yaxes(title_text="true digit", autorange="reversed", type="category", scaleanchor="x", showgrid=False)
    figure.update_layout(
        height=height, margin={"l": 10, "r": 10, "t": 40, "b": 10}, plot_bgcolor="rgba(0,0,0,0)", width=height + 40
    )
    return figure


def image_grid_figure(images, titles=None, *, signed=None, columns=8, cell=90, zrange=None):
    """Small images of one shape side by side, with one shared colour range (so their strengths compare).

    Drawn as one heatmap of the images tiled with blank gaps: fast enough to redraw on every rerun.
    signed: diverging scale with white at zero (for filter weights); default: when any value < 0.
    """
    images = [np.asarray(image, dtype=float) for image in images]
    if not images:
        raise ValueError("image_grid_figure needs at least one image.")
    if len({image.shape for image in images}) > 1 or images[0].ndim != 2:
        raise ValueError(f"image_grid_figure needs 2-D images of one shape, got {[i.shape for i in images]}.")
    zmin, zmax = zrange if zrange is not None else value_range(*images)
    signed = zmin < 0 if signed is None else signed
    height, width = images[0].shape
    columns = min(columns, len(images))
    rows = math.ceil(len(images) / columns)
    gap = max(1, round(width / 8))
    band = max(3, round(height * 0.4)) if titles is not None else 0  # room for a title above each image
    mosaic = np.full((rows * (band + height + gap) - gap, columns * (width + gap) - gap), np.nan)
    annotations = []
    for index, image in enumerate(images):
        row, column = divmod(index, columns)
        top, left = row * (band + height + gap) + band, column * (width + gap)
        mosaic[top : top + height, left : left + width] = image
        if titles is not None:
            annotations.append(
                {
                    "text": titles[index],
                    "x": left + (width - 1) / 2,
                    "y": top - 0.5,
                    "yanchor": "bottom",
                    "showarrow": False,
                    "font": {"size": 12},
                }
            )
    scale = cell / height  # pixels per cell
    figure = go.Figure(
        go.Heatmap(
            z=mosaic,
            zmin=zmin,
            zmax=zmax,
            zmid=0 if signed else None,
            colorscale=SIGNED_SCALE if signed else PIXEL_SCALE,
            showscale=signed,
            colorbar={"thickness": 12, "len": 0.9},
            hovertemplate="%{z:.3f}<extra></extra>",
        )
    )
    figure.update_xaxes(visible=False, constrain="domain")
    figure.update_yaxes(visible=False, autorange="reversed", scaleanchor="x", constrain="domain")
    figure.update_layout(
        annotations=annotations,
        height=int(mosaic.shape[0] * scale) + 16,
        margin={"l": 4, "r": 4, "t": 8, "b": 8},
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
    )
    return figure
