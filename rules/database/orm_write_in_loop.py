"""PF205 orm-write-in-loop."""

from __future__ import annotations

import textwrap
from typing import Optional

import libcst as cst
from perflint.analysis import dotted_name, method_call
from perflint.model import Level
from perflint.models_index import DJANGO
from perflint.rule import Benchmark, Invalid, Rule, Valid
from perflint.rules.database._loops import (
    TryTracker,
    loop_body_nodes,
    loop_targets,
    walk_body,
)
from perflint.rules.database._orm import (
    DjangoQuery,
    django_query,
    in_migrations,
    iterated_query,
    looks_like_session,
    loop_rows,
    orm_view,
)

_MODELS = """
from django.db import models

class Reading(models.Model):
    value = models.FloatField()
"""


def _with(models: str, code: str) -> str:
    return models.lstrip("\n") + textwrap.dedent(code)


class OrmWriteInLoop(TryTracker, Rule):
    """
    ## What it does
    Flags one ORM write per loop iteration: `Model.objects.create(...)`,
    `obj.save()` on an object built in the loop (`obj = Model(...)`) or on
    each row of a queryset being iterated, and SQLAlchemy `session.add(obj)`
    followed by `session.commit()`/`flush()` in the same loop body.

    ## Why is this slow?
    Every `create()`/`save()` is its own `INSERT` or `UPDATE`: a round trip,
    and outside a transaction a commit (an fsync on the server) per row.
    `bulk_create` sends one multi-row `INSERT` per batch and `bulk_update`
    one `UPDATE ... CASE` per batch. With SQLite in memory (no network, no
    fsync), inserting 1,000 rows with one `INSERT` and one commit each took
    6.5 ms on this machine against 1.0 ms for one `executemany` and one
    commit (6x, the benchmark below); on a networked database each round
    trip adds its latency, and each commit an fsync.

    In SQLAlchemy, `session.add()` itself sends nothing (the unit of work
    batches the INSERTs at flush, and `add_all()` is a loop over `add()`), so
    only an add that is flushed or committed inside the loop is flagged.

    ## Example
    ```python
    for value in values:
        Reading.objects.create(value=value)
    ```

    ## Use instead
    ```python
    Reading.objects.bulk_create([Reading(value=value) for value in values])
    ```
    For changed rows, `Reading.objects.bulk_update(rows, ["value"])` (or one
    `queryset.update(...)` when every row gets the same value). In SQLAlchemy,
    add every object and commit once after the loop.

    ## Fix safety
    No automatic fix. `bulk_create` and `bulk_update` do not call the
    model's `save()` method and do not send the `pre_save`/`post_save`
    signals; `bulk_create` cannot handle multi-table inheritance and sets
    primary keys only on backends that return them (PostgreSQL, SQLite 3.35+,
    MariaDB 10.5+). Check those before rewriting.

    ## Known false positives
    Writes whose `save()` override or signal handlers must run per row, and
    rows whose primary key is needed by the next iteration. The rule stays
    silent inside a `try` with handlers in the loop (per-row error
    handling), in `while` loops (retries), in loops over a literal
    collection or a constant `range`, in `migrations/` folders, and for
    `.save()` on anything not provably a model instance (a PIL image, a
    workbook), or an object that merely has an `objects` attribute.
    """

    code = "PF205"
    name = "orm-write-in-loop"
    level = Level.DATABASE
    message = "writes one row per iteration; batch the writes (`bulk_create`, `bulk_update`)"
    weight = 2.5
    triggers = (".save(", ".create(", ".add(", ".asave(", ".acreate(")
    benchmark = Benchmark(
        setup=(
            "import sqlite3\n"
            "db = sqlite3.connect(':memory:')\n"
            "db.execute('create table reading (value real)')\n"
            "values = [(float(i),) for i in range(1000)]\n"
        ),
        slow=(
            "for value in values:\n"
            "    db.execute('insert into reading values (?)', value)\n"
            "    db.commit()\n"
        ),
        fast="db.executemany('insert into reading values (?)', values)\ndb.commit()\n",
        size="1,000 rows, SQLite in memory (no network, no fsync)",
    )

    valid = [
        Valid(_with(_MODELS, """
            def store(values):
                Reading.objects.bulk_create([Reading(value=v) for v in values])
            """)),
        # Per-row error handling: a batch would fail as a whole.
        Valid(_with(_MODELS, """
            def store(values):
                for v in values:
                    try:
                        Reading.objects.create(value=v)
                    except ValueError:
                        pass
            """)),
        # .save() on something that is not a model.
        Valid("""
            from PIL import Image

            def thumbnails(paths):
                for path in paths:
                    image = Image.open(path)
                    image.save(path + ".png")
            """),
        # A loop over a few constants.
        Valid(_with(_MODELS, """
            def seed():
                for value in (1.0, 2.0, 3.0):
                    Reading.objects.create(value=value)
            """)),
        # session.add() alone sends nothing; the commit is after the loop.
        Valid("""
            def store(session, rows):
                for row in rows:
                    session.add(row)
                session.commit()
            """),
        Valid("""
            class Journal:
                objects = []

            def log(entries):
                for entry in entries:
                    Journal.objects.create(entry)
            """),
    ]
    invalid = [
        Invalid(_with(_MODELS, """
            def store(values):
                for v in values:
                    Reading.objects.create(value=v)
            """)),
        Invalid(_with(_MODELS, """
            def store(values):
                for v in values:
                    reading = Reading(value=v)
                    reading.save()
            """)),
        Invalid(_with(_MODELS, """
            def scale(factor):
                for reading in Reading.objects.filter(value__gt=0):
                    reading.value *= factor
                    reading.save(update_fields=["value"])
            """)),
        Invalid(_with(_MODELS, """
            def store(values):
                return [Reading.objects.create(value=v) for v in values]
            """)),
        Invalid("""
            def store(db, rows):
                for row in rows:
                    db.session.add(row)
                    db.session.commit()
            """),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        call = method_call(node)
        if call is None:
            return
        receiver, method = call
        if method not in ("create", "acreate", "save", "asave", "add"):
            return
        loop = self.context.innermost_loop
        if loop is None or loop.kind == "while" or self.in_try_inside_loop() or in_migrations(self.context):
            return
        view = orm_view(self.context)
        if view.is_fixed_small_loop(self.context, loop.node):
            return
        message = None
        if method in ("create", "acreate"):
            message = self._create(view, node)
        elif method in ("save", "asave") and isinstance(receiver, cst.Name):
            message = self._save(view, receiver.value, method, loop.node)
        elif method == "add" and looks_like_session(receiver) and _commits_in(loop.node, receiver):
            message = (
                f"`{dotted_name(receiver)}.add()` is flushed or committed on every iteration: one INSERT round "
                "trip (and transaction) per row; add every object, then commit once after the loop"
            )
        if message is not None:
            self.report(node, message)

    def _create(self, view, node: cst.Call) -> Optional[str]:
        query = django_query(self.context, view, node)
        if query is None or len(query.steps) != 1:
            return None
        return (
            f"`{query.model.name}.{query.manager}.{query.steps[0].method}()` runs one INSERT per iteration; "
            f"build the objects in the loop and insert them with `{query.model.name}.objects.bulk_create(objs)`"
        )

    def _save(self, view, name: str, method: str, innermost: cst.CSTNode) -> Optional[str]:
        for loop in reversed(self.context.loops):
            if loop.kind == "while" or name not in loop_targets(loop.node):
                continue
            target = loop.node.target if isinstance(loop.node, cst.For) else loop.node.for_in.target
            iterable = loop.node.iter if isinstance(loop.node, cst.For) else loop.node.for_in.iter
            rows = loop_rows(target, iterable)
            if rows is None or rows[0] != name:
                return None
            query = iterated_query(self.context, view, rows[1])
            if not isinstance(query, DjangoQuery) or not query.rows_are_instances:
                return None
            return (
                f"`{name}.{method}()` runs one UPDATE per row; collect the changed rows and write them with "
                f"`{query.model.name}.objects.bulk_update(rows, fields)` (or one `queryset.update(...)`)"
            )
        model = self._constructed(view, name, innermost)
        if model is None:
            return None
        return (
            f"`{name}.{method}()` runs one INSERT per iteration; collect the new objects and insert them with "
            f"`{model}.objects.bulk_create(objs)`"
        )

    def _constructed(self, view, name: str, loop_node: cst.CSTNode) -> Optional[str]:
        """The model name when every assignment to ``name`` in the loop body is ``Model(...)``."""
        model_name = None
        for part in loop_body_nodes(loop_node):
            for node in walk_body(part):
                if not isinstance(node, cst.Assign):
                    continue
                if not any(isinstance(t.target, cst.Name) and t.target.value == name for t in node.targets):
                    continue
                value = node.value
                if not isinstance(value, cst.Call):
                    return None
                model = view.model_for(self.context, value.func, DJANGO)
                if model is None or (model_name is not None and model.name != model_name):
                    return None
                model_name = model.name
        return model_name


def _commits_in(loop_node: cst.CSTNode, session: cst.BaseExpression) -> bool:
    """True when the loop body calls ``<session>.commit()`` or ``.flush()`` on the same session."""
    wanted = dotted_name(session)
    for part in loop_body_nodes(loop_node):
        for node in walk_body(part):
            call = method_call(node)
            if call is not None and call[1] in ("commit", "flush") and dotted_name(call[0]) == wanted:
                return True
    return False
