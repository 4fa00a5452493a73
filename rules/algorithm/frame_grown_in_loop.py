"""PF117 frame-grown-in-loop."""

from __future__ import annotations

import libcst as cst
from perflint.analysis import ScopeAware, ScopeIndex, code_of, dotted_name, iter_nodes
from perflint.model import Level
from perflint.rule import Benchmark, Invalid, Rule, Valid

from ._accumulators import attribute_grown_in_loop, attribute_target, grown_branch, grown_in_loop, same_ref, sequence_holds
from ._sequences import SkipsTests, rebound_in_loop, repeats

# pandas names whose result is a DataFrame or Series: the evidence that a name holds a
# frame (besides what the inference layer knows: annotations, returns of the module's
# functions). A file that imports nothing from pandas is not linted by this rule.
_FRAME_MAKERS = frozenset(
    "pandas." + name
    for name in (
        "DataFrame", "Series", "concat", "read_csv", "read_excel", "read_json", "read_parquet",
        "read_sql", "read_sql_query", "read_table", "merge",
    )
)
# ``pl.concat([frame, chunk])`` copies both frames into a new one just the same.
_CONCATS = {"pandas.concat": "`pd.concat([...])`", "polars.concat": "`pl.concat([...])`"}
_LIBRARIES = ("pandas", "polars")


