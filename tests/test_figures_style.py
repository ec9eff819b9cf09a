"""One look: the palette, the highlight and the plot config are written once, in cnnviz/figures/style.py."""

import re
from pathlib import Path

from cnnviz.figures import style

ROOT = Path(__file__).resolve().parent.parent


def test_the_palette_is_okabe_ito_and_series_colours_cycle_through_it():
    assert style.PALETTE == ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442")
    assert [style.series_colour(index) for index in (0, 1, 8, 9)] == ["#0072B2", "#E69F00", "#0072B2", "#E69F00"]


def test_no_module_writes_a_palette_colour_or_a_plot_config_of_its_own():
    named = {colour.upper() for colour in (*style.PALETTE, style.HIGHLIGHT)} - {style.BLACK}
    offenders = []
    for path in [*(ROOT / "cnnviz").rglob("*.py"), *(ROOT / "app_pages").rglob("*.py"), ROOT / "app.py"]:
        if path.name == "style.py":
            continue
        text = path.read_text()
        colours = {match.upper() for match in re.findall(r"#[0-9A-Fa-f]{6}\b", text)} & named
        if colours or "displayModeBar" in text:
            offenders.append((path.relative_to(ROOT).as_posix(), sorted(colours)))
    assert offenders == []
