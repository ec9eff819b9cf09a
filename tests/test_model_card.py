"""The model card and the README say what models/model_card.json measured, word for word."""

import json
from pathlib import Path

from scripts.model_card import CARD_JSON, CARD_MARKDOWN, markdown, readme_summary

ROOT = Path(__file__).resolve().parent.parent


def card():
    return json.loads(CARD_JSON.read_text())


def test_the_readme_quotes_the_model_cards_figures():
    assert readme_summary(card()) in " ".join((ROOT / "README.md").read_text().split())


def test_the_model_card_is_the_one_its_json_makes():
    assert CARD_MARKDOWN.read_text() == markdown(card())


def test_every_figure_on_the_card_has_an_interval_around_it():
    def figures(node):
        if isinstance(node, dict):
            if {"value", "low", "high", "n"} <= node.keys():
                yield node
            else:
                for child in node.values():
                    yield from figures(child)

    found = list(figures(card()["evaluation"]))
    assert len(found) > 20
    assert all(figure["low"] <= figure["value"] <= figure["high"] for figure in found)
