"""Is this expression a file object? Shared by the I/O rules that rewrite file loops.

Only what the code proves counts: a call to a known file factory (also
``path.open()`` on a provable ``pathlib.Path``), a name whose every binding
in the function is one, or ``sys.stdin``. Anything else
(a parameter, an attribute, a custom reader with ``read``/``readlines``
methods) is unknown, and the rules stay silent or offer no fix.
"""

from __future__ import annotations

from typing import Optional

import libcst as cst
from perflint.analysis import ScopeIndex
from perflint.rules.io._sync_io import is_path

# Calls that return an iterable, line-oriented file object.
FILE_FACTORIES = {
    "builtins.open", "io.open", "codecs.open", "gzip.open", "bz2.open", "lzma.open", "os.fdopen",
    "io.StringIO", "io.BytesIO", "tempfile.TemporaryFile", "tempfile.NamedTemporaryFile",
    "tempfile.SpooledTemporaryFile",
}
STANDARD_STREAMS = {"sys.stdin"}


def file_factory_call(context, index: Optional[ScopeIndex], expr: cst.BaseExpression) -> Optional[cst.Call]:
    """The factory call that made ``expr`` (``open(...)`` directly, or through
    ``with open(...) as f`` / ``f = open(...)``, the only bindings of ``f`` in
    the function); None when unknown. ``sys.stdin`` gives None too: use
    ``is_file_object`` to accept it."""
    if isinstance(expr, cst.Call):
        return expr if _is_factory(context, expr) else None
    if not isinstance(expr, cst.Name) or index is None:
        return None
    name = expr.value
    if not index.is_plain_local(name) or name in index.closure_names:
        return None
    found: Optional[cst.Call] = None
    for binding in index.bindings[name]:
        if binding.kind == "assign":
            value = binding.value
        elif binding.kind == "with":
            value = binding.node.item
        else:
            return None
        if not (isinstance(value, cst.Call) and _is_factory(context, value)):
            return None
        found = value
    return found


def _is_factory(context, call: cst.Call) -> bool:
    """``open(...)`` and friends, or ``path.open(...)`` on a provable ``pathlib.Path``."""
    if context.call_name(call) in FILE_FACTORIES:
        return True
    func = call.func
    if not (isinstance(func, cst.Attribute) and func.attr.value == "open"):
        return False
    return is_path(context, func.value)


def is_file_object(context, index: Optional[ScopeIndex], expr: cst.BaseExpression) -> bool:
    return context.qualified_name(expr) in STANDARD_STREAMS or file_factory_call(context, index, expr) is not None


def open_mode(context, call: cst.Call) -> Optional[str]:
    """The literal mode of an ``open``-style call ("r" when omitted); None when not literal."""
    if context.call_name(call) not in ("builtins.open", "io.open", "codecs.open"):
        return None
    mode = "r"
    for position, arg in enumerate(call.args):
        if arg.star:
            return None
        if (arg.keyword is None and position == 1) or (arg.keyword and arg.keyword.value == "mode"):
            if not isinstance(arg.value, cst.SimpleString):
                return None
            mode = str(arg.value.evaluated_value)
    return mode
