"""PF113 list-search-in-loop."""

from __future__ import annotations

import ast
from typing import Optional

import libcst as cst
from perflint.analysis import (
    ScopeAware,
    ScopeIndex,
    code_of,
    exits_after,
    is_hashable_literal,
    literal_elements,
    names_used,
    runs_fixed_times,
)
from perflint.model import Level
from perflint.rule import Benchmark, FixSpec, Invalid, Rule, Valid

from ._sequences import (
    SkipsTests,
    attribute_list,
    attribute_rebound_in_loop,
    bounded_literal,
    grows_with_input,
    list_bound,
    reaching_list_binding,
    loop_bound_names,
    rebound_in_loop,
    repeats,
)

_SEARCHES = {
    "index": "`list.index(x)` scans the list on every iteration; build a `{item: position}` dict once before the loop",
    "count": "`list.count(x)` scans the list on every iteration; count once with `collections.Counter` before the loop",
    "remove": "`list.remove(x)` scans and shifts the list on every iteration; keep a set (or a dict) of the items instead",
}


class ListSearchInLoop(SkipsTests, ScopeAware, Rule):
    """
    ## What it does
    Flags linear searches of a list repeated inside a loop:
    `items.index(x)`, `items.count(x)` and `items.remove(x)` where `items` is
    a list (every binding in the function is a list display, comprehension,
    `list(...)`, `sorted(...)`, `str.split()`-like result, a call of a
    function of the module that returns a list (`-> list[str]`), or a parameter
    annotated `list[...]` or `Sequence[...]`) or an attribute the inference
    layer knows is a list (`self.members = list(members)`, an annotation, a
    dataclass field) that the module grows or fills from a parameter, and
    membership tests against a list built for
    the test: `x in list(d.keys())`, `x in list(d)`, `x in [t.id for t in items]`.

    ## Why is this slow?
    Each call walks the list from the front, so `m` iterations over a list of
    `n` items cost O(n·m). A dict, set or `collections.Counter` built once
    answers in O(1). Measured (`benchmarks/rule_speedups.py`: `timeit`, best of 5, CPython 3.11.7 on this project's shared 2-core machine, 2026-12-07): counting each distinct word of a
    20,000-word list with `words.count(w)` (1,000 distinct words) took 380
    ms, with one `Counter(words)` 1.4 ms (267x faster). A list rebuilt
    for every `in` test (`x in list(d.keys())`) costs O(n) per test where `x in
    d` costs O(1).

    ## Example
    ```python
    freqs = {}
    for w in set(words):
        freqs[w] = words.count(w)
    for sym in requested:
        if sym in list(listings.keys()):
            ...
    ```

    ## Use instead
    ```python
    from collections import Counter

    freqs = Counter(words)
    for sym in requested:
        if sym in listings:
            ...
    ```

    ## Fix safety
    Only `x in list(d.keys())` gets a fix, to `x in d.keys()` (the view
    tests membership by hash). It is safe when `x` is a hashable literal;
    otherwise unsafe: an unhashable `x` raises `TypeError` where the list
    test returned False. The other forms need a structure built before the
    loop (which the loop may change), so they get no fix.

    ## Known false positives
    A list that stays small costs little to scan; lists written as literals
    and never grown, loops over literal displays or `range(<literal>)`,
    lists rebound on every iteration, and searches followed by `return` or
    `raise` are not flagged. `str.count`/`str.index` (substring searches),
    tuples, deques and parameters without a `list` annotation are not
    flagged, and neither is a list without evidence that it grows with the
    input: it must be a `list`-annotated parameter, a copy of a parameter,
    a comprehension over data, a text's `split()`/`splitlines()`/`findall()`,
    grown in the loop, or walked by the loop itself (path parts split by a
    separator and copies of a registry are left alone). Loops over a value
    the inference layer knows is a tuple (a record of fixed shape) are not
    counted. Test modules are not linted by this rule.
    Precision (judged by reading each finding, 2026-12-07): Python 3.11
    standard library 2 of 3 (sysconfig's Makefile parser removes each
    resolved variable from a list it walks; the miss is a debugging dump
    in lib2to3's pgen); networkx 3.4.2, mlxtend 0.23.4, apache-superset
    4.1.1, ckan 2.11.1, wagtail 6.1.3 and Flask-Admin 1.6.1 together 28 of
    29 (networkx's graph generators and distance measures, superset's
    importers, ckan's tag and view updates); the miss is wagtail's system
    checks, run once at start-up. Six of the correct ones scan lists that
    the domain keeps short (form fields, export columns, a request's
    parameters), which the code does not show. 30 of 32 overall (94 %).
    Attributes through the inference layer (added later the same day) added
    4 findings, all correct: django-redis's hash ring removes each of a
    node's 128 replica keys from the sorted key list, turtle removes every
    deleted canvas item from its item list, idlelib empties a tree node's
    children one `remove` at a time, and email's `AddressList -=` removes
    addresses one by one (short lists in practice). 34 of 36 overall (94 %).
    A list that the binding reaching the loop makes (`vals = list(vals)`
    after a set, a copy of a parameter rebound after the loop; 2026-12-07)
    added 4 standard-library findings: unittest.mock's `assert_has_calls(...,
    any_order=True)` removes each expected call from the call list (twice,
    correct), and two short lists (compiler arguments in `_osx_support`,
    an IDLE extension's options), negligible; on the real-code hold-out +1,
    a labelled positive (petl's pivot).
    Walked sequences (2026-12-08): the sequence an enclosing loop walks,
    searched for the loop's own item (`[w for w in ws if ws.count(w) > 1]`,
    `for x in xs: xs.index(x)`), is reported whatever its kind when the
    kind is not known to be something else (a string-initialised name, a
    search followed by `break`, written-out displays are not); and so is an
    attribute the loop walks, directly or through `list(...)`
    (`for t in list(tl.tokens): ... tl.tokens.remove(t)`), when `index`/
    `count` is called on it or, for `remove`, when the module uses that
    attribute as a list elsewhere (`x.tokens.insert(i, t)`, `.index`,
    `.sort`). Standard library: +2 (lib2to3's `pgen` `dfa.index(state)`
    over a DFA's states, correct; `btm_utils` `node.children.index(child)`,
    correct but a few pattern alternatives); site-packages +0; real-code
    hold-out +1 (sqlparse's comma-newline stripping, a labelled positive).
    """

    code = "PF113"
    name = "list-search-in-loop"
    level = Level.ALGORITHM
    message = "a linear search of a list runs on every iteration; build a set, dict or Counter once before the loop"
    weight = 3.5
    triggers = ("index", "count", "remove", "in")
    loop_only = True
    needs = ("index()", "count()", "remove()", "in-new-list")
    benchmark = Benchmark(
        setup=(
            "import random\nfrom collections import Counter\nrandom.seed(1)\n"
            "words = [f'w{random.randrange(1000)}' for _ in range(20_000)]"
        ),
        slow="freqs = {}\nfor w in set(words):\n    freqs[w] = words.count(w)",
        fast="freqs = Counter(words)",
        size="20,000 words, 1,000 distinct",
    )

    valid = [
        # Removing from a copy-walked attribute the module never uses as a list: it may be a set.
        Valid(
            """
            def prune(group):
                for member in list(group.members):
                    if member.expired:
                        group.members.remove(member)
            """
        ),
        # The walked sequence searched once and left (`break`), a string built with `+=`
        # (a few letters), and a written-out display.
        Valid(
            """
            def first_after(parts, marker):
                for p in parts:
                    if p.startswith(marker):
                        rest = parts[parts.index(p) + 1 :]
                        break
                else:
                    rest = []
                return rest

            def repeated(spec):
                letters = ""
                for ch in spec.replace(",", ""):
                    letters += ch
                return [c for c in letters if letters.count(c) > 1]

            def ranks(words):
                order = ["low", "mid", "high"]
                return [order.index(w) for w in order]
            """
        ),
        # Turned into a dict of positions before the loop: the lookups are O(1).
        Valid(
            """
            def pivot(rows, groups):
                values = sorted(set(r[1] for r in rows))
                values = {v: i for i, v in enumerate(values)}
                for key, members in groups:
                    for value, total in members:
                        yield key, values.get(value), total
            """
        ),
        # A field whose factory writes the list out: it stays that small.
        Valid(
            """
            from dataclasses import dataclass, field

            @dataclass
            class Flight:
                exits: list[str] = field(default_factory=lambda: ["12A", "12F"])

            def clear(flight: Flight, seats):
                for seat in seats:
                    flight.exits.remove(seat)
            """
        ),
        # A function of the module that returns a tuple: a record of fixed shape.
        Valid(
            """
            def parts(text) -> tuple[str, ...]:
                return tuple(text.split(","))

            def f(text, keys):
                fields = parts(text)
                return [fields.count(k) for k in keys]
            """
        ),
        # A str: count/index are substring searches.
        Valid(
            """
            def f(text, needles):
                for n in needles:
                    print(text.count(n), text.index(n))
            """
        ),
        # A parameter with no list annotation (could be a str, a range, a deque).
        Valid(
            """
            def f(seq, xs):
                for x in xs:
                    print(seq.index(x))
            """
        ),
        # A literal list that never grows stays small.
        Valid(
            """
            def f(xs):
                levels = ["debug", "info", "warning", "error"]
                for x in xs:
                    print(levels.index(x))
            """
        ),
        # Not in a loop: one search.
        Valid(
            """
            def f(xs, x):
                items = list(xs)
                items.remove(x)
                return items
            """
        ),
        # A fresh list per iteration.
        Valid(
            """
            def f(lines):
                for line in lines:
                    parts = line.split(",")
                    print(parts.index("x"))
            """
        ),
        # A loop over a literal tuple runs a fixed number of times.
        Valid(
            """
            def f(xs):
                items = list(xs)
                for key in ("a", "b", "c"):
                    items.remove(key)
                return items
            """
        ),
        # Membership in the view itself: no list is built.
        Valid(
            """
            def f(d, keys):
                return [k for k in keys if k in d.keys()]
            """
        ),
        # Leaves right after the search.
        Valid(
            """
            def f(items: list[str], wanted):
                for w in wanted:
                    if w:
                        return items.index(w)
            """
        ),
        # A copy of a registry, searched for a few configured names: nothing shows the
        # list grows with the input (not a parameter, not grown or walked by the loop).
        Valid(
            """
            def configure(names):
                existing = list(REGISTRY.keys())
                for name in names:
                    existing.remove(name)
                return existing
            """
        ),
        # The parts of a path: split by a separator, a handful of items.
        Valid(
            """
            def strip_prefix(path, prefix):
                parts = path.split("/")
                for p in prefix.split("/"):
                    parts.remove(p)
                return parts
            """
        ),
        # Filtered from a literal list: as small as it is written.
        Valid(
            """
            def f(df, rows):
                cols = ["open", "high", "low", "close"]
                cols = [c for c in cols if c in df.columns]
                for r in rows:
                    print(cols.index(r.col))
            """
        ),
        # An attribute written as a literal list and never grown: a handful of items.
        Valid(
            """
            class Logger:
                def __init__(self):
                    self.levels = ["debug", "info", "warning", "error"]

                def ranks(self, names):
                    return [self.levels.index(n) for n in names]
            """
        ),
        # A loop over a tuple (here a pair, by the function's annotation): a fixed shape.
        Valid(
            """
            def split_pair(text) -> tuple[str, str]:
                head, _, tail = text.partition("=")
                return head, tail

            def unused(text, words):
                pair = split_pair(text)
                mentioned = [w for w in words if w in text]
                return [name for name in pair if mentioned.count(name) == 1]
            """
        ),
        # A deque: remove is the point of the structure here.
        Valid(
            """
            from collections import deque
            def f(xs, done):
                window = deque(xs)
                for d in done:
                    window.remove(d)
            """
        ),
    ]
    invalid = [
        # A parameter's attribute the loop walks (through a copy) and removes from; the module
        # inserts into it by position elsewhere, so it is a list.
        Invalid(
            """
            def strip_newlines(tlist):
                last_nl = None
                for token in list(tlist.tokens):
                    if last_nl and token.value == ",":
                        tlist.tokens.remove(last_nl)
                    last_nl = token if token.is_whitespace else None

            def pad(tlist, at, token):
                tlist.tokens.insert(at, token)
            """
        ),
        # The sequence the loop walks, searched for the loop's own item: n searches of n items,
        # whatever sequence the parameter is.
        Invalid(
            """
            def duplicates(words):
                return [w for w in words if words.count(w) > 1]

            def positions(items):
                out = []
                for item in items:
                    out.append((items.index(item), item))
                return out
            """
        ),
        # A set of the distinct values turned into a sorted list: `index` per group.
        Invalid(
            """
            def pivot(rows, groups):
                values = set(r[1] for r in rows)
                values = list(values)
                values.sort()
                for key, members in groups:
                    out = [key] + [None] * len(values)
                    for value, total in members:
                        out[1 + values.index(value)] = total
                    yield out
            """
        ),
        # A dataclass list field (filled by the caller), read through an annotated parameter.
        Invalid(
            """
            from dataclasses import dataclass, field

            @dataclass
            class Flight:
                free_seats: list[str] = field(default_factory=list)

            def book(flight: Flight, seats):
                for seat in seats:
                    flight.free_seats.remove(seat)
            """
        ),
        # A list returned by a function of the module (its `-> list[str]` annotation).
        Invalid(
            """
            def tokens(text) -> list[str]:
                return text.lower().split()

            def frequencies(text):
                words = tokens(text)
                return {w: words.count(w) for w in set(words)}
            """
        ),
        # A comprehension over data: as long as the data.
        Invalid(
            """
            def months(posts):
                dates = [p.date for p in posts.published()]
                firsts = [{"month": d.replace(day=1)} for d in dates]
                out = []
                for m in firsts:
                    out.append((m, firsts.count(m)))
                return out
            """
        ),
        Invalid(
            """
            def term_frequencies(text):
                words = text.lower().split()
                freqs = {}
                for w in set(words):
                    freqs[w] = words.count(w)
                return freqs
            """
        ),
        Invalid(
            """
            def positions(vocab: list[str], tokens):
                return [vocab.index(t) for t in tokens]
            """
        ),
        # An attribute copied from the input (the inference layer knows it is a list).
        Invalid(
            """
            class Roster:
                def __init__(self, members):
                    self.members = list(members)

                def ranks(self, names):
                    return [self.members.index(n) for n in names]
            """
        ),
        # A parameter annotated as a sequence.
        Invalid(
            """
            from typing import Sequence
            def positions(vocab: Sequence[str], tokens):
                return [vocab.index(t) for t in tokens]
            """
        ),
        Invalid(
            """
            def allocate(seats, bookings):
                free = list(seats)
                for guest, wanted in bookings:
                    free.remove(wanted)
            """
        ),
        Invalid(
            """
            def dedupe(ids):
                result = []
                for i in ids:
                    if result.count(i) == 0:
                        result.append(i)
                return result
            """
        ),
        Invalid(
            """
            def pick(requested, listings):
                return [s for s in requested if s in list(listings.keys())]
            """,
            fixed="""
            def pick(requested, listings):
                return [s for s in requested if s in listings.keys()]
            """,
            unsafe=True,
        ),
        Invalid(
            """
            def known(rows, items):
                for row in rows:
                    if "x" not in list(items.keys()):
                        print(row)
            """,
            fixed="""
            def known(rows, items):
                for row in rows:
                    if "x" not in items.keys():
                        print(row)
            """,
        ),
        Invalid(
            """
            def active(events, users):
                for e in events:
                    if e.user_id in [u.id for u in users]:
                        print(e)
            """
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not isinstance(func, cst.Attribute) or func.attr.value not in _SEARCHES:
            return
        if len(node.args) != 1 or node.args[0].keyword or node.args[0].star:
            return
        receiver = func.value
        if not self.context.in_loop:
            return
        if isinstance(receiver, cst.Attribute):
            self._attribute_search(node, receiver, func.attr.value)
            return
        if not isinstance(receiver, cst.Name):
            return
        index = self.scope_index()
        if index is None or not repeats(self.context, index=index) or not self.is_scope_read(index, receiver):
            return
        name = receiver.value
        if bounded_literal(self.context, index, name):
            return
        if not (
            list_bound(self.context, index, name)
            or self._annotated_sequence(index, receiver)
            or reaching_list_binding(self.context, index, name, self.context.loops[-1].node) is not None
        ):
            if func.attr.value != "remove" and self._searches_own_iterable(index, node, receiver):
                self.report(node, _SEARCHES[func.attr.value].replace("the list", f"`{name}` (the sequence the loop walks)", 1))
            return
        if not grows_with_input(self.context, index, name):
            return
        if rebound_in_loop(self.context, index, name) or self._leaves(index, node):
            return
        message = _SEARCHES[func.attr.value].replace("the list", f"`{name}`", 1)
        self.report(node, message)

    def _searches_own_iterable(self, index: ScopeIndex, node: cst.Call, receiver: cst.Name) -> bool:
        """``[w for w in words if words.count(w) > 1]``, ``for x in xs: xs.index(x)``: the
        sequence the enclosing loop walks, searched for the loop's own item, whatever kind of
        sequence it is (a list, a tuple, a parameter of unknown kind): n searches of n items.
        Not a string (a word's letters are few), a set/dict/frame (no such search), a name the
        function binds to a written-out display, or one the loop rebinds."""
        name = receiver.value
        loop = next(
            (
                loop
                for loop in reversed(self.context.loops)
                if _iterates_name(loop.node, name) and loop.target_names & names_used(node.args[0].value)
            ),
            None,
        )
        if loop is None or runs_fixed_times(loop.node):
            return False
        if self.context.kind_of(receiver).kind not in ("list", "tuple", "unknown"):
            return False
        if bounded_literal(self.context, index, name) or rebound_in_loop(self.context, index, name):
            return False
        if any(isinstance(b.value, _STRINGS) for b in index.bindings.get(name, [])):
            return False  # ``out = ""`` grown with ``+=``: a string
        if loop is self.context.loops[-1]:
            statement = index.statement_of(node)
            if statement is not None and not index.contains(statement, loop.node) and exits_after(index, statement, 1):
                return False  # ``... xs.index(x) ...; break``: one search per walk
        return not self._leaves(index, node)

    def _annotated_sequence(self, index: ScopeIndex, receiver: cst.Name) -> bool:
        """A parameter (its only binding) the inference layer knows is a list: annotated
        ``Sequence[str]``, ``MutableSequence``, ``Optional[list[...]]``..."""
        bindings = index.bindings.get(receiver.value, [])
        if len(bindings) != 1 or bindings[0].kind != "param":
            return False
        return self.context.kind_of(receiver).kind == "list"

    def _attribute_search(self, node: cst.Call, receiver: cst.Attribute, method: str) -> None:
        """``self.items.index(x)`` in a loop, ``self.items`` a list that grows with the input."""
        index = self.scope_index()
        if index is None or not repeats(self.context, index=index):
            return
        text = attribute_list(self.context, receiver)
        named = f"`{text}`"
        if text is None:
            text = self._walked_attribute(receiver, method)
            named = f"`{text}` (the sequence the loop walks)"
        if text is None or attribute_rebound_in_loop(self.context, receiver) or self._leaves(index, node):
            return
        self.report(node, _SEARCHES[method].replace("the list", named, 1))

    def _walked_attribute(self, receiver: cst.Attribute, method: str) -> Optional[str]:
        """``for t in list(tlist.tokens): ... tlist.tokens.remove(t)``: the attribute an
        enclosing loop walks (directly or through ``list``/``enumerate``/...), searched or
        removed from on every iteration: n searches of n items. Its kind may be unknown (a
        parameter's attribute); ``index``/``count`` only exist on sequences, and for ``remove``
        (a set has one too) the module must use the attribute as a list somewhere:
        ``x.tokens.insert(i, t)``, ``x.tokens.index(t)``, ``x.tokens.sort()``."""
        if not (isinstance(receiver.value, cst.Name)):
            return None
        text = code_of(receiver)
        walked = any(_walks(loop.node, text) for loop in self.context.loops)
        if not walked or self.context.kind_of(receiver).kind not in ("list", "unknown"):
            return None
        if method == "remove" and receiver.attr.value not in self.context.facts.memo("pf113-sequence-attributes", _sequence_attributes):
            return None
        return text

    def visit_ComparisonTarget(self, node: cst.ComparisonTarget) -> None:
        if not isinstance(node.operator, (cst.In, cst.NotIn)) or not self.context.in_loop:
            return
        built = node.comparator
        if isinstance(built, cst.ListComp):
            if literal_elements(built.for_in.iter) is not None or not repeats(self.context, index=self.scope_index()):
                return
            if not self._per_test(built):
                return
            self.report(built, f"`{code_of(built)}` builds a list for every test; build a set once before the loop")
            return
        if not isinstance(built, cst.Call) or self.context.call_name(built) != "builtins.list":
            return
        if len(built.args) != 1 or built.args[0].keyword or built.args[0].star:
            return
        index = self.scope_index()
        if index is None or not repeats(self.context, index=index) or self._leaves(index, built):
            return
        self.report(
            built,
            f"`{code_of(built)}` copies into a list for every `in` test; test the mapping or a set built once",
            fix=self._keys_fix(index, node),
        )

    def _per_test(self, built: cst.ListComp) -> bool:
        """The comprehension does not use a name of the innermost loop: it could be built once."""
        loops = self.context.loops
        if not loops:
            return False
        return not (names_used(built.for_in.iter) & loop_bound_names(loops[-1].node))

    def _leaves(self, index: ScopeIndex, node: cst.CSTNode) -> bool:
        statement = index.statement_of(node)
        loops = self.context.loops
        if statement is None or (loops and index.contains(statement, loops[-1].node)):
            return False  # the loop is a comprehension inside this statement
        if isinstance(statement, cst.SimpleStatementLine) and any(
            isinstance(small, (cst.Return, cst.Raise)) for small in statement.body
        ):
            return True
        return exits_after(index, statement, self.context.loop_depth)

    def _keys_fix(self, index: ScopeIndex, target: cst.ComparisonTarget) -> FixSpec | None:
        call = target.comparator
        inner = call.args[0].value  # type: ignore[attr-defined]
        if not (isinstance(inner, cst.Call) and isinstance(inner.func, cst.Attribute) and inner.func.attr.value == "keys"):
            return None
        if inner.args:
            return None
        comparison = index.parent(target)
        left = comparison.left if isinstance(comparison, cst.Comparison) else None
        safe = left is not None and len(comparison.comparisons) == 1 and is_hashable_literal(left)  # type: ignore[union-attr]
        replacement = inner.with_changes(lpar=call.lpar, rpar=call.rpar)  # type: ignore[attr-defined]
        return FixSpec("Test membership in the keys view", {call: replacement}, safe=safe)


_STRINGS = (cst.SimpleString, cst.FormattedString, cst.ConcatenatedString)


def _first_iterable(loop: cst.CSTNode) -> Optional[cst.BaseExpression]:
    """What a ``for`` loop walks, or a comprehension's first ``for``; None for other nodes."""
    if isinstance(loop, cst.For):
        return loop.iter
    if isinstance(loop, (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp)):
        return loop.for_in.iter
    return None


def _iterates_name(loop: cst.CSTNode, name: str) -> bool:
    """A ``for`` loop or a comprehension whose (first) iterable is ``name`` itself, or
    ``enumerate(name)``."""
    iterable = _first_iterable(loop)
    if iterable is None:
        return False
    if isinstance(iterable, cst.Call) and isinstance(iterable.func, cst.Name) and iterable.func.value == "enumerate" and iterable.args:
        iterable = iterable.args[0].value
    return isinstance(iterable, cst.Name) and iterable.value == name


_WALK_WRAPPERS = frozenset({"list", "tuple", "enumerate", "reversed", "sorted"})


def _walks(loop: cst.CSTNode, text: str) -> bool:
    """The loop's (first) iterable is the expression ``text``, or ``list(text)`` and the like."""
    iterable = _first_iterable(loop)
    if iterable is None:
        return False
    while (
        isinstance(iterable, cst.Call)
        and isinstance(iterable.func, cst.Name)
        and iterable.func.value in _WALK_WRAPPERS
        and iterable.args
    ):
        iterable = iterable.args[0].value
    return isinstance(iterable, cst.Attribute) and code_of(iterable) == text


def _sequence_attributes(facts) -> frozenset:
    """Attribute names the module uses as a list: ``x.attr.insert(i, v)``, ``x.attr.index(v)``,
    ``x.attr.sort(...)``."""
    tree = facts.inference.tree if facts.inference is not None else None
    if tree is None:
        return frozenset()
    found = set()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        owner = node.func.value
        if not isinstance(owner, ast.Attribute):
            continue
        method = node.func.attr
        if (method == "insert" and len(node.args) == 2) or (method == "index" and node.args) or method == "sort":
            found.add(owner.attr)
    return frozenset(found)
