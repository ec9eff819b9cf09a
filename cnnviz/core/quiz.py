"""Quiz mode: check a student's number for the next cell and explain the arithmetic when it is off."""

from dataclasses import dataclass

from cnnviz.core.matrix import LIMIT, parse_matrix
from cnnviz.core.numbers import format_value


@dataclass(frozen=True)
class Verdict:
    correct: bool
    message: str
    counted: bool = True  # False when the answer was not a number: ask again, no point lost


def tolerance(expected):
    """How far off an answer may be: rounding the shown numbers must not cost a point."""
    return 0.05 + 0.01 * abs(expected)


def check_answer(answer, expected, arithmetic):
    """Compare the typed `answer` with `expected`; `arithmetic` is the working, shown when wrong."""
    try:
        value = float(parse_matrix([[answer]], name="answer", limit=LIMIT * 100)[0, 0])
    except ValueError as error:
        return Verdict(False, str(error).replace("Row 1, column 1 of the answer", "Your answer"), counted=False)
    shown = format_value(expected)
    if abs(value - expected) <= tolerance(expected):
        return Verdict(True, f"Right: {arithmetic}")
    return Verdict(False, f"Not quite: you wrote {format_value(value)}, the cell holds {shown}. {arithmetic}")


@dataclass
class Score:
    """Right answers out of questions asked, for the whole session."""

    right: int = 0
    asked: int = 0

    def record(self, verdict):
        if verdict.counted:
            self.asked += 1
            self.right += verdict.correct

    def __str__(self):
        return f"{self.right} of {self.asked}"
