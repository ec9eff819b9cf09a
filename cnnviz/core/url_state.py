"""A page's view as URL query parameters, so a teacher's link opens exactly that view.

Reading is forgiving: a missing, malformed or hostile parameter falls back to its
default and adds a notice saying so; nothing here ever raises on user input.
"""

from dataclasses import dataclass

import numpy as np

from cnnviz.core.matrix import parse_matrix
from cnnviz.core.numbers import format_value

MAX_MATRIX = 12  # rows or columns a link may carry: the largest map the Convolution page makes (8×8, 1×1, padding 2)
MAX_PARAMETER = 1_500  # characters; longer is not a matrix we wrote (12×12 cells of at most 7 characters and a comma)
CHANNEL_SEPARATOR = "_"  # between the channels of a (H, W, C) stack; safe in a URL unescaped


def encode_matrix(values):
    """'0,0.2,1;0,0.3,0.9': rows split by ';', cells by ','."""
    return ";".join(",".join(format_value(v, 3).replace("−", "-") for v in row) for row in np.asarray(values))


def decode_matrix(text, name="matrix"):
    """The inverse of encode_matrix. Raises ValueError on anything else."""
    if len(text) > MAX_PARAMETER:
        raise ValueError(f"the {name} in the link is too long")
    rows = [row.split(",") for row in text.split(";")]
    if len(rows) > MAX_MATRIX or max(len(row) for row in rows) > MAX_MATRIX:
        raise ValueError(f"the {name} in the link is larger than {MAX_MATRIX}×{MAX_MATRIX}")
    values = parse_matrix(rows, name=name)
    if values.shape[0] != values.shape[1]:
        raise ValueError(f"the {name} in the link is not square")
    return values


def encode_stack(values):
    """An (H, W, C) stack as its C channel matrices, each as encode_matrix writes it, joined by '_'."""
    values = np.asarray(values)
    return CHANNEL_SEPARATOR.join(encode_matrix(values[:, :, c]) for c in range(values.shape[2]))


def decode_stack(text, channels, name="matrix"):
    """The inverse of encode_stack for exactly `channels` square channels of one size. Raises ValueError."""
    if len(text) > MAX_PARAMETER * channels:
        raise ValueError(f"the {name} in the link is too long")
    parts = text.split(CHANNEL_SEPARATOR)
    if len(parts) != channels:
        raise ValueError(f"the {name} in the link has {len(parts)} channels, not {channels}")
    matrices = [decode_matrix(part, name) for part in parts]
    if len({m.shape for m in matrices}) > 1:
        raise ValueError(f"the channels of the {name} in the link differ in size")
    return np.stack(matrices, axis=-1)  # (H, W, C)


@dataclass(frozen=True)
class Field:
    """One shareable setting: its parameter name, default, and how to read and write it."""

    name: str
    default: object
    choices: tuple | None = None  # allowed values, for settings picked from a list
    matrix: bool = False  # a square matrix of numbers
    channels: int = 0  # for matrices: a (H, W, channels) stack when more than 0
    sizes: tuple = ()  # for matrices: the sizes the page offers
    upper: int | None = None  # for whole numbers from 0 up to this
    bounds: tuple | None = None  # for real numbers: (lowest, highest)

    def read(self, text):
        """The value `text` stands for. Raises ValueError when it stands for nothing allowed."""
        if self.matrix:
            values = decode_stack(text, self.channels, self.name) if self.channels else decode_matrix(text, self.name)
            if values.shape[0] not in self.sizes:
                raise ValueError(
                    f"{self.name} is {values.shape[0]}×{values.shape[0]}; this page takes sizes "
                    f"{', '.join(map(str, self.sizes))}"
                )
            return values
        if self.bounds is not None:
            return self._read_number(text)
        if self.choices is not None:
            for choice in self.choices:
                if str(choice) == text:
                    return choice
            raise ValueError(f"{self.name}={text[:20]!r} is not one of {', '.join(map(str, self.choices))}")
        if not (text.isascii() and text.isdigit()) or int(text) > self.upper:  # '²' is a digit to isdigit()
            raise ValueError(f"{self.name}={text[:20]!r} is not a whole number from 0 to {self.upper}")
        return int(text)

    def _read_number(self, text):
        low, high = self.bounds
        if len(text) > 20:
            raise ValueError(f"{self.name} in the link is too long for a number")
        try:
            value = float(parse_matrix([[text]], name=self.name, limit=max(abs(low), abs(high)))[0, 0])
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            raise ValueError(
                f"{self.name}={text[:20]!r} is not a number from {format_value(low)} to {format_value(high)}"
            )
        return value

    def write(self, value):
        if self.matrix:
            return encode_stack(value) if self.channels else encode_matrix(value)
        if self.bounds is not None:
            return format_value(float(value), 3).replace("−", "-")
        return str(value)


def read_view(fields, params):
    """(values by field name, notices) from query parameters; unknown names are ignored."""
    values, notices = {}, []
    for field in fields:
        text = params.get(field.name)
        if text is None:
            continue
        try:
            values[field.name] = field.read(str(text))
        except ValueError as error:
            notices.append(f"Link setting ignored: {str(error).rstrip('.')}; using the default instead.")
    return values, notices


def write_view(fields, values):
    """Query parameters for the values that differ from their defaults (short links)."""
    params = {}
    for field in fields:
        value = values.get(field.name, field.default)
        written = field.write(value)
        if written != field.write(field.default):
            params[field.name] = written
    return params
