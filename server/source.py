"""Turning a file's bytes into text and lines the way Python itself does."""

from __future__ import annotations

import ast
import codecs
import io
import re
import threading
import tokenize

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


# CPython 3.11 keeps the depth counter of its AST-object builder in the ``ast``
# module's state, shared by every thread. When garbage collection runs a
# finalizer in the middle of one ``ast.parse`` and another thread parses
# meanwhile, the first raises ``SystemError: AST constructor recursion depth
# mismatch`` (seen in the language server, whose lints run in two threads).
# Every parse in perflint goes through ``parse_ast``, one at a time: the parse
# holds the GIL anyway, so nothing runs slower.
_AST_LOCK = threading.RLock()


def parse_ast(source: str | bytes, filename: str = "<unknown>", mode: str = "exec") -> ast.AST:
    """``ast.parse`` made safe to call from several threads at once (see ``_AST_LOCK``)."""
    with _AST_LOCK:
        try:
            return ast.parse(source, filename=filename, mode=mode)
        except SystemError as error:
            if "recursion depth mismatch" not in str(error):
                raise
            # A parse outside perflint's lock (another library's) raced this one: once more.
            return ast.parse(source, filename=filename, mode=mode)


class DecodeError(Exception):
    """The file's bytes are not text in its declared encoding; the message is for the user."""


def decode(data: bytes) -> str:
    """Decode source bytes per PEP 263 (coding cookie, BOM, default UTF-8)."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as error:
        # detect_encoding's "invalid or missing encoding declaration" mostly means
        # "not UTF-8" (a binary file, a Latin-1 file without a cookie): say where.
        encoding, reason = "utf-8", str(error).split(" (")[0]
        try:
            data.decode(encoding)
        except UnicodeDecodeError as decode_error:
            raise DecodeError(_undecodable(data, encoding, decode_error)) from None
        raise DecodeError(reason) from None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        raise DecodeError(_undecodable(data, encoding, error)) from None
    except LookupError:  # pragma: no cover - detect_encoding already rejects unknown encodings
        raise DecodeError(f"unknown encoding {encoding!r}") from None
    if text.startswith(codecs.BOM_UTF8.decode("utf-8")):
        text = text[1:]
    return text


def _undecodable(data: bytes, encoding: str, error: UnicodeDecodeError) -> str:
    line_start = data.rfind(b"\n", 0, error.start) + 1
    line = data.count(b"\n", 0, error.start) + 1
    return (
        f"cannot decode as {encoding}: invalid byte 0x{data[error.start]:02x}"
        f" on line {line}, byte {error.start - line_start + 1} of that line"
    )


def split_lines(text: str) -> list[str]:
    """Lines with their endings, split only on ``\\n``, ``\\r\\n`` and ``\\r`` as Python does."""
    return _LINE.findall(text)
