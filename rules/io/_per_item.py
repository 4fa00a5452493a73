"""Where a call runs once per item without a loop around it in its own function.

Two shapes, shared by the rules about work repeated per item (PF403, PF409):

- a per-item callback: a ``lambda`` handed to ``map(f, items)``/``filter(f, items)``, as the
  ``key=`` of ``sorted``/``min``/``max``, or to ``.apply``/``.map`` of one pandas column
  (``frame["ip"].apply(f)``, ``frame.col.map(f)`` on a known data frame) runs once per item;
- a per-item helper: a function of the module that ``repetition`` knows is called from a
  ``for`` loop or a comprehension (``LOOP``, also through ``map(helper, items)``,
  ``sorted(key=helper)``, a column's ``.map(helper)``; called there directly). Handlers and
  ``while`` loops do not count: a route makes one request per request, a retry loop repeats
  on purpose.

A rule calls ``note(call)`` from its ``visit_Call`` for every call (the callback is visited
after the call that receives it), then ``callback_items()`` / ``per_item_helper()`` where it
finds its costly call.
"""

from __future__ import annotations

from typing import Optional

import libcst as cst
from perflint.analysis import literal_elements
from perflint.repetition import LOOP

CALLBACK_FUNCTIONS = frozenset({"builtins.map", "builtins.filter"})
KEY_FUNCTIONS = frozenset({"builtins.sorted", "builtins.min", "builtins.max"})
COLUMN_METHODS = frozenset({"apply", "map"})
FRAME_KINDS = frozenset({"dataframe", "series"})


class PerItem:
    """Remembers the lambdas of a file that run once per item."""

    def __init__(self, context) -> None:
        self.context = context
        self._callbacks: dict[int, cst.Lambda] = {}

    def note(self, call: cst.Call) -> None:
        """Record ``call``'s lambda argument when ``call`` runs it once per item."""
        lam = self._callback(call)
        if lam is not None:
            self._callbacks[id(lam)] = lam

    def callback_items(self) -> Optional[set[str]]:
        """The parameters of the lambda being visited when it is a per-item callback, else None."""
        scope = self.context.scope
        if scope.kind != "lambda" or id(scope.node) not in self._callbacks:
            return None
        params = scope.node.params
        return {p.name.value for p in (*params.posonly_params, *params.params)}

    def per_item_helper(self) -> Optional[str]:
        """Why the current function runs once per item (a loop of the module calls it directly),
        else None. Deeper chains are left alone: the further the loop, the likelier it walks a
        few command-line arguments or settings rather than data."""
        context = self.context
        if context.scope.kind != "function":
            return None
        repeat = context.repeat_of()
        return repeat.why if repeat is not None and repeat.kind == LOOP and repeat.hops == 0 else None

    def _callback(self, call: cst.Call) -> Optional[cst.Lambda]:
        context = self.context
        func = call.func
        if isinstance(func, cst.Name):
            qualified = context.call_name(call)
            if qualified in CALLBACK_FUNCTIONS and len(call.args) >= 2 and call.args[0].keyword is None:
                if all(self._few(arg.value) for arg in call.args[1:]):
                    return None
                return call.args[0].value if isinstance(call.args[0].value, cst.Lambda) else None
            if qualified in KEY_FUNCTIONS and call.args and call.args[0].keyword is None:
                key = next((a.value for a in call.args if a.keyword is not None and a.keyword.value == "key"), None)
                if isinstance(key, cst.Lambda) and not self._few(call.args[0].value):
                    return key
            return None
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value in COLUMN_METHODS
            and call.args
            and call.args[0].keyword is None
            and isinstance(call.args[0].value, cst.Lambda)
            and self._column(func.value)
        ):
            return call.args[0].value
        return None

    def _column(self, receiver: cst.BaseExpression) -> bool:
        """One column of a data frame: ``frame["col"]`` (a string key) or ``frame.col`` on a
        value the inference layer knows is a data frame, or a value it knows is a series."""
        context = self.context
        if context.kind_of(receiver).kind == "series":
            return True
        if isinstance(receiver, cst.Subscript) and len(receiver.slice) == 1:
            index = receiver.slice[0].slice
            if isinstance(index, cst.Index) and isinstance(index.value, cst.SimpleString):
                return context.kind_of(receiver.value).kind in FRAME_KINDS
        if isinstance(receiver, cst.Attribute):
            return context.kind_of(receiver.value).kind == "dataframe"
        return False

    def _few(self, iterable: cst.BaseExpression) -> bool:
        """A literal display or a module constant bound to one: a few items written in the source."""
        if literal_elements(iterable) is not None:
            return True
        return isinstance(iterable, cst.Name) and iterable.value in self.context.facts.bounded_names

