"""PF118 row-wise-frame-loop."""

from __future__ import annotations

import ast

import libcst as cst
from perflint.analysis import iter_nodes, names_used
from perflint.context import names_in_target
from perflint.model import Level
from perflint.rule import Benchmark, Invalid, Rule, Valid

from ._sequences import SkipsTests

# Calls that column arithmetic may contain: each has a vectorised counterpart.
_ELEMENTWISE = frozenset(
    "builtins." + name for name in ("abs", "round", "min", "max", "float", "int", "bool")
)
_ELEMENTWISE_MODULES = ("math.", "numpy.")
_COLLECTORS = frozenset({"append"})
_FRAME_SETTERS = frozenset({"at", "loc", "iat", "iloc"})


class RowWiseFrameLoop(SkipsTests, Rule):
    """
    ## What it does
    Flags a pandas frame processed row by row where a column expression
    would do: `for _, row in df.iterrows()` / `for row in df.itertuples()`
    whose body only does arithmetic and comparisons on the row's fields and
    collects the result (`out.append(row["a"] * row["b"])`,
    `df.at[i, "c"] = ...`, `if row.qty > 0: flagged.append(row.Index)`,
    a per-key accumulator keyed by a field of the row, which is a `groupby`:
    `totals[row.k] = totals.get(row.k, 0) + row.x`,
    `groups.setdefault(row["k"], []).append(row["a"] * 2)`, or a loop body
    that is one `yield` of such values), and
    `df.apply(lambda r: r["a"] + r["b"], axis=1)` whose lambda (or one-line
    function, at module level or nested in the caller) is column
    arithmetic. A polars frame's `for row in frame.iter_rows(named=True)` is
    read the same way (the receiver known to hold a frame, or the `named=`
    keyword: openpyxl's `ws.iter_rows()` is not a frame).

    ## Why is this slow?
    Each row becomes a Python object (`iterrows` builds a whole Series per
    row) and every operation runs in the interpreter; a column expression
    runs the same arithmetic in compiled code over whole arrays. The rule's
    benchmark (`benchmarks/rule_speedups.py`: `timeit`, best of 5, CPython 3.11.7 on this project's shared 2-core machine, 2026-12-07), 100,000 rows: flagging outliers with `itertuples` took
    78 ms, with a boolean mask 4.9 ms (16x). By hand (pandas 3.0, numpy
    2.4, best of 3) on 100,000 rows: `iterrows` + `append` 2.4 s,
    `itertuples` 97 ms, `apply(..., axis=1)` 0.88 s, the column expression
    `(df["price"] - df["cost"]) / df["price"]` 0.15 ms (`.tolist()` of it
    1.1 ms): 90x to over 1,000x faster.

    ## Example
    ```python
    df["margin"] = df.apply(lambda r: (r["price"] - r["cost"]) / r["price"], axis=1)
    gross = []
    for _, row in df.iterrows():
        gross.append(row["net"] * (1 + vat) - row["discount"])
    ```

    ## Use instead
    ```python
    df["margin"] = (df["price"] - df["cost"]) / df["price"]
    gross = (df["net"] * (1 + vat) - df["discount"]).tolist()
    ```

    ## Fix safety
    No fix: conditions become masks or `np.where`, and the result's type
    (list, Series, column) depends on how it is used.

    ## Known false positives
    Small frames cost little either way. Not flagged: a loop or lambda that
    calls anything but `abs`/`round`/`min`/`max`/`float`/`int`/`bool`, `math`
    and numpy functions, a collecting `append` and frame setters (a parser,
    `json.loads`, a regex, an HTTP request, a method of the row), loops with
    `await`, `yield` (unless one `yield` is the whole body), `return`,
    `break`, nested loops or a `with`. The nested-helper and `yield` forms
    (2026-12-07) add no finding on the standard library or 12 PyPI projects
    (seaborn, pvlib, pyjanitor, mlxtend and yfinance among them).
    Test modules are not linted by this rule.
    Precision (judged 2026-12-07): no finding on the data projects seaborn
    0.13.2, mlxtend 0.23.4, pyjanitor 0.31.0, yfinance 0.2.50, pvlib 0.11.2
    and apache-superset 4.1.1, whose seven `iterrows`/`itertuples`/
    `apply(axis=1)` sites all call something per row (plotting, a
    normalising method, a join function): correctly silent. Precision
    unmeasured on real code; narrow by construction (only arithmetic on the
    row's fields, no other calls).
    """

    code = "PF118"
    name = "row-wise-frame-loop"
    level = Level.ALGORITHM
    message = "the frame is processed row by row in Python; compute the column with one vectorised expression"
    weight = 3.0
    triggers = ("iterrows", "itertuples", "iter_rows", "axis")
    needs = ("iterrows()", "itertuples()", "iter_rows()", "apply()")
    benchmark = Benchmark(
        setup=(
            "import numpy as np\nimport pandas as pd\nn = 100_000\n"
            "df = pd.DataFrame({'qty': np.arange(n) % 5, 'price': np.arange(n, dtype=float)})"
        ),
        slow="flagged = []\nfor row in df.itertuples():\n    if row.qty > 0 and row.price / row.qty > 1000:\n        flagged.append(row.Index)",
        fast="flagged = df.index[(df['qty'] > 0) & (df['price'] / df['qty'].where(df['qty'] > 0) > 1000)].tolist()",
        size="100,000 rows",
    )

    valid = [
        # openpyxl's worksheet rows: no frame, no column expression to use instead.
        Valid(
            """
            def totals(ws):
                out = []
                for row in ws.iter_rows(min_row=2, values_only=True):
                    out.append(row[1] * row[2])
                return out
            """
        ),
        # A nested helper that calls a parser; a generator that yields the row itself or
        # does more than yield.
        Valid(
            """
            def parsed(df):
                def agent(row):
                    return parse(row["ua"]) + row["suffix"]

                df["agent"] = df.apply(agent, axis=1)

            def rows(df, out):
                for _, row in df.iterrows():
                    yield row
                for _, row in df.iterrows():
                    out.append(row["a"])
                    yield row["a"] + 1
            """
        ),
        # A module function that calls a parser: not column arithmetic.
        Valid(
            """
            from .fx import convert

            def to_eur(row):
                return convert(row["price"], row["currency"])

            def add_eur(df):
                df["eur"] = df.apply(to_eur, axis=1)
                return df
            """
        ),
        # Grouping the rows' values with no arithmetic: nothing to vectorise.
        Valid(
            """
            def names_by_region(df):
                groups = {}
                for _, r in df.iterrows():
                    groups.setdefault(r["region"], []).append(r["name"])
                return groups
            """
        ),
        # A parser per row: nothing to vectorise.
        Valid(
            """
            def add_region(df):
                df["region"] = df.apply(lambda r: parse_postcode(r["postcode"], r["country"]).region, axis=1)
                return df
            """
        ),
        # One request per row: I/O, not arithmetic.
        Valid(
            """
            import requests
            def push(df):
                for _, row in df.iterrows():
                    requests.post("https://example.com", json={"id": row["id"], "total": row["a"] * 2})
            """
        ),
        # apply along columns (the default axis).
        Valid(
            """
            def f(df):
                return df.apply(lambda col: col.max() - col.min())
            """
        ),
        # Row-wise but only copying fields: no arithmetic.
        Valid(
            """
            def f(df):
                out = []
                for row in df.itertuples():
                    out.append(row.name)
                return out
            """
        ),
        # json.loads per row.
        Valid(
            """
            import json
            def f(df):
                out = []
                for _, row in df.iterrows():
                    out.append(json.loads(row["payload"])["n"] + 1)
                return out
            """
        ),
    ]
    invalid = [
        # A one-line helper nested in the caller, and a generator of computed values.
        Invalid(
            """
            def retention(df):
                def ratio(row):
                    return row["active"] / row["size"] if row["size"] else 0.0

                df["retention"] = df.apply(ratio, axis=1)
                return df

            def churn(df):
                for _, row in df.iterrows():
                    yield row["cohort"], row["size"] - row["active"]
            """
        ),
        # A one-line module function of column arithmetic.
        Invalid(
            """
            def margin(row):
                return (row["price"] - row["cost"]) / row["price"]

            def add_margin(df):
                df["margin"] = df.apply(margin, axis=1)
                return df
            """
        ),
        # A per-key accumulator keyed by a field of the row: `groupby`.
        Invalid(
            """
            def completion(df):
                done = {}
                for _, r in df.iterrows():
                    done.setdefault(r["region"], []).append(int(r["answered"] == r["questions"]))
                return done
            """
        ),
        # A per-key total with `dict.get`.
        Invalid(
            """
            def revenue(df):
                totals = {}
                for row in df.itertuples():
                    totals[row.region] = totals.get(row.region, 0) + row.price * row.qty
                return totals
            """
        ),
        Invalid(
            """
            def add_gross(df, vat):
                gross = []
                for _, row in df.iterrows():
                    gross.append(row["net"] * (1 + vat) - row["discount"])
                df["gross"] = gross
                return df
            """
        ),
        Invalid(
            """
            def add_margin(df):
                df["margin"] = df.apply(lambda r: (r["price"] - r["cost"]) / r["price"], axis=1)
                return df
            """
        ),
        Invalid(
            """
            def flag_outliers(df):
                flagged = []
                for row in df.itertuples():
                    if row.qty > 0 and row.price / row.qty > 1000:
                        flagged.append(row.Index)
                return flagged
            """
        ),
        Invalid(
            """
            import polars as pl
            def spend_flags(frame: pl.DataFrame, threshold):
                flags = []
                for row in frame.iter_rows(named=True):
                    flags.append(row["spend"] * row["margin"] > threshold)
                return flags
            """
        ),
        Invalid(
            """
            def total(df):
                for i, row in df.iterrows():
                    df.at[i, "total"] = round(row["qty"] * row["price"], 2)
            """
        ),
    ]

    def visit_For(self, node: cst.For) -> None:
        iterable = self._unwrap_progress(node.iter)
        if not (
            isinstance(iterable, cst.Call)
            and isinstance(iterable.func, cst.Attribute)
            and iterable.func.attr.value in ("iterrows", "itertuples", "iter_rows")
            and node.asynchronous is None
            and node.orelse is None
        ):
            return
        if iterable.func.attr.value == "iter_rows" and not self._polars_rows(iterable):
            return
        target = node.target
        if isinstance(target, cst.Tuple) and iterable.func.attr.value == "iterrows":
            elements = target.elements
            if len(elements) != 2 or not isinstance(elements[1].value, cst.Name):
                return
            row = elements[1].value.value
        elif isinstance(target, cst.Name):
            row = target.value
        else:
            return
        if self._arithmetic_body(node.body, row, names_in_target(target)):
            self.report(iterable, f"`{iterable.func.attr.value}()` computes row by row in Python; "
                        "compute the column with one vectorised expression")

    def _polars_rows(self, call: cst.Call) -> bool:
        """``frame.iter_rows(...)`` of a polars frame: the receiver is known to hold a frame, or
        the call passes polars' ``named=`` (openpyxl's ``ws.iter_rows()`` has no column
        expression to offer and takes no ``named``)."""
        if any(arg.keyword is not None and arg.keyword.value == "named" for arg in call.args):
            return True
        return self.context.kind_of(call.func.value).kind == "dataframe"  # type: ignore[attr-defined]

    def _unwrap_progress(self, iterable: cst.BaseExpression) -> cst.BaseExpression:
        """``tqdm(df.iterrows(), total=len(df))`` (or ``rich.progress.track(...)``): a progress
        bar yields the rows it is given, one by one."""
        if isinstance(iterable, cst.Call) and iterable.args and iterable.args[0].keyword is None and not iterable.args[0].star:
            if self.context.call_name(iterable) in _PROGRESS_WRAPPERS:
                return iterable.args[0].value
        return iterable

    def visit_Call(self, node: cst.Call) -> None:
        if not (isinstance(node.func, cst.Attribute) and node.func.attr.value == "apply"):
            return
        positional = [arg for arg in node.args if arg.keyword is None]
        axis = [arg for arg in node.args if arg.keyword is not None and arg.keyword.value == "axis"]
        if len(positional) != 1 or len(axis) != 1 or len(node.args) != 2:
            return
        axis_value = axis[0].value
        if not (
            (isinstance(axis_value, cst.Integer) and axis_value.value == "1")
            or (isinstance(axis_value, cst.SimpleString) and axis_value.evaluated_value == "columns")
        ):
            return
        function = positional[0].value
        if isinstance(function, cst.Name):
            one_line = self._one_line_function(function.value)
            if one_line is None:
                return
            row, body = one_line
        elif isinstance(function, cst.Lambda) and len(function.params.params) == 1:
            row, body = function.params.params[0].name.value, function.body
        else:
            return
        if self._arithmetic(body, row) and self._calls_allowed(body):
            self.report(node, "`apply(..., axis=1)` calls a Python function per row; "
                        "write it as one vectorised column expression")

    def _one_line_function(self, name: str) -> "tuple[str, cst.BaseExpression] | None":
        """``df.apply(margin, axis=1)`` with ``def margin(row): return (row["p"] - row["c"]) / row["p"]``
        at module level (undecorated, one plain parameter, one ``return``): its parameter and
        the returned expression, as the lambda form gives them."""
        scopes = self.context.facts.inference.scopes
        if self.context.is_local(name):
            # a helper defined in the current function: ``def ratio(row): return ...``
            outer = self.context.scope_qualname
            scope = scopes.get(f"{outer}.{name}") if outer else None
            node = scope.node if scope is not None and scope.parent == outer and scope.owner is None else None
        elif self.context.qualified_name(cst.Name(name)) is not None:
            return None
        else:
            scope = scopes.get(name)
            node = scope.node if scope is not None and scope.parent == "" and scope.owner is None else None
        if not isinstance(node, ast.FunctionDef) or node.decorator_list:
            return None
        arguments = node.args
        if arguments.posonlyargs or arguments.vararg or arguments.kwonlyargs or arguments.kwarg or arguments.defaults:
            return None
        if len(arguments.args) != 1:
            return None
        body = list(node.body)
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
            body = body[1:]  # a docstring
        if len(body) != 1 or not isinstance(body[0], ast.Return) or body[0].value is None:
            return None
        try:
            returned = cst.parse_expression(ast.unparse(body[0].value))
        except Exception:  # noqa: BLE001 - an expression ast cannot give back: not a candidate
            return None
        return arguments.args[0].arg, returned

    # --- what counts as column arithmetic ---------------------------------------

    def _arithmetic_body(self, body: cst.BaseSuite, row: str, targets: set[str]) -> bool:
        saw_arithmetic = False
        for sub in iter_nodes(body):
            if isinstance(sub, cst.Yield) and _yields_row_values(body, sub):
                continue  # ``yield row["k"], row["a"] - row["b"]``: a generator of one column
            if isinstance(sub, (cst.For, cst.While, cst.With, cst.Return, cst.Break, cst.Yield, cst.Await,
                                cst.Try, cst.FunctionDef, cst.ClassDef, cst.Lambda, cst.Raise, cst.Del,
                                cst.Global, cst.Nonlocal, cst.Import, cst.ImportFrom)):
                return False
            if isinstance(sub, (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)):
                return False
            if isinstance(sub, cst.Call) and not self._allowed_call(sub, row):
                return False
            if isinstance(sub, (cst.BinaryOperation, cst.Comparison, cst.AugAssign)) and row in names_used(sub):
                saw_arithmetic = True
        return saw_arithmetic

    def _allowed_call(self, call: cst.Call, row: str) -> bool:
        func = call.func
        if isinstance(func, cst.Attribute) and func.attr.value in _COLLECTORS and len(call.args) == 1:
            if isinstance(func.value, cst.Name):
                return func.value.value != row
            return isinstance(func.value, cst.Call) and _group_lookup(func.value, row, "setdefault")
        if _group_lookup(call, row, "setdefault") or _group_lookup(call, row, "get"):
            return True  # totals[row["region"]] = totals.get(row["region"], 0) + row["x"]: a groupby
        name = self.context.call_name(call)
        return name is not None and (name in _ELEMENTWISE or name.startswith(_ELEMENTWISE_MODULES))

    def _calls_allowed(self, expr: cst.BaseExpression) -> bool:
        for sub in iter_nodes(expr):
            if isinstance(sub, (cst.Lambda, cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp, cst.Await)):
                return False
            if isinstance(sub, cst.Call):
                name = self.context.call_name(sub)
                if name is None or not (name in _ELEMENTWISE or name.startswith(_ELEMENTWISE_MODULES)):
                    return False
        return True

    def _arithmetic(self, expr: cst.BaseExpression, row: str) -> bool:
        """Arithmetic or comparisons over the row's fields."""
        return any(
            isinstance(sub, (cst.BinaryOperation, cst.Comparison)) and row in names_used(sub)
            for sub in iter_nodes(expr)
        )




