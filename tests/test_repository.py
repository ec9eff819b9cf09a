"""The repository keeps its promises: CI runs the README's test command, the sample stays small."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def readme_command(label):
    """The shell line under the README's heading comment `label`."""
    match = re.search(rf"# {label}\n(.+)\n", (ROOT / "README.md").read_text())
    assert match, f"README has no '# {label}' command"
    return match.group(1).strip()


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
