"""Turning a file's bytes into text and lines the way Python itself does."""

from __future__ import annotations

import codecs
import io
import re
import tokenize

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


class DecodeError(Exception):
    """The file's bytes are not text in its declared encoding; the message is for the user."""


def decode(data: bytes) -> str:
    """Decode source bytes per PEP 263 (coding cookie, BOM, default UTF-8)."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as error:
        raise DecodeError(str(error).split(" (")[0]) from None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        raise DecodeError(
            f"cannot decode as {encoding}: invalid byte 0x{data[error.start]:02x} at offset {error.start}"
        ) from None
    except LookupError:  # pragma: no cover - detect_encoding already rejects unknown encodings
        raise DecodeError(f"unknown encoding {encoding!r}") from None
    if text.startswith(codecs.BOM_UTF8.decode("utf-8")):
        text = text[1:]
    return text


def split_lines(text: str) -> list[str]:
    """Lines with their endings, split only on ``\\n``, ``\\r\\n`` and ``\\r`` as Python does."""
    return _LINE.findall(text)
