"""Uploaded pictures: read when they are real PNG/JPEG digits, refused with a clear sentence otherwise."""

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from cnnviz.data.drawing import canvas_to_mnist
from cnnviz.data.uploads import MAX_PIXELS, MAX_UPLOAD_BYTES, WORKING_SIDE, read_digit_image


def encoded(array, format="PNG", **options):
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format=format, **options)
    return buffer.getvalue()


def black_one_on_white(size=200):
    paper = np.full((size, size), 255, np.uint8)
    paper[size // 5 : -size // 5, size // 2 - 8 : size // 2 + 8] = 0  # a thick vertical stroke
    return paper


def png_chunk(kind, payload):
    body = kind + payload
    return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body))


def png_header_only(width, height):
    """A tiny PNG whose header claims width×height grey pixels, with almost no image data behind it."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(bytes(64)))
        + png_chunk(b"IEND", b"")
    )


def test_a_png_of_dark_ink_on_paper_becomes_a_white_digit_on_black():
    picture = read_digit_image(encoded(black_one_on_white()))

    digit = canvas_to_mnist(picture)

    assert picture.shape == (200, 200, 3)
    assert digit[14, 14] > 0.8 and digit[0, 0] == 0.0


def test_a_jpeg_is_read():
    picture = read_digit_image(encoded(black_one_on_white(), format="JPEG", quality=90))

    assert picture.shape == (200, 200, 3)


def test_a_transparent_png_keeps_its_alpha_channel():
    rgba = np.zeros((64, 64, 4), np.uint8)
    rgba[10:54, 28:36] = 255

    assert read_digit_image(encoded(rgba)).shape == (64, 64, 4)


def test_a_large_photo_is_shrunk_to_the_working_side():
    photo = np.full((1500, 2000, 3), 240, np.uint8)

    picture = read_digit_image(encoded(photo, format="JPEG", quality=50))

    assert max(picture.shape[:2]) <= WORKING_SIDE


def test_an_empty_file_is_refused():
    with pytest.raises(ValueError, match="empty"):
        read_digit_image(b"", name="digit.png")


def test_a_file_over_the_size_limit_is_refused_before_decoding():
    with pytest.raises(ValueError, match="MB"):
        read_digit_image(b"\x89PNG" + bytes(MAX_UPLOAD_BYTES), name="huge.png")


def test_a_file_that_is_not_a_picture_is_refused():
    with pytest.raises(ValueError, match="not a picture"):
        read_digit_image(b"this is a text file, not a digit", name="notes.png")


def test_a_gif_is_refused_by_format():
    gif = encoded(black_one_on_white(), format="GIF")

    with pytest.raises(ValueError, match="GIF file; upload a PNG or JPEG"):
        read_digit_image(gif, name="digit.gif")


def test_a_truncated_png_is_refused_as_damaged():
    whole = encoded(np.random.default_rng(0).integers(0, 255, (300, 300), dtype=np.uint8))

    with pytest.raises(ValueError, match="damaged or cut short"):
        read_digit_image(whole[: len(whole) // 2], name="cut.png")


def test_a_header_claiming_too_many_pixels_is_refused_before_decoding():
    side = int(MAX_PIXELS**0.5) + 100

    with pytest.raises(ValueError, match="megapixels"):
        read_digit_image(png_header_only(side, side), name="bomb.png")


def test_a_decompression_bomb_is_refused():
    with pytest.raises(ValueError, match="too many pixels|megapixels"):
        read_digit_image(png_header_only(40_000, 40_000), name="bomb.png")


def test_a_session_decodes_an_upload_once_per_file_and_keeps_only_the_latest(monkeypatch):
    import cnnviz.data.uploads as uploads
    from cnnviz.ui.draw import UPLOAD_MEMO, decode_upload_once

    decoded = []
    real = uploads.read_digit_image
    monkeypatch.setattr(uploads, "read_digit_image", lambda data, name: decoded.append(name) or real(data, name))
    memo, one, seven = {}, encoded(black_one_on_white()), encoded(255 - black_one_on_white().T)
    for _ in range(5):  # five reruns of the Draw page with the same file on screen
        picture, steps, problem = decode_upload_once(one, "“one.png”", memo)
    assert decoded == ["“one.png”"] and problem is None and steps.final.shape == (28, 28)
    decode_upload_once(seven, "“seven.png”", memo)
    assert decoded == ["“one.png”", "“seven.png”"] and len(memo) == 1 and memo[UPLOAD_MEMO][1] is not picture
    assert decode_upload_once(b"", "“empty.png”", memo)[2].startswith("“empty.png” is empty")
