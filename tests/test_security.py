"""Nothing the app ships loads code from a file: models with safe_mode=True, arrays without pickle; the server
config keeps students' data in and cross-site requests out."""

import ast
import tomllib
from pathlib import Path

import pytest

from cnnviz.data.uploads import MAX_UPLOAD_BYTES

ROOT = Path(__file__).resolve().parent.parent
SHIPPED_SOURCES = sorted(
    [ROOT / "app.py"]
    + [
        path
        for folder in ("cnnviz", "app_pages", "scripts", "benchmarks", "testkit")
        for path in (ROOT / folder).rglob("*.py")
    ]
)
UNSAFE_MODULES = {"pickle", "cPickle", "_pickle", "dill", "joblib", "marshal", "shelve", "cloudpickle"}
UNSAFE_CALLS = {"eval", "exec", "enable_unsafe_deserialization"}


def calls(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            function = node.func
            name = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", None)
            owner = getattr(function.value, "id", None) if isinstance(function, ast.Attribute) else None
            yield node, name, owner


def keyword(call, name):
    """The constant value of keyword `name` in `call`, or None when absent or not a constant."""
    for argument in call.keywords:
        if argument.arg == name and isinstance(argument.value, ast.Constant):
            return argument.value.value
    return None


def where(path, node):
    return f"{path.relative_to(ROOT)}:{node.lineno}"


def parsed(path):
    return ast.parse(path.read_text(), filename=str(path))


@pytest.mark.parametrize("path", SHIPPED_SOURCES, ids=lambda path: str(path.relative_to(ROOT)))
def test_source_never_loads_code_from_data(path):
    tree = parsed(path)
    problems = []
    for node, name, owner in calls(tree):
        if name == "load_model" and keyword(node, "safe_mode") is not True:
            problems.append(f"{where(path, node)}: load_model without safe_mode=True")
        if name == "load" and owner in ("np", "numpy") and keyword(node, "allow_pickle") is not False:
            problems.append(f"{where(path, node)}: np.load without allow_pickle=False")
        if name in UNSAFE_CALLS:
            problems.append(f"{where(path, node)}: {name}()")
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [alias.name for alias in node.names] + [getattr(node, "module", None) or ""]
            if any(name.split(".")[0] in UNSAFE_MODULES for name in names):
                problems.append(f"{where(path, node)}: imports an unpickler")
    assert problems == []


def test_the_scan_finds_an_unsafe_load(tmp_path):
    unsafe = tmp_path / "unsafe.py"
    unsafe.write_text("import numpy as np, keras\nkeras.saving.load_model('m.keras')\nnp.load('a.npy')\n")
    found = [name for node, name, _ in calls(parsed(unsafe)) if name in ("load_model", "load") and not node.keywords]
    assert found == ["load_model", "load"]


def test_every_model_load_in_the_app_goes_through_safe_mode():
    loads = [
        where(path, node) for path in SHIPPED_SOURCES for node, name, _ in calls(parsed(path)) if name == "load_model"
    ]
    assert "cnnviz/ml/models.py" in " ".join(loads)  # the scan sees the app's one loader


def server_config():
    return tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())


def test_usage_statistics_are_off():
    assert server_config()["browser"]["gatherUsageStats"] is False


def test_cross_site_request_protection_is_on():
    assert server_config()["server"]["enableXsrfProtection"] is True


def test_the_servers_upload_limit_matches_the_apps():
    assert server_config()["server"]["maxUploadSize"] * 1024 * 1024 == MAX_UPLOAD_BYTES
