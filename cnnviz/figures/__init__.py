"""Plotly figures of arrays: one look (style) shared by the matrices, the network, training and comparisons."""

from cnnviz.figures.matrix import matrix_figure

__all__ = ["matrix_figure"]
