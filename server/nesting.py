"""How deeply libcst would nest a piece of code, estimated cheaply from its ``ast``.

libcst's parse time grows much faster than linearly with expression depth
(measured with libcst 1.9 on this project's machines: a chain of 3,000
attribute accesses ``a.b.b…`` takes 12 s, 6,000 chained calls ``f()()…`` 43 s),
its visitors recurse several frames per level, and past roughly 6,000–8,000
levels its native parser crashes the whole process with a segmentation fault.
CPython's ``ast`` parses the same code in milliseconds, so the engine measures
the depth on the ``ast`` first and does not hand libcst a block deeper than
``MAX_CST_DEPTH``.

The estimate follows libcst's shapes where they differ from ``ast``:
``a and b and c`` is one ``ast.BoolOp`` but a chain of nested
``BooleanOperation`` nodes in libcst. Implicitly concatenated strings are one
``ast.Constant`` and cannot be seen here; libcst rejects long runs of them
quickly (a parse error, not a hang), which the engine already reports.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable

# Deeper blocks are reported as PF000 instead of parsed. At this depth libcst
# still parses in about a second and its visitors stay far from the
# recursion limit; real code rarely nests more than a few dozen levels.
MAX_CST_DEPTH = 1000


def deeper_than(nodes: Iterable[ast.AST], limit: int = MAX_CST_DEPTH) -> bool:
    """True when some node under ``nodes`` sits more than ``limit`` levels deep.

    Iterative (a recursive walk would itself hit the recursion limit on the
    very inputs it guards against) and stops at the first node past the limit.
    """
    stack = [(node, 1) for node in nodes]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, ast.BoolOp):
            depth += len(node.values) - 2
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return False