class FrameGrownInLoop(SkipsTests, ScopeAware, Rule):
    """
    ## What it does
    Flags a pandas DataFrame (or Series) grown by one piece per loop
    iteration: `df = pd.concat([df, new])`, `df = df.append(row)` and
    `df.loc[len(df)] = row`, where `df` is carried from one iteration to the
    next. For `append` and `.loc[len(df)]` the name must be shown to hold a
    frame: bound by a pandas call (`pd.DataFrame(...)`, `pd.read_csv(...)`,
    `pd.concat(...)`) or annotated `pd.DataFrame`, or known to the inference
    layer (a function of the module annotated to return a frame). Attributes
    grow the same way (`self.frame = pd.concat([self.frame, part])`), and so
    does one branch of a conditional expression
    (`df = part if df is None else pd.concat([df, part])`). A polars frame
    grown with `pl.concat([frame, chunk])` is reported the same way.
    Names resolve through imports (`import pandas as pd`, `from pandas
    import concat`).

    ## Why is this slow?
    `pd.concat` and `DataFrame.append` build a new frame and copy every row
    accumulated so far; `.loc[len(df)] = row` enlarges the frame in place,
    which also reallocates its columns. `n` iterations cost O(n²) copies plus
    pandas' per-call overhead. Collecting the rows (dicts, lists or frames) in
    a list and building one frame after the loop (`pd.DataFrame(rows)`,
    `pd.concat(frames)`) copies each row once. Measured (`benchmarks/rule_speedups.py`: `timeit`, best of 5, CPython 3.11.7 on this project's shared 2-core machine, 2026-12-07) with pandas
    3.0: adding 2,000 rows with `df.loc[len(df)] = row` took 1.85 s, with a
    list of rows and one `pd.DataFrame(rows)` 2.1 ms (891x faster).

    ## Example
    ```python
    frame = pd.DataFrame(columns=["id", "units"])
    for rec in records:
        frame.loc[len(frame)] = [rec["id"], rec["units"]]
    ```

    ## Use instead
    ```python
    frame = pd.DataFrame([[rec["id"], rec["units"]] for rec in records], columns=["id", "units"])
    ```

    ## Fix safety
    No fix: dtypes, the index and the empty case of the single construction
    depend on the code.

    ## Known false positives
    Loops with a handful of iterations cost little. Not flagged: one
    `pd.concat` after the loop, a concat of a list built in the loop, a frame
    reset on every iteration, `.loc[label] = ...` with any other key, lists'
    own `append`, names not shown to hold a frame (by a pandas call in the
    function, a pandas annotation, or the inference layer: a function of
    the module annotated to return a frame), files that import nothing from
    pandas, test modules. `self.table.loc[len(self.table)] = row` counts
    when the class keeps a frame there (the inference layer) and the loop
    does not assign the attribute (a fresh frame per iteration); this form
    (2026-12-07) adds no finding on the standard library or 12 PyPI projects.
    Precision (judged 2026-12-07): 3 of 3 on the data projects seaborn
    0.13.2, mlxtend 0.23.4, pyjanitor 0.31.0, yfinance 0.2.50, pvlib 0.11.2
    and apache-superset 4.1.1 (yfinance concatenates a one-row frame onto
    the whole price history for every out-of-range event; superset adds
    one compared column per `pd.concat(..., axis=1)`, which copies the
    frame once per column). Too few findings to measure precision well.
    """

    code = "PF117"
    name = "frame-grown-in-loop"
    level = Level.ALGORITHM
    message = "the frame is copied on every iteration (O(n²)); collect the rows in a list and build one frame after the loop"
    weight = 3.5
    loop_only = True
    needs = ("x=f(x)", "loc-len")
    benchmark = Benchmark(
        setup=(
            "import pandas as pd\n"
            "records = [{'id': i, 'region': 'eu', 'units': i % 7, 'price': i * 0.5} for i in range(2000)]"
        ),
        slow=(
            "frame = pd.DataFrame(columns=['id', 'region', 'units', 'price'])\n"
            "for r in records:\n    frame.loc[len(frame)] = [r['id'], r['region'], r['units'], r['price']]"
        ),
        fast=(
            "frame = pd.DataFrame([[r['id'], r['region'], r['units'], r['price']] for r in records],"
            " columns=['id', 'region', 'units', 'price'])"
        ),
        size="2,000 rows of 4 columns",
    )

    valid = [
        # A fresh frame in the attribute for every outer item; and an attribute that is
        # not known to hold a frame.
        Valid(
            """
            import pandas as pd
            class Cohorts:
                def build(self, groups, rows):
                    for g in groups:
                        self.table = pd.DataFrame(columns=["k"])
                        for r in rows:
                            self.table.loc[len(self.table)] = [r]
                    for r in rows:
                        self.other.loc[len(self.other)] = [r]
            """
        ),
        # An attribute reset on every iteration.
        Valid(
            """
            import pandas as pd
            class Loader:
                def load(self, groups):
                    for g in groups:
                        self.frame = pd.DataFrame()
                        self.frame = pd.concat([self.frame, g])
                        print(self.frame)
            """
        ),
        # One concat of the collected parts.
        Valid(
            """
            import pandas as pd
            def f(paths):
                parts = [pd.read_csv(p) for p in paths]
                return pd.concat(parts, ignore_index=True)
            """
        ),
        # polars: the chunks are read first and concatenated once.
        Valid(
            """
            import polars as pl
            def load(paths):
                chunks = [pl.read_parquet(p) for p in paths]
                return pl.concat(chunks, how="diagonal")
            """
        ),
        # The parts are collected in the loop, concatenated after it.
        Valid(
            """
            import pandas as pd
            def f(paths):
                parts = []
                for p in paths:
                    parts.append(pd.read_csv(p))
                return pd.concat(parts)
            """
        ),
        # A list, not a frame.
        Valid(
            """
            import pandas as pd
            def f(rows):
                out = []
                for r in rows:
                    out = out + [r]
                    out.append(r)
                return pd.DataFrame(out)
            """
        ),
        # A frame built per iteration.
        Valid(
            """
            import pandas as pd
            def f(groups):
                for g in groups:
                    df = pd.DataFrame(g)
                    df = pd.concat([df, df.tail(1)])
                    print(df)
            """
        ),
        # `.loc` with a label, not the end of the frame.
        Valid(
            """
            import pandas as pd
            def f(updates):
                df = pd.read_csv("x.csv")
                for key, row in updates:
                    df.loc[key] = row
                return df
            """
        ),
        # Not shown to be a frame.
        Valid(
            """
            import pandas as pd
            def f(log, rows):
                for r in rows:
                    log = log.append(r)
                return log
            """
        ),
    ]
    invalid = [
        Invalid(
            """
            import polars as pl
            def load(paths):
                frame = pl.DataFrame()
                for p in paths:
                    frame = pl.concat([frame, pl.read_parquet(p)], how="diagonal")
                return frame
            """
        ),
        # Rebuilt in one branch of a conditional expression.
        Invalid(
            """
            import pandas as pd

            def summary(days):
                out = None
                for day in days:
                    row = day.mean().to_frame().T
                    out = row if out is None else pd.concat([out, row])
                return out
            """
        ),
        # A frame the class keeps, enlarged one row per item.
        Invalid(
            """
            import pandas as pd
            class Cohorts:
                def __init__(self):
                    self.table = pd.DataFrame(columns=["cohort", "active"])

                def build(self, cohorts, source):
                    for c in cohorts:
                        self.table.loc[len(self.table)] = [c, source.active(c)]
            """
        ),
        # An attribute accumulator: carried across iterations like a local one.
        Invalid(
            """
            import pandas as pd
            class Loader:
                def load(self, paths):
                    for p in paths:
                        self.frame = pd.concat([self.frame, pd.read_csv(p)])
            """
        ),
        # A frame returned by a function of the module (the inference layer reads its annotation).
        Invalid(
            """
            import pandas as pd
            def load(path) -> pd.DataFrame:
                return pd.read_csv(path)

            def collect(path, rows):
                frame = load(path)
                for r in rows:
                    frame.loc[len(frame)] = r
                return frame
            """
        ),
        Invalid(
            """
            from pandas import concat as stack

            def f(parts, frame):
                for p in parts:
                    frame = stack([frame, p])
                return frame
            """
        ),
        Invalid(
            """
            import pandas as pd
            def load_month(paths):
                combined = pd.DataFrame()
                for p in paths:
                    part = pd.read_csv(p)
                    combined = pd.concat([combined, part], ignore_index=True)
                return combined
            """
        ),
        Invalid(
            """
            import pandas as pd
            def from_api(records):
                frame = pd.DataFrame(columns=["order_id", "units"])
                for rec in records:
                    frame.loc[len(frame)] = [rec["id"], rec["units"]]
                return frame
            """
        ),
        Invalid(
            """
            import pandas as pd
            def merge_daily(reports):
                frame = pd.DataFrame(columns=["day", "visits"])
                for report in reports:
                    frame = frame.append(
                        {"day": report.day, "visits": report.visits}, ignore_index=True
                    )
                return frame
            """
        ),
        Invalid(
            """
            from pandas import DataFrame
            def f(df: DataFrame, rows):
                for r in rows:
                    df.loc[len(df)] = r
                return df
            """
        ),
    ]

    @classmethod
    def may_match_file(cls, path: str, facts, config) -> bool:
        if not super().may_match_file(path, facts, config):
            return False
        if any(q.partition(".")[0] in _LIBRARIES for q in facts.imports.values()):
            return True
        mentions = facts.mentions
        return mentions is None or any(mentions(lib) for lib in _LIBRARIES)  # imported inside a function

    def visit_Assign(self, node: cst.Assign) -> None:
        if len(node.targets) != 1:
            return
        target = node.targets[0].target
        if isinstance(target, cst.Name):
            self._rebind(node, target.value)
        elif attribute_target(target):
            self._rebind_attribute(node, target)  # type: ignore[arg-type]
        elif isinstance(target, cst.Subscript):
            self._loc_len(node, target)

    def _rebind(self, node: cst.Assign, name: str) -> None:
        value = grown_branch(node.value)
        if not isinstance(value, cst.Call) or not value.args or value.args[0].keyword or value.args[0].star:
            return
        index = self.scope_index()
        func = value.func
        what = _CONCATS.get(self.context.call_name(value) or "")
        if what is not None:
            if not sequence_holds(value.args[0].value, name):
                return
        elif isinstance(func, cst.Attribute) and func.attr.value == "append" and isinstance(func.value, cst.Name):
            if func.value.value != name or not self._holds_frame(index, name, func.value):
                return
            what = f"`{name}.append(...)`"
        else:
            return
        if grown_in_loop(self.context, index, node, name):
            self.report(value, f"{what} copies every row of `{name}` on every iteration (O(n²)); "
                        "collect the rows in a list and build one frame after the loop")

    def _rebind_attribute(self, node: cst.Assign, target: cst.Attribute) -> None:
        """``self.df = pd.concat([self.df, part])`` / ``self.df = self.df.append(row)`` in a loop."""
        value = grown_branch(node.value)
        if not isinstance(value, cst.Call) or not value.args or value.args[0].keyword or value.args[0].star:
            return
        text = code_of(target)
        what = _CONCATS.get(self.context.call_name(value) or "")
        if what is not None:
            if not sequence_holds(value.args[0].value, target):
                return
        elif isinstance(value.func, cst.Attribute) and value.func.attr.value == "append":
            if not same_ref(value.func.value, target) or self.context.kind_of(target).kind != "dataframe":
                return
            what = f"`{text}.append(...)`"
        else:
            return
        if attribute_grown_in_loop(self.context, self.scope_index(), node, target):
            self.report(value, f"{what} copies every row of `{text}` on every iteration (O(n²)); "
                        "collect the rows in a list and build one frame after the loop")

    def _loc_len(self, node: cst.Assign, target: cst.Subscript) -> None:
        loc = target.value
        if isinstance(loc, cst.Attribute) and loc.attr.value == "loc" and loc.value.__class__ is cst.Attribute:
            self._loc_len_attribute(target, loc.value)  # type: ignore[arg-type]
            return
        if not (isinstance(loc, cst.Attribute) and loc.attr.value == "loc" and isinstance(loc.value, cst.Name)):
            return
        name = loc.value.value
        if not self._indexed_by_own_length(target, name):
            return
        index = self.scope_index()
        if index is None or not self.context.in_loop or not self._holds_frame(index, name, loc.value):
            return
        if not repeats(self.context, index=index) or rebound_in_loop(self.context, index, name):
            return
        self.report(
            target,
            f"`{name}.loc[len({name})] = ...` enlarges the frame on every iteration (O(n²)); "
            "collect the rows in a list and build one frame after the loop",
        )

    def _loc_len_attribute(self, target: cst.Subscript, frame: cst.Attribute) -> None:
        """``self.table.loc[len(self.table)] = row`` in a loop, ``self.table`` a frame the
        class keeps (the inference layer), not reassigned in the loop."""
        if not attribute_target(frame) or frame.value.value != "self":  # type: ignore[attr-defined]
            return
        if not self._indexed_by_own_length(target, frame):
            return
        index = self.scope_index()
        loops = self.context.loops
        if index is None or not loops or self.context.kind_of(frame).kind != "dataframe":
            return
        if not repeats(self.context, index=index):
            return
        if any(
            isinstance(sub, cst.AssignTarget) and same_ref(sub.target, frame) for sub in iter_nodes(loops[0].node)
        ):
            return  # a fresh frame per outer iteration
        text = code_of(frame)
        self.report(
            target,
            f"`{text}.loc[len({text})] = ...` enlarges the frame on every iteration (O(n²)); "
            "collect the rows in a list and build one frame after the loop",
        )

    def _indexed_by_own_length(self, target: cst.Subscript, frame: "str | cst.Attribute") -> bool:
        """``target`` is ``<frame>.loc[len(<frame>)]``: one key, the built-in ``len`` of the frame
        itself (a name, or the same ``self.x``)."""
        if len(target.slice) != 1 or not isinstance(target.slice[0].slice, cst.Index):
            return False
        key = target.slice[0].slice.value
        return (
            isinstance(key, cst.Call)
            and self.context.call_name(key) == "builtins.len"
            and len(key.args) == 1
            and same_ref(key.args[0].value, frame)
        )

    def _holds_frame(self, index: ScopeIndex | None, name: str, node: cst.BaseExpression) -> bool:
        """A binding of ``name`` by a pandas call, or a pandas frame annotation; else what the
        inference layer knows (a frame returned by a function of the module, ``Optional[pd.DataFrame]``)."""
        if index is None or not index.is_plain_local(name):
            return False
        if self.context.kind_of(node).kind == "dataframe":
            return True
        for binding in index.bindings[name]:
            if binding.kind in ("assign", "annassign") and isinstance(binding.value, cst.Call):
                if self.context.call_name(binding.value) in _FRAME_MAKERS:
                    return True
            annotation = getattr(binding.node, "annotation", None) if binding.kind in ("param", "annassign") else None
            if isinstance(annotation, cst.Annotation):
                spelled = annotation.annotation
                if isinstance(spelled, (cst.Name, cst.Attribute)) and dotted_name(spelled) is not None:
                    if self.context.qualified_name(spelled) in ("pandas.DataFrame", "pandas.Series"):
                        return True
        return False
