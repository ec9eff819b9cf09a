"""The package's layers: each imports only the ones below it, and the core imports no plotly, Streamlit or Keras."""

from pathlib import Path

import pytest

from testkit.imports import LAYERS, PACKAGE, cycles, imported_modules, layer_of, module_graph

ROOT = PACKAGE.parent
# Third-party packages a layer may not import, on top of what the layers above it bring.
FORBIDDEN = {
    "core": ("plotly", "streamlit", "tensorflow", "keras", "PIL", "scipy", "pandas"),
    "data": ("plotly", "streamlit", "tensorflow"),  # keras only for its MNIST download, inside load_mnist
    "figures": ("streamlit", "tensorflow", "keras"),
    "ml": ("plotly", "streamlit"),
    "ui": (),
}


def violations(package=PACKAGE):
    """(file, imported module, why) for every import that breaks the layering."""
    found = []
    for layer in LAYERS:
        allowed = set(LAYERS[: LAYERS.index(layer) + 1])
        for path in sorted((package / layer).rglob("*.py")):
            for module in imported_modules(path):
                target = layer_of(module)
                if target is not None and target not in allowed:
                    found.append((path.relative_to(package.parent), module, f"{layer} may not import {target}"))
                if module.split(".")[0] in FORBIDDEN[layer]:
                    found.append((path.relative_to(package.parent), module, f"{layer} may not import {module}"))
    return found


def test_every_module_of_the_package_sits_in_a_layer():
    loose = [p.name for p in PACKAGE.glob("*.py") if p.name != "__init__.py"]
    assert loose == [], f"modules outside the layers: {loose}"
    assert sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__") == sorted(LAYERS)


def test_no_layer_imports_a_layer_above_it():
    assert violations() == []


def test_no_module_imports_itself_back_when_imported():
    assert cycles(module_graph(at_import_time=True)) == []


def test_the_check_catches_an_upward_import(tmp_path):
    for layer in LAYERS:
        (tmp_path / "cnnviz" / layer).mkdir(parents=True)
    (tmp_path / "cnnviz" / "core" / "ops.py").write_text("def f():\n    from cnnviz.figures import matrix_figure\n")
    (tmp_path / "cnnviz" / "data" / "mnist.py").write_text("import plotly\n")
    found = violations(tmp_path / "cnnviz")
    assert [why for _, _, why in found] == [
        "core may not import figures",
        "core may not import figures",
        "data may not import plotly",
    ]


@pytest.mark.parametrize("folder", ["app_pages", "scripts", "benchmarks", "tests", "testkit"])
def test_nothing_edits_the_import_path(folder):
    this_file = Path(__file__).name  # names sys.path in its own check
    offenders = [p.name for p in (ROOT / folder).rglob("*.py") if "sys.path" in p.read_text() and p.name != this_file]
    assert offenders == []


def test_the_readme_shows_the_import_graph_the_code_has():
    from scripts.import_graph import render

    readme = (ROOT / "README.md").read_text()
    assert f"```text\n{render(module_graph(), counts=False)}\n```" in readme
