"""PF205 orm-write-in-loop."""

from __future__ import annotations

import textwrap
from typing import Optional

import libcst as cst
from perflint.analysis import dotted_name, method_call
from perflint.facts import ModuleFacts
from perflint.model import Level
from perflint.models_index import DJANGO
from perflint.rule import Benchmark, Invalid, Rule, Valid
from perflint.rules.database._loops import (
    ParentIndex,
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
    may_name_models,
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
    workbook), or an object that merely has an `objects` attribute. It also
    stays silent when `save()` gets arguments other than Django's own
    (an overridden `save()`), when the created or saved row is used later
    in the same iteration, for commits guarded by `try`, and when the loop
    reads the new row's `id` after a flush.

    Judged on real code: django-allauth 65.3.0, wagtail 6.3.1, django-oscar 3.2.5, django-cms 4.1.4,
    django-helpdesk 1.1.0, django-filer 3.3.1, django-import-export 4.3.3, django-silk 5.3.1,
    hyperkitty 1.3.12, SQLAlchemy-Utils 0.41.2, Flask-AppBuilder 4.5.2, ckan 2.11.1 and
    apache-superset 4.1.1 (sdists from PyPI, about 770k lines). 11 findings, all true (django-helpdesk 5,
    hyperkitty 2, Flask-AppBuilder 2, ckan 2): precision 11/11. A first run
    had 7 more that are now skipped: wagtail's `save(user=...)` overrides
    (2) and a created row used at once, a `range(10, 0, -1)` literal loop
    (2), a commit guarded per row (Flask-AppBuilder), and flushes made to
    read the new key (ckan, superset). Nothing fires on the Python 3.11
    standard library.
    """

    code = "PF205"
    name = "orm-write-in-loop"
    level = Level.DATABASE
    message = "writes one row per iteration; batch the writes (`bulk_create`, `bulk_update`)"
    weight = 2.5
    # Round trip: one write per row: a bulk write removes n - 1 round trips to the database.
    round_trip = True
    triggers = (".save(", ".create(", ".add(", ".asave(", ".acreate(")
    loop_only = True
    # A session's add() is flagged only when the loop also commits or flushes.
    needs = ("save()", "create()", "asave()", "acreate()", ("add()", "commit()"), ("add()", "flush()"))
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
        # A commit guarded per row: duplicates are skipped on purpose.
        Valid("""
            def load(db, items):
                for item in items:
                    db.session.add(item)
                    try:
                        db.session.commit()
                    except Exception:
                        db.session.rollback()
            """),
        # Flushed to read the new primary key in the same iteration.
        Valid("""
            def clone(session, slices, mapping):
                for old in slices:
                    new = old.clone()
                    session.add(new)
                    session.flush()
                    mapping[old.id] = new.id
            """),
        # session.add() alone sends nothing; the commit is after the loop.
        Valid("""
            def store(session, rows):
                for row in rows:
                    session.add(row)
                session.commit()
            """),
        # An overridden save() with its own arguments, and a row needed right away.
        Valid(_with(_MODELS, """
            def copy(values, user):
                for v in values:
                    reading = Reading(value=v)
                    reading.save(user=user)
                for v in values:
                    created = Reading.objects.create(value=v)
                    log(created.pk)
            """)),
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

    @classmethod
    def may_match_file(cls, path: str, facts: ModuleFacts, config: object = None) -> bool:
        # Creates and saves need a model; a session's add() in a loop does not.
        return facts.mentions(".add(") or may_name_models(path, facts)

    def visit_Module(self, node: cst.Module) -> None:
        self._parents = ParentIndex(node)
        self._sessions_reported: set = set()

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
            if self._result_needed(node, loop.node):
                return
            message = self._create(view, node)
        elif method in ("save", "asave") and isinstance(receiver, cst.Name):
            if not _plain_save(node) or _used_after(loop.node, node, receiver.value):
                return  # a custom save(), or the saved row is needed in this iteration
            message = self._save(view, receiver.value, method, loop.node)
        elif (
            method == "add"
            and looks_like_session(receiver)
            and _commits_in(loop.node, receiver)
            and not _reads_new_key(loop.node, node)
        ):
            key = (id(loop.node), dotted_name(receiver))
            if key in self._sessions_reported:
                return  # one finding per loop and session
            self._sessions_reported.add(key)
            message = (
                f"`{dotted_name(receiver)}.add()` is flushed or committed on every iteration: one INSERT round "
                "trip (and transaction) per row; add every object, then commit once after the loop"
            )
        if message is not None:
            self.report(node, message)

    def _result_needed(self, call: cst.Call, loop_node: cst.CSTNode) -> bool:
        """True when the iteration uses the created row (its primary key, a relation...)."""
        node: cst.CSTNode = call
        parent = self._parents.parent(node)
        if isinstance(parent, cst.Await):
            node, parent = parent, self._parents.parent(parent)
        if isinstance(parent, cst.Expr):
            return False
        if getattr(loop_node, "elt", None) is node:
            return False  # [M.objects.create(...) for x in xs]: bulk_create returns the same list
        if isinstance(parent, cst.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0].target, cst.Name):
            return _used_after(loop_node, call, parent.targets[0].target.value)
        return True

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


_SAVE_OPTIONS = frozenset({"force_insert", "force_update", "using", "update_fields"})


def _plain_save(call: cst.Call) -> bool:
    """``save()`` with Django's own options only; other arguments mean an overridden save()."""
    return all(arg.keyword is not None and arg.keyword.value in _SAVE_OPTIONS for arg in call.args)


def _used_after(loop_node: cst.CSTNode, call: cst.Call, name: str) -> bool:
    """True when ``name`` is read in the loop body after ``call`` (in source order)."""
    passed = False
    for part in loop_body_nodes(loop_node):
        for node in walk_body(part):
            if node is call:
                passed = True
            elif passed and isinstance(node, cst.Name) and node.value == name and not _inside(call, node):
                return True
    return False


def _inside(root: cst.CSTNode, node: cst.CSTNode) -> bool:
    return any(sub is node for sub in walk_body(root))


def _reads_new_key(loop_node: cst.CSTNode, add: cst.Call) -> bool:
    """``session.add(obj)`` then ``obj.id`` in the same iteration: the flush is there for the key."""
    if len(add.args) != 1 or not isinstance(add.args[0].value, cst.Name):
        return False
    name = add.args[0].value.value
    passed = False
    for part in loop_body_nodes(loop_node):
        for node in walk_body(part):
            if node is add:
                passed = True
            elif (
                passed
                and isinstance(node, cst.Attribute)
                and isinstance(node.value, cst.Name)
                and node.value.value == name
                and node.attr.value in ("id", "pk")
            ):
                return True
    return False


def _commits_in(loop_node: cst.CSTNode, session: cst.BaseExpression) -> bool:
    """True when the loop body calls ``<session>.commit()`` or ``.flush()`` on the same session."""
    wanted = dotted_name(session)
    guarded: set[int] = set()  # commits inside a try with handlers: per-row error handling
    for part in loop_body_nodes(loop_node):
        for node in walk_body(part):
            if isinstance(node, (cst.Try, cst.TryStar)) and node.handlers:
                guarded |= {id(sub) for sub in walk_body(node.body)}
            call = method_call(node)
            if call is not None and call[1] in ("commit", "flush") and dotted_name(call[0]) == wanted:
                if id(node) not in guarded:
                    return True
    return False
