"""The repository keeps its promises: CI runs the README's test command, the sample stays small, lint is clean."""

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def readme_command(label):
    """The shell line under the README's heading comment `label`."""
    match = re.search(rf"# {label}\n(.+)\n", (ROOT / "README.md").read_text())
    assert match, f"README has no '# {label}' command"
    return match.group(1).strip()


def readme_example(heading):
    """The ```python block of the README's section `heading`."""
    section = (ROOT / "README.md").read_text().split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    match = re.search(r"```python\n(.+?)```", section, re.S)
    assert match, f"README's section {heading!r} has no python block"
    return match.group(1)


def test_the_readmes_notebook_example_runs_as_written():
    namespace = {}
    exec(compile(readme_example("Use it from a notebook"), "README.md", "exec"), namespace)
    assert namespace["pooled"].output.shape == (2, 2)
    assert "tensorflow" not in namespace and "streamlit" not in namespace


def test_ci_runs_the_readmes_test_command():
    assert readme_command("install and run the tests") in (ROOT / ".ci" / "run").read_text()


def test_readme_starts_the_app_with_streamlit_run():
    assert readme_command("install and start the app").endswith("streamlit run app.py")


def test_bundled_mnist_sample_is_at_most_2_5_mb():
    assert (ROOT / "cnnviz" / "data" / "mnist_sample.npz").stat().st_size <= 2.5e6


def test_concept_pages_do_not_import_tensorflow_at_the_top():
    for page in ("home", "convolution", "pooling"):
        source = (ROOT / "app_pages" / f"{page}.py").read_text()
        assert not re.search(r"^(import|from) (tensorflow|keras)", source, re.M), page


def test_concept_pages_do_not_import_tensorflow():
    script = (
        "import sys\n"
        "from streamlit.testing.v1 import AppTest\n"
        "app = AppTest.from_file('app.py', default_timeout=60).run()\n"
        "for page in ('convolution', 'channels', 'pooling', 'input_layer', 'ann_vs_cnn', 'backward', 'augmentation'):\n"
        "    page = f'app_pages/{page}.py'\n"
        "    app.switch_page(page).run()\n"
        "    assert not app.exception, app.exception\n"
        "print(sorted(m for m in ('tensorflow', 'keras') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"


@pytest.mark.skipif(
    importlib.util.find_spec("ruff") is None, reason="ruff is not installed: pip install -r requirements-dev.txt"
)
@pytest.mark.parametrize("command", [["check", "."], ["format", "--check", "."]])
def test_ruff_finds_nothing_to_fix(command):
    """pyproject's [tool.ruff] rules over the whole checkout: `ruff check .` and `ruff format --check .`."""
    result = subprocess.run([sys.executable, "-m", "ruff", *command], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
