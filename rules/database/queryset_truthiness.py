"""PF204 queryset-truthiness."""

from __future__ import annotations

import textwrap
from typing import Iterator, Optional

import libcst as cst
from perflint.model import Level
from perflint.rule import FixSpec, Invalid, Rule, Valid
from perflint.rules.database._loops import ParentIndex
from perflint.rules.database._orm import (
    DJANGO_EVALUATE,
    django_query,
    DJANGO_WRITES,
    DjangoQuery,
    may_name_models,
    name_loads,
    orm_view,
    refinement_bases,
    tracked_django_query,
)

_MODELS = """
from django.db import models

class Invoice(models.Model):
    paid = models.BooleanField()
"""


def _with(models: str, code: str) -> str:
    return models.lstrip("\n") + textwrap.dedent(code)


class QuerysetTruthiness(Rule):
    """
    ## What it does
    Flags a Django queryset tested for emptiness when its rows are not used
    afterwards: `if Invoice.objects.filter(paid=False):`, `bool(qs)`,
    `if not qs:`, and the counting forms `if qs.count():` and
    `if qs.count() > 0:`.

    ## Why is this slow?
    Testing a queryset's truth evaluates it: every matching row is fetched
    and turned into a model instance. `.count()` scans every matching row in
    the database. `.exists()` runs `SELECT 1 ... LIMIT 1`, which stops at
    the first match and transfers nothing.

    ## Example
    ```python
    if Invoice.objects.filter(paid=False):
        notify()
    ```

    ## Use instead
    ```python
    if Invoice.objects.filter(paid=False).exists():
        notify()
    ```

    ## Fix safety
    Safe: the truth value is the same. The fix is offered only when the
    rows are not read afterwards: an inline queryset, or a local name with
    no other use in the function. When the rows are used later, testing the
    queryset first caches them and `.exists()` would add a query, so the
    rule stays silent (the advice in Django's own documentation). The
    `.count()` forms are rewritten whatever follows, since `count()` caches
    nothing.

    ## Known false positives
    A name read through `locals()` or a template context the rule cannot
    see. The model must be provably a Django model (project model index, or
    an import from a `models` module), so a plain list held in an `objects`
    attribute never matches; every method in the chain must be one of
    Django's own queryset methods.

    Judged on real code: django-allauth 65.3.0, wagtail 6.3.1, django-oscar 3.2.5, django-cms 4.1.4,
    django-helpdesk 1.1.0, django-filer 3.3.1, django-import-export 4.3.3, django-silk 5.3.1,
    hyperkitty 1.3.12, SQLAlchemy-Utils 0.41.2, Flask-AppBuilder 4.5.2, ckan 2.11.1 and
    apache-superset 4.1.1 (sdists from PyPI, about 770k lines). 3 findings, all true (wagtail 1: an
    `if duplicates:` whose rows are never used; django-helpdesk 2:
    `if qs.count() > 0:`): precision 3/3. A first run also flagged three
    custom manager methods in django-allauth (`can_add_email()`,
    `lookup()`, `is_verified()`), which return booleans or lists; custom
    methods are now refused. Nothing fires on the Python 3.11 standard
    library.
    """

    code = "PF204"
    name = "queryset-truthiness"
    level = Level.DATABASE
    message = "testing a queryset's truth fetches its rows; use `.exists()` (`SELECT 1 ... LIMIT 1`)"
    weight = 1.5
    # Round trip: truthiness fetches every row over the wire where .exists() fetches at most one.
    round_trip = True
    triggers = ("if", "bool(")
    may_match_file = staticmethod(may_name_models)  # a project without models has no queries to flag

    valid = [
        # The rows are used afterwards: the truth test caches them.
        Valid(_with(_MODELS, """
            def show():
                unpaid = Invoice.objects.filter(paid=False)
                if unpaid:
                    for invoice in unpaid:
                        print(invoice)
            """)),
        Valid(_with(_MODELS, """
            def show():
                if Invoice.objects.filter(paid=False).exists():
                    print("unpaid")
            """)),
        Valid("""
            class Pool:
                objects = []

            def busy():
                if Pool.objects.all():
                    return True
            """),
        Valid(_with(_MODELS, """
            def first():
                if Invoice.objects.first():
                    return True
            """)),
        # A custom manager method: it may return a bool, a list, anything.
        Valid(_with(_MODELS, """
            def allowed(user):
                if not Invoice.objects.can_add(user):
                    return False
                return Invoice.objects.filter(owner=user)[0] or None
            """)),
        Valid(_with(_MODELS, """
            def plain(invoices):
                if invoices:
                    return True
            """)),
    ]
    invalid = [
        Invalid(
            _with(_MODELS, """
            def check():
                if Invoice.objects.filter(paid=False):
                    print("unpaid")
            """),
            fixed=_with(_MODELS, """
            def check():
                if Invoice.objects.filter(paid=False).exists():
                    print("unpaid")
            """),
        ),
        Invalid(
            _with(_MODELS, """
            def check():
                unpaid = Invoice.objects.filter(paid=False)
                return "late" if not unpaid else "ok"
            """),
            fixed=_with(_MODELS, """
            def check():
                unpaid = Invoice.objects.filter(paid=False)
                return "late" if not unpaid.exists() else "ok"
            """),
        ),
        Invalid(
            _with(_MODELS, """
            def check(user):
                if Invoice.objects.filter(owner=user).count() > 0 and user.active:
                    print("has invoices")
            """),
            fixed=_with(_MODELS, """
            def check(user):
                if Invoice.objects.filter(owner=user).exists() and user.active:
                    print("has invoices")
            """),
        ),
        Invalid(
            _with(_MODELS, """
            def check():
                unpaid = Invoice.objects.filter(paid=False)
                flag = bool(unpaid.count())
                return flag, list(unpaid)
            """),
            fixed=_with(_MODELS, """
            def check():
                unpaid = Invoice.objects.filter(paid=False)
                flag = bool(unpaid.exists())
                return flag, list(unpaid)
            """),
        ),
    ]

    def visit_If(self, node: cst.If) -> None:
        self._check_test(node.test)

    def visit_While(self, node: cst.While) -> None:
        self._check_test(node.test)

    def visit_IfExp(self, node: cst.IfExp) -> None:
        self._check_test(node.test)

    def visit_Call(self, node: cst.Call) -> None:
        if not (isinstance(node.func, cst.Name) and node.func.value == "bool"):
            return
        if len(node.args) == 1 and node.args[0].keyword is None and not node.args[0].star:
            if self.context.call_name(node) == "builtins.bool":
                self._check_test(node.args[0].value)

    def visit_Module(self, node: cst.Module) -> None:
        self._parents = ParentIndex(node)

    def _check_test(self, test: cst.BaseExpression) -> None:
        for operand in _operands(test):
            replacement = self._replacement(operand)
            if replacement is None:
                continue
            if self._parents.off_the_item_path(test):
                return  # test verification: the query's speed does not matter (asked last: it maps the block)
            message = None
            if _counted(operand) is not None:
                message = "`.count()` counts every matching row to test for one; use `.exists()` (`SELECT 1 ... LIMIT 1`)"
            self.report(operand, message, fix=FixSpec("Use .exists()", {operand: replacement}))

    def _replacement(self, expr: cst.BaseExpression) -> Optional[cst.BaseExpression]:
        """``expr.exists()`` (or ``base.exists()`` for ``base.count()``) when that is provably right."""
        view = orm_view(self.context)
        counted = _counted(expr)
        if counted is not None:
            if self._is_queryset(view, counted, need_unused=False):
                return _exists(counted)
            return None
        if self._is_queryset(view, expr, need_unused=True):
            return _exists(expr)
        return None

    def _is_queryset(self, view, expr: cst.BaseExpression, need_unused: bool) -> bool:
        if isinstance(expr, cst.Name):
            function = self.context.function
            if function is None or function.node is None:
                return False
            query = tracked_django_query(self.context, view, expr.value)
            if query is None or not _returns_queryset(query):
                return False
            if not need_unused:
                return True
            if self.context.in_loop:
                return False  # evaluated once and cached; .exists() would query every iteration
            ignored = refinement_bases(function.node, expr.value) | {id(expr)}
            return all(id(use) in ignored for use in name_loads(function.node, expr.value))
        query = django_query(self.context, view, expr)
        return query is not None and _returns_queryset(query)


