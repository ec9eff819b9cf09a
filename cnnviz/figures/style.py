"""The one look every figure shares: the palette, the colour scales, the highlight and the plot config."""

from plotly.colors import diverging

# Okabe–Ito: eight colours told apart with every common colour-vision deficiency.
BLUE = "#0072B2"
ORANGE = "#E69F00"
GREEN = "#009E73"  # Okabe–Ito's bluish green
PURPLE = "#CC79A7"  # Okabe–Ito's reddish purple
SKY_BLUE = "#56B4E9"
VERMILLION = "#D55E00"
BLACK = "#000000"
YELLOW = "#F0E442"
PALETTE = (BLUE, ORANGE, GREEN, PURPLE, SKY_BLUE, VERMILLION, BLACK, YELLOW)  # series in this order

GREY = "#999999"  # what is not a series: the input block, the other bars
BAR_GREY = "#9A9A9A"
TEXT_COLOUR = "#262730"  # Streamlit's body text
HIGHLIGHT = "#FFB000"  # amber: the window, the cell being written, the winner; stands out on grey, red and blue

PIXEL_SCALE = [[0.0, "#000000"], [1.0, "#FFFFFF"]]  # 0 black, 1 white, as MNIST digits are
CHANNEL_SCALES = {  # one colour channel, 0 black to 1 full: red, green, blue
    "red": [[0.0, "#000000"], [1.0, "#FF2A2A"]],
    "green": [[0.0, "#000000"], [1.0, "#2AD02A"]],
    "blue": [[0.0, "#000000"], [1.0, "#4A6BFF"]],
}
SIGNED_SCALE = diverging.RdBu  # ColorBrewer red–white–blue: colour-blind safe, white at zero
POSITIVE = SIGNED_SCALE[-2]  # the blue end, for positive bars
NEGATIVE = SIGNED_SCALE[1]  # the red end, for negative bars
COUNT_SCALE = "Blues"  # counts from zero up, such as a confusion matrix

# Passed to every st.plotly_chart: no toolbar, whose zoom and pan teach nothing here.
PLOT_CONFIG = {"displayModeBar": False}


def series_colour(index):
    """The palette colour of the index-th series (a run, a model), starting over after eight."""
    return PALETTE[index % len(PALETTE)]


def chance_line(percent=10):
    """A thin dotted line across a chart at the accuracy of guessing one digit of ten."""
    return {
        "type": "line",
        "xref": "paper",
        "x0": 0,
        "x1": 1,
        "y0": percent,
        "y1": percent,
        "line": {"dash": "dot", "color": GREY, "width": 1},
    }
