"""The page registry: one list of the course's pages that app.py and the home page both read."""

from pathlib import Path

import pytest

from cnnviz.ui import pages

ROOT = Path(__file__).resolve().parent.parent


def test_every_page_script_is_registered_once_and_every_registered_script_exists():
    paths = [page.path for page in pages.PAGES]
    assert len(set(paths)) == len(paths)
    assert sorted(paths) == sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "app_pages").glob("*.py"))


def test_sections_keep_course_order_and_the_start_page_comes_first():
    assert pages.PAGES[0].section == pages.START
    flattened = [page for section in pages.sections().values() for page in section]
    assert flattened == list(pages.PAGES)
    assert pages.lessons() == list(pages.PAGES[1:])


def test_neighbours_walk_the_course_and_stop_at_its_ends():
    first, second, last = pages.PAGES[0], pages.PAGES[1], pages.PAGES[-1]
    assert pages.neighbours(first.path) == (None, second)
    assert pages.neighbours(second.path)[0] == first
    assert pages.neighbours(last.path)[1] is None


def test_an_unknown_page_is_named_in_the_error():
    with pytest.raises(ValueError, match="app_pages/nowhere.py"):
        pages.page("app_pages/nowhere.py")
