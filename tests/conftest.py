"""Shared test setup: offline, no caps from the caller's environment, the full-MNIST and tf markers checked,
a real app server and a real browser (helpers in testkit.servers and testkit.browsers)."""

import ast
import os
import sys
from functools import cache

import pytest

from testkit import browsers, servers
from testkit.offline import network_blocked

CAPS = ("CNNVIZ_MAX_EPOCHS", "CNNVIZ_MAX_TRAIN_SIZE", "CNNVIZ_MAX_TRAININGS")
NEEDS_FULL_MNIST = "needs full MNIST: point CNNVIZ_MNIST at an .npz of it (only the bundled sample is here)"


@pytest.fixture(scope="session", autouse=True)
def offline():
    """No test reaches the network: a download fails at once, as it does for a student offline."""
    with network_blocked():
        yield


@pytest.fixture(autouse=True)
def no_training_caps(monkeypatch):
    """The training caps a deployment may set in its environment do not leak into the tests."""
    for name in CAPS:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def no_training_in_quick_tests(request, monkeypatch):
    """`-m "not slow"` trains nothing: a test that calls Model.fit must be marked slow."""
    if "keras" in sys.modules and not request.node.get_closest_marker("slow"):

        def refuse(*args, **kwargs):
            raise AssertionError(f"{request.node.nodeid} trains a model but is not marked slow")

        monkeypatch.setattr(sys.modules["keras"].Model, "fit", refuse)


@pytest.fixture
def mnist_offline(monkeypatch):
    """A user with no CNNVIZ_MNIST, no Keras cache and no network: the MNIST download fails, whatever this
    machine has; the training data is loaded afresh for this test and again after it."""
    import cnnviz.data.mnist
    from cnnviz.ml import training

    def no_network():
        raise OSError("Temporary failure in name resolution")

    monkeypatch.delenv("CNNVIZ_MNIST", raising=False)
    monkeypatch.setattr(cnnviz.data.mnist, "_keras_mnist", no_network)
    training._load_cached.cache_clear()
    yield
    training._load_cached.cache_clear()


@cache
def full_mnist_here():
    """True when `load_mnist` finds full MNIST ($CNNVIZ_MNIST, or Keras' cache) without the network."""
    from cnnviz.data.mnist import load_mnist

    with network_blocked():
        return not load_mnist().is_sample


TF_MODULES = ("tensorflow", "keras", "cnnviz.ml")  # the ml layer is the Keras layer


@cache
def imports_tensorflow(path):
    """True when the test module at `path` imports TensorFlow, Keras or cnnviz.ml at its top."""
    names = []
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return any(name == module or name.startswith(module + ".") for name in names for module in TF_MODULES)


def pytest_collection_modifyitems(items):
    unmarked = sorted(
        {str(item.path.name) for item in items if imports_tensorflow(item.path) and not item.get_closest_marker("tf")}
    )
    if unmarked:
        raise pytest.UsageError(
            f"{', '.join(unmarked)} import TensorFlow at the top but not all their tests are marked `tf`: "
            "add `pytestmark = pytest.mark.tf`, or import it inside the tests that need it."
        )


def pytest_runtest_setup(item):
    if item.get_closest_marker("full_mnist") and not full_mnist_here():
        pytest.skip(NEEDS_FULL_MNIST)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """A test that loads TensorFlow must say so with the `tf` marker (`-m "not tf"` then stays light)."""
    loaded_before = "tensorflow" in sys.modules
    result = yield
    if not loaded_before and "tensorflow" in sys.modules and not item.get_closest_marker("tf"):
        pytest.fail(f"{item.nodeid} imported TensorFlow but is not marked `tf`", pytrace=False)
    return result


@pytest.fixture(scope="session")
def shipped_model():
    """The model shipped in models/, loaded once (read-only: tests that change weights build their own)."""
    from cnnviz.ml.models import load_pretrained

    return load_pretrained()


@pytest.fixture(scope="session")
def sample_test_digits():
    """The bundled sample's 2,000 test digits in 0–1 and their labels: (2000, 28, 28) float32, (2000,)."""
    from cnnviz.data.mnist import load_sample

    _, (x_test, y_test) = load_sample()
    return x_test.astype("float32") / 255.0, y_test


@pytest.fixture(scope="session")
def app_url():
    """The base URL of a real app server, started once for the browser tests."""
    with servers.start_app() as server:
        yield server.url


@pytest.fixture(scope="session")
def chromium():
    """Debian's headless Chromium through Playwright.

    Skipped where Chromium is missing, unless CNNVIZ_REQUIRE_BROWSER=1 (CI sets it).
    """
    if browsers.chromium_path() is None:
        if os.environ.get("CNNVIZ_REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium is not installed: apt-get install -y chromium")
        pytest.skip("Chromium is not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = browsers.launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    """A fresh browser tab, 1400×1000."""
    context = chromium.new_context(viewport=browsers.VIEWPORT)
    context.set_default_timeout(browsers.ACTION_TIMEOUT_MS)
    tab = context.new_page()
    yield tab
    context.close()