_PROGRESS_WRAPPERS = frozenset({
    "tqdm.tqdm", "tqdm.auto.tqdm", "tqdm.notebook.tqdm", "tqdm.std.tqdm", "tqdm.autonotebook.tqdm",
    "rich.progress.track",
})


def _yields_row_values(body: cst.BaseSuite, node: cst.Yield) -> bool:
    """The loop body is the one statement ``yield <value>`` (not ``yield from``)."""
    if not isinstance(node.value, cst.BaseExpression) or not isinstance(body, cst.IndentedBlock):
        return False
    if len(body.body) != 1 or not isinstance(body.body[0], cst.SimpleStatementLine):
        return False
    line = body.body[0]
    return len(line.body) == 1 and isinstance(line.body[0], cst.Expr) and line.body[0].value is node


def _group_lookup(call: cst.Call, row: str, method: str) -> bool:
    """``groups.setdefault(row["k"], [])`` / ``totals.get(row.k, 0)``: a per-key accumulator
    (not the row) keyed by a field of the row, starting from an empty literal or a number:
    what ``df.groupby("k")`` computes in one pass."""
    func = call.func
    if not (isinstance(func, cst.Attribute) and func.attr.value == method and isinstance(func.value, cst.Name)):
        return False
    if func.value.value == row or len(call.args) != 2 or any(arg.keyword or arg.star for arg in call.args):
        return False
    key, start = call.args[0].value, call.args[1].value
    if not (isinstance(key, (cst.Subscript, cst.Attribute)) and row in names_used(key)):
        return False
    if isinstance(start, (cst.List, cst.Dict)) and not start.elements:
        return True
    return isinstance(start, (cst.Integer, cst.Float))