def _operands(test: cst.BaseExpression) -> Iterator[cst.BaseExpression]:
    """The parts of a condition whose truth is taken: ``a and not b`` -> a, b."""
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        yield from _operands(test.expression)
    elif isinstance(test, cst.BooleanOperation):
        yield from _operands(test.left)
        yield from _operands(test.right)
    else:
        yield test


def _counted(expr: cst.BaseExpression) -> Optional[cst.BaseExpression]:
    """``x`` for ``x.count()``, ``x.count() > 0``, ``x.count() != 0``, ``x.count() >= 1``."""
    if isinstance(expr, cst.Comparison) and len(expr.comparisons) == 1:
        target = expr.comparisons[0]
        number = target.comparator
        if not isinstance(number, cst.Integer):
            return None
        operator = target.operator
        if not (
            (isinstance(operator, (cst.GreaterThan, cst.NotEqual)) and number.value == "0")
            or (isinstance(operator, cst.GreaterThanEqual) and number.value == "1")
        ):
            return None
        expr = expr.left
    if isinstance(expr, cst.Call) and not expr.args and isinstance(expr.func, cst.Attribute) and expr.func.attr.value == "count":
        return expr.func.value
    return None


def _returns_queryset(query: DjangoQuery) -> bool:
    terminal = query.terminal
    if query.custom_steps:
        return False  # a custom manager or queryset method may return anything
    return terminal not in DJANGO_EVALUATE and terminal not in DJANGO_WRITES and terminal not in ("raw", "iterator", "[index]")


def _exists(expr: cst.BaseExpression) -> cst.Call:
    return cst.Call(func=cst.Attribute(value=expr, attr=cst.Name("exists")))
