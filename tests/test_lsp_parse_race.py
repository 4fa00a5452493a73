"""``ast.parse`` from several threads while garbage collection runs finalizers.

CPython 3.11 counts the depth of its AST-object builder in state shared by all
threads; a finalizer that lets another thread parse in the middle of a parse
made the first one raise ``SystemError: AST constructor recursion depth
mismatch`` (about once in 60 opens in the language server, whose lints run in
two threads). ``perflint.source.parse_ast`` serializes parsing.
"""

from __future__ import annotations

import ast
import gc
import sys
import threading
import time

from perflint.source import parse_ast

SOURCE = open(ast.__file__.replace("ast.py", "typing.py"), encoding="utf-8").read()
RUN_S = 2.5


class _Finalized:
    def __del__(self) -> None:
        time.sleep(0)  # give the GIL away in the middle of whatever triggered the collection


def test_parse_ast_survives_threads_and_finalizers():
    errors: list[BaseException] = []
    parses = [0]
    deadline = time.monotonic() + RUN_S

    def work() -> None:
        while time.monotonic() < deadline:
            junk = [_Finalized() for _ in range(200)]
            for item in junk:
                item.cycle = item  # only the cyclic collector frees these: it runs mid-parse
            del junk
            try:
                tree = parse_ast(SOURCE)
            except SystemError as error:
                errors.append(error)
                continue
            assert isinstance(tree, ast.Module)
            parses[0] += 1

    interval = sys.getswitchinterval()
    sys.setswitchinterval(0.0001)
    try:
        threads = [threading.Thread(target=work) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
        gc.collect()
    assert errors == []
    assert parses[0] >= 8


def test_parse_ast_raises_what_ast_parse_raises():
    try:
        parse_ast("def f(:\n")
    except SyntaxError as error:
        assert error.lineno == 1
    else:
        raise AssertionError("a syntax error was not raised")
    assert isinstance(parse_ast("x + 1", mode="eval"), ast.Expression)
