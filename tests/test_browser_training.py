"""Training page in real Chromium against `streamlit run`: Stop works while fit runs; a closed tab frees its slot."""

import pytest

from testkit.browsers import open_tab
from testkit.servers import start_app

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.fixture(scope="module")
def one_slot_url():
    """An app server allowing one training at a time, so a slot left busy would show; a closed tab's
    training stops after 5 s without a connection (a minute by default)."""
    with start_app(env={"CNNVIZ_MAX_TRAININGS": "1", "CNNVIZ_DISCONNECT_GRACE": "5"}) as server:
        yield server.url


def open_training(chromium, url):
    return open_tab(chromium, f"{url}/training", "Train a new model")


def start_and_wait_for_batches(tab):
    tab.get_by_role("button", name="Train a new model").click()
    tab.get_by_text("Epoch 1 of 2 · batch").wait_for(timeout=120_000)


def test_stop_button_ends_training_while_fit_runs(chromium, one_slot_url):
    context, tab = open_training(chromium, one_slot_url)
    start_and_wait_for_batches(tab)
    tab.get_by_role("button", name="Stop").click()
    tab.get_by_text("Stopped by the Stop button.").wait_for(timeout=60_000)
    assert tab.get_by_role("button", name="Continue run 1 from epoch 1").is_visible()
    context.close()


def test_closing_the_tab_stops_its_training_and_frees_the_slot(chromium, one_slot_url):
    first_context, first = open_training(chromium, one_slot_url)
    start_and_wait_for_batches(first)
    first_context.close()  # the student closes the tab mid-training
    second_context, second = open_training(chromium, one_slot_url)
    start_and_wait_for_batches(second)  # only possible once the first training gave its slot back
    second.get_by_role("button", name="Stop").click()
    second.get_by_text("Stopped by the Stop button.").wait_for(timeout=60_000)
    second_context.close()
