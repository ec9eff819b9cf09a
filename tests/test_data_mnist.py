"""cnnviz.data.mnist: where MNIST comes from, and what a malformed file is told."""

import pickle

import numpy as np
import pytest

from cnnviz.data import mnist as data


def write_mnist(path, train=20, test=10, **overrides):
    """A small valid MNIST-like .npz, with any array replaced by `overrides` (None drops the key)."""
    rng = np.random.default_rng(0)
    arrays = {
        "x_train": rng.integers(0, 256, (train, 28, 28), dtype=np.uint8),
        "y_train": rng.integers(0, 10, train, dtype=np.uint8),
        "x_test": rng.integers(0, 256, (test, 28, 28), dtype=np.uint8),
        "y_test": rng.integers(0, 10, test, dtype=np.uint8),
    }
    arrays.update(overrides)
    np.savez(path, **{key: value for key, value in arrays.items() if value is not None})
    return path


@pytest.fixture
def no_env(monkeypatch):
    monkeypatch.delenv(data.ENV_VAR, raising=False)


def fail_download():
    raise OSError("no internet")


def test_env_file_is_used_first_and_named_in_source(tmp_path, monkeypatch):
    path = write_mnist(tmp_path / "mnist.npz", train=20, test=10)
    monkeypatch.setenv(data.ENV_VAR, str(path))
    monkeypatch.setattr(data, "_keras_mnist", lambda: pytest.fail("Keras must not be asked when the file is set"))
    (x_train, y_train), (x_test, y_test) = loaded = data.load_mnist()
    assert (x_train.shape, y_train.shape, x_test.shape, y_test.shape) == ((20, 28, 28), (20,), (10, 28, 28), (10,))
    assert path.name in loaded.source and str(path.parent) not in loaded.source  # shown to visitors: no folders
    assert loaded.is_sample is False


def test_keras_is_used_when_no_env_file(no_env, monkeypatch):
    train, test = data.load_sample()
    monkeypatch.setattr(data, "_keras_mnist", lambda: (train, test))
    loaded = data.load_mnist()
    assert loaded.source == "Keras download"
    assert loaded.is_sample is False


def test_download_failure_falls_back_to_bundled_sample(no_env, monkeypatch):
    monkeypatch.setattr(data, "_keras_mnist", fail_download)
    (x_train, y_train), (x_test, y_test) = loaded = data.load_mnist()
    assert loaded.is_sample is True
    assert "sample" in loaded.source
    assert (len(x_train), len(x_test)) == (10_000, 2_000)
    assert x_train.dtype == y_train.dtype == np.uint8


def test_result_unpacks_like_keras_load_data(no_env, monkeypatch):
    monkeypatch.setattr(data, "_keras_mnist", fail_download)
    loaded = data.load_mnist()
    assert isinstance(loaded, tuple) and len(loaded) == 2 and all(len(pair) == 2 for pair in loaded)


def test_result_survives_pickling_with_its_source(no_env, monkeypatch):
    monkeypatch.setattr(data, "_keras_mnist", fail_download)
    loaded = data.load_mnist()
    again = pickle.loads(pickle.dumps(loaded))
    assert (again.source, again.is_sample) == (loaded.source, loaded.is_sample)
    np.testing.assert_array_equal(again[1][1], loaded[1][1])


def test_bundled_sample_is_class_balanced_and_valid():
    (x_train, y_train), (x_test, y_test) = data.load_sample()
    data.validate_mnist({"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test})
    assert np.bincount(y_test, minlength=10).tolist() == [200] * 10


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"y_test": None}, "lacks the key"),
        ({"x_train": np.zeros((20, 28, 27), np.uint8)}, "shape"),
        ({"x_test": np.zeros((10, 28, 28), np.float32)}, "uint8"),
        ({"y_train": np.full(20, 10, np.uint8)}, "0–9"),
        ({"y_train": np.zeros(19, np.uint8)}, "one label per image"),
    ],
    ids=["missing key", "wrong image shape", "wrong dtype", "label out of range", "label count"],
)
def test_malformed_env_file_is_rejected_with_clear_message(tmp_path, monkeypatch, overrides, message):
    monkeypatch.setenv(data.ENV_VAR, str(write_mnist(tmp_path / "bad.npz", **overrides)))
    with pytest.raises(ValueError, match=message):
        data.load_mnist()


def test_pickled_arrays_are_refused(tmp_path, monkeypatch):
    path = write_mnist(tmp_path / "pickled.npz", y_test=np.array([{"label": 1}] * 10, dtype=object))
    monkeypatch.setenv(data.ENV_VAR, str(path))
    with pytest.raises(ValueError, match="unpickling"):
        data.load_mnist()


def test_missing_env_file_is_an_error_not_a_silent_fallback(tmp_path, monkeypatch):
    monkeypatch.setenv(data.ENV_VAR, str(tmp_path / "nowhere.npz"))
    with pytest.raises(ValueError, match="No MNIST file"):
        data.load_mnist()


def test_file_that_is_not_an_archive_is_rejected(tmp_path, monkeypatch):
    path = tmp_path / "mnist.npz"
    path.write_bytes(b"not a zip archive")
    monkeypatch.setenv(data.ENV_VAR, str(path))
    with pytest.raises(ValueError, match="not a readable .npz|cannot be read"):
        data.load_mnist()


@pytest.mark.full_mnist
def test_full_mnist_holds_60000_training_and_10000_test_digits_of_every_class():
    mnist = data.load_mnist()
    (x_train, y_train), (x_test, y_test) = mnist
    assert not mnist.is_sample
    assert (len(x_train), len(x_test)) == (60_000, 10_000)
    assert np.bincount(y_test, minlength=10).min() >= 800
