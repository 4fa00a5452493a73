"""PF101 list-membership-in-loop."""

from __future__ import annotations

from typing import Optional

import libcst as cst
from perflint.analysis import (
    Binding,
    bound_names,
    iter_nodes,
    iter_own_nodes,
    names_used,
    attribute_change_in_loop,
    change_in_loop,
    ScopeAware,
    ScopeIndex,
    code_of,
    dotted_name,
    free_name,
    is_hashable_literal,
    is_list_expr,
    literal_elements,
    may_mutate,
    replace_within,
    runs_fixed_times,
    small_statements,
    use_of,
)
from perflint.model import Level
from perflint.rule import Benchmark, FixSpec, Invalid, Option, Rule, Valid
from ._sequences import is_list_value, list_annotation, reaching_list_binding



class ListMembershipInLoop(ScopeAware, Rule):
    """
    ## What it does
    Flags `x in items` (and `not in`) inside a loop when `items` holds a list,
    as the inference layer (`perflint.infer`) tells from every binding of the
    name: a list display or comprehension, `list(...)`, `sorted(...)`,
    `.split()`, a parameter annotated `list[...]`/`List[...]`/`Sequence[...]`,
    `self.items = [...]` in any method of the class, a dataclass field, an
    instance of a class (of the module or of the project) that derives from
    `list` without overriding its searches (`ArrayObject()`, also
    `typing.cast(ArrayObject, x)`), or a
    function of the module that returns a list, or a method of a parameter
    annotated with a class of the module (`codes = await repo.active_codes()`
    with `repo: Repo` or `repo: Annotated[Repo, Depends(...)]`); also
    `course.waitlist` where the parameter is annotated with a class of the
    module (`course: Course`) that keeps a list there, or has a `@property`
    `waitlist` that returns one (rebuilt on every access). A list that the loop itself, or a loop around it,
    grows (`if x not in seen: seen.append(x)`, or `seen = seen + [x]`;
    `explored.append(node)` in the `while` around the `for` that tests it)
    is reported too: that is quadratic in the number of items, and so is
    `if n in visited: return` at the top of a recursive helper that then
    appends `n` (the enclosing function's list, or a parameter annotated as
    a list). So is a list
    the loop both adds to and removes from by value (`if t in self.open:
    self.open.remove(t)` next to `self.open.append(u)`): a set kept as a
    list, which a sliding window (it pops from one end) is not. So is `x in d.values()` on a dict:
    the values are not hashed (`(k, v) in d.items()` looks `k` up, so it is not flagged).

    ## Why is this slow?
    `in` on a list compares `x` with each element in turn, so a loop of `n`
    iterations over a list of `m` elements does `n * m` comparisons. A set
    answers the same question with one hash lookup. Measured (best of 25
    interleaved `timeit` runs on Python 3.11, on this project's shared 2-core
    machine): 1,000 membership tests against a 1,000-element list of strings
    took 8.2 ms; building a set once and testing against it took 0.053 ms (about
    150x faster).

    ## Example
    ```python
    def keep_known(rows):
        known = [name.lower() for name in load_names()]
        return [row for row in rows if row.name in known]
    ```

    ## Use instead
    ```python
    def keep_known(rows):
        known = {name.lower() for name in load_names()}
        return [row for row in rows if row.name in known]
    ```

    ## Fix safety
    A fix is offered only when the list's elements are provably hashable (a
    display of str/bytes/number literals, or a comprehension or `list(...)`
    over such a literal), the list is bound by one statement just before the
    loop in the same block, nothing reads it in between, and nothing in the
    function can change it (it is never passed to a call, stored elsewhere or
    mutated). The fix inserts `items_set = set(items)` before the loop and
    tests against that. It is always **unsafe**: when the tested value is
    unhashable (a list, a dict), `x in a_set` raises `TypeError` where
    `x in a_list` returned `False`, and perflint cannot prove the type of `x`.

    ## Known false positives
    A list that is always tiny, or a loop that runs only a few times, makes
    the scan cheap. List displays with fewer than `min-literal-size` elements
    are not flagged, nor are loops over literal displays or `range(<int
    literal>)` (`for key in ("a", "b", "c"):` runs a number of times fixed
    in the source, so the scans add up to a linear cost, not a quadratic one).
    The rule never fires when the name could be a string (substring test) or
    anything else than a list (bindings that disagree, a parameter without an
    annotation, an `Iterable`), or when the loop rebinds it, passes it to a
    call, or both adds to it and pops from it (a bounded window). A list
    split from a literal (`"a b c".split()`, also `"a,b,c".split(",")`, at
    module level too) is bounded like a display. A list that grows in the loop is reported without
    a fix: keep a set next to it (its order may matter).
    Precision: 8 of 8 findings on the Python 3.11 standard library (601 files,
    without test/, tests/, idlelib/, lib2to3/) judged correct, 2026-11-27;
    also 10 of 10 in this project's installed site-packages (1,860 files)
    and 13 of 13 in Debian's /usr/lib/python3/dist-packages (1,382 files).
    Four earlier stdlib findings in a loop over an eight-element tuple led
    to the literal-loop exemption. Attributes are checked on `self` and on
    annotated parameters only: `cls.export_fields` (apache-superset) is
    class-level configuration sized by a schema. A list grown by an outer
    loop counts only when that loop is a `while` worklist: growth per item
    of a `for` loop (seaborn's plot variables per layer) and `x = x or []`
    optional parameters (four superset exclusion lists) were judged small
    on real code and are not reported. With these limits the 2026-12-07
    changes add no finding on the standard library, ansible-core 2.17.0,
    apache-superset 4.0.1, networkx 3.4.2, seaborn 0.13.2, pvlib 0.11.2,
    pyjanitor 0.31.0, mlxtend 0.23.4 or yfinance 0.2.50 (all 0 new of
    0; the hold-out cases carry the new shapes). The round-2 additions
    (`x = x + [...]` growth, add-and-remove-by-value lists, literal splits
    with a separator; 2026-12-07) change no finding on the standard library
    or on 12 PyPI projects (the above plus sqlglot 25.1.0, datasette
    0.64.6, Faker 25.2.0, pelican 4.9.1).
    Reaching bindings (2026-12-07): a name whose bindings disagree (a
    parameter, a set, `None`) is taken as a list when the binding every path
    to the loop runs last makes one (`rows = [r for r in rows if ...]`,
    `header = list()` under `if header is None:`), unless it is still empty
    when its one comprehension runs; and `seen += [k for k in batch if k not
    in seen]` counts as the growing seen-list. Standard library: +1 finding,
    correct (distutils' `build_py` dedups every package-data glob match
    against a list); real-code hold-out (tablib, petl, agate, html2text,
    sqlparse, django-import-export, django-taggit): +2, both labelled
    positives (tablib `Dataset.subset`, petl `iterdicts`).
    Traversal seen-lists (2026-12-08): a parameter that defaults to `None`
    (given `[]` when it is, also `seen = [] if seen is None else seen`) or to
    `[]`, appended to by the loop and handed down the function's own
    recursive call, is the seen-list of a graph walk and is reported
    (python-docx's package-part walks, 3 of 3 labelled positives). Without
    the recursive hand-down an optional list parameter is not (pandas'
    `process_axes` inserts a few index levels into its `columns`). Standard
    library and this project's site-packages: +0.

    ## Options
    `min-literal-size` (default 8): list displays (and lists split from a
    literal) with fewer elements are not flagged: scanning a handful of
    items costs about what one hash lookup does.
    """

    code = "PF101"
    name = "list-membership-in-loop"
    level = Level.ALGORITHM
    message = "`x in items` scans a list on every iteration; build a set once before the loop"
    weight = 4.0
    triggers = ("in",)
    loop_only = True
    needs = ("in-list", "in-values", ("@self-call", "@in"))
    options = {
        "min-literal-size": Option(
            8, int, "list displays with fewer elements are not flagged"
        ),
    }
    @classmethod
    def needs_in(cls, facts) -> tuple:
        # ``x in cart.skus`` where ``skus`` is a property returning a list: the piece that tests
        # it does not bind it, and the prefilter's text check finds no binding of the name.
        if facts.mentions("property") or facts.mentions("cached_property"):
            return (*cls.needs, "in-attr")
        return cls.needs

    benchmark = Benchmark(
        setup="names = [f'user{i}' for i in range(1000)]\nqueries = [f'user{i}' for i in range(0, 2000, 2)]",
        slow="hits = [q for q in queries if q in names]",
        fast="name_set = set(names)\nhits = [q for q in queries if q in name_set]",
        size="1,000 membership tests against a 1,000-element list",
    )

    valid = [
        # Given an empty list just before the one comprehension that fills it: nothing to scan.
        Valid(
            """
            def first_header(lines, header=None):
                if header is None:
                    header = list()
                    first = next(lines)
                    header += [k for k in first.keys() if k not in header]
                return tuple(header)
            """
        ),
        # The same one-liner on a set, and a filter against a fixed list of reserved names.
        Valid(
            """
            RESERVED = ["id", "pk"]

            def header_of(records):
                seen = set()
                names = []
                for record in records:
                    seen |= {k for k in record if k not in seen}
                    names += [k for k in record if k not in RESERVED]
                return seen, names
            """
        ),
        # Made a list in one branch only: on the other path the parameter (maybe a set) is tested.
        Valid(
            """
            def pick(rows, wanted):
                if isinstance(wanted, str):
                    wanted = [wanted]
                return [r for r in rows if r.name in wanted]
            """
        ),
        # A list first, then a set before the loop: the set is what the loop tests.
        Valid(
            """
            def known(rows, names):
                names = [n.lower() for n in names]
                names = set(names)
                for r in rows:
                    if r.name in names:
                        yield r
            """
        ),
        # A traversal's current path (it pops what it appends), a parameter annotated as a set,
        # and an optional parameter the loop only reads.
        Valid(
            """
            def cycles(node, path=None):
                path = [] if path is None else path
                for child in node.children:
                    if child in path:
                        yield child
                    path.append(child)
                    yield from cycles(child, path)
                    path.pop()

            def walk(node, seen: set | None = None):
                seen = set() if seen is None else seen
                for child in node.children:
                    if child not in seen:
                        seen.add(child)
                        walk(child, seen)

            def pick(rows, allowed=None):
                if allowed is None:
                    allowed = []
                for row in rows:
                    if row.kind in allowed:
                        yield row
            """
        ),
        # A retry-until-free loop: it runs once per collision, not once per item.
        Valid(
            """
            class Slugs:
                def __init__(self):
                    self.taken = []

                def claim(self, base):
                    slug, n = base, 1
                    while slug in self.taken:
                        n += 1
                        slug = f"{base}-{n}"
                    self.taken.append(slug)
                    return slug
            """
        ),
        # A parameter annotated with a class of the module whose attribute is a set.
        Valid(
            """
            from dataclasses import dataclass, field

            @dataclass
            class Course:
                waitlist: set[int] = field(default_factory=set)

            def admit(course: Course, applicants):
                return [a for a in applicants if a not in course.waitlist]
            """
        ),
        # Grown by a `for` loop around the test, a batch per item of another collection
        # (plot layers: judged small on real code); only a `while` worklist counts.
        Valid(
            """
            def variables(layers):
                seen = []
                for layer in layers:
                    for v in layer.columns:
                        if v not in seen:
                            print(v)
                    seen.extend(layer.columns)
            """
        ),
        # Grown once per item of a written-out tuple around the loop: it stays small.
        Valid(
            """
            def f(xs):
                done = []
                for phase in ("parse", "check"):
                    for x in xs:
                        if x in done:
                            print(x)
                    done.append(phase)
            """
        ),
        # A small constant list: scanning three elements is cheap.
        Valid(
            """
            def f(xs):
                allowed = ["a", "b", "c"]
                for x in xs:
                    if x in allowed:
                        print(x)
            """
        ),
        # A tuple constant is not a list.
        Valid(
            """
            def f(xs):
                allowed = ("a", "b", "c", "d", "e")
                for x in xs:
                    if x in allowed:
                        print(x)
            """
        ),
        # A string: `in` is a substring test, not a list scan.
        Valid(
            """
            def f(xs):
                vowels = "aeiou"
                for x in xs:
                    if x in vowels:
                        print(x)
            """
        ),
        # The loop adds to the list and takes from it: a bounded window, not a growing list.
        Valid(
            """
            def f(xs):
                recent = []
                for x in xs:
                    if x in recent:
                        continue
                    recent.append(x)
                    if len(recent) > 5:
                        recent.pop(0)
            """
        ),
        # A list split from a literal is bounded by the source.
        Valid(
            """
            def f(lines):
                ignored = "/health /metrics /favicon.ico".split()
                for line in lines:
                    if line not in ignored:
                        print(line)
            """
        ),
        # The current path of a recursive walk: it pops what it appends, so it holds one
        # branch (cycle detection), not everything seen; and a helper that only reads.
        Valid(
            """
            def has_cycle(graph, root):
                path = []

                def dfs(n):
                    if n in path:
                        return True
                    path.append(n)
                    found = any(dfs(m) for m in graph[n])
                    path.pop()
                    return found

                return dfs(root)

            def keep(items):
                allowed = list(load())

                def check(x):
                    return x in allowed

                return [i for i in items if check(i)]
            """
        ),
        # A module constant split from a literal with a separator is bounded like a display.
        Valid(
            """
            REGIONS = "north,south,east,west".split(",")

            class Router:
                def route(self, rows):
                    return [r for r in rows if r["region"] in REGIONS]
            """
        ),
        # Annotated as a set, or only iterable: no scan to report.
        Valid(
            """
            from typing import Iterable

            def f(xs, wanted: set[str], maybe: Iterable[str]):
                return [x for x in xs if x in wanted or x in maybe]
            """
        ),
        # `in d.items()` looks the key up (ItemsView.__contains__), like `in d`.
        Valid("""
            def changed(pairs, defaults: dict):
                return [(k, v) for k, v in pairs if (k, v) not in defaults.items()]
            """),
        # `in` on the dict itself hashes; `.values()` of something not known to be a dict
        # (a queryset's `.values()`) is left alone.
        Valid(
            """
            def link(accounts: dict[int, str], signups, rows):
                return [s for s in signups if s["id"] in accounts and s in rows.values()]
            """
        ),
        # A property that returns a frozenset.
        Valid(
            """
            class Cart:
                @property
                def skus(self) -> frozenset[str]:
                    return frozenset(ln.sku for ln in self.lines)

            def applicable(cart: Cart, promos):
                return [p for p in promos if p.sku in cart.skus]
            """
        ),
        # An attribute the class keeps as a set.
        Valid(
            """
            class Guard:
                def __init__(self):
                    self.banned = set()

                def check(self, requests):
                    return [r for r in requests if r.ip in self.banned]
            """
        ),
        # A loop over a literal display runs a fixed number of times.
        Valid(
            """
            def f():
                names = [str(i) for i in range(100)]
                for key in ("a", "b", "c"):
                    if key in names:
                        print(key)
            """
        ),
        # A list subclass that keeps an index for its own `in`: no scan.
        Valid(
            """
            class IndexedList(list):
                def __contains__(self, item):
                    return item in self._members

            def dedupe(items):
                seen = IndexedList()
                for item in items:
                    if item not in seen:
                        seen.append(item)
            """
        ),
        # A parameter: its type is unknown.
        Valid(
            """
            def f(xs, allowed):
                for x in xs:
                    if x in allowed:
                        print(x)
            """
        ),
        # Rebound to something that is not a list.
        Valid(
            """
            def f(xs, text):
                allowed = [1, 2, 3, 4]
                if text:
                    allowed = text
                for x in xs:
                    if x in allowed:
                        print(x)
            """
        ),
        # Not in a loop: one scan.
        Valid(
            """
            def f(x):
                allowed = list(range(100))
                return x in allowed
            """
        ),
        # The comprehension's own variable shadows the list name.
        Valid(
            """
            def f(groups, x):
                items = list(range(10))
                return [x in items for items in groups]
            """
        ),
        # The list is passed to a call inside the loop: the callee may change it.
        Valid(
            """
            def f(xs):
                seen = list(range(10))
                for x in xs:
                    if x in seen:
                        update(seen)
            """
        ),
        # Rebuilt on every iteration: a set would cost as much as one scan.
        Valid(
            """
            def f(rows):
                for row in rows:
                    cells = list(row)
                    if "x" in cells:
                        print(row)
            """
        ),
    ]
    invalid = [
        # The seen-list idiom as a comprehension filter: the list collects every batch's new keys.
        Invalid(
            """
            def header_of(records):
                header = []
                for record in records:
                    header += [k for k in record if k not in header]
                return header
            """
        ),
        # A parameter narrowed to a new list before the loop: the list, not the parameter, is tested.
        Invalid(
            """
            def subset(data, rows=None):
                if rows is None:
                    rows = list(range(len(data)))
                rows = [r for r in rows if 0 <= r < len(data)]
                out = []
                for number, row in enumerate(data):
                    if number in rows:
                        out.append(row)
                return out
            """
        ),
        # An optional parameter given a list under `if header is None:`, grown by the loop.
        Invalid(
            """
            def columns(records, header=None):
                if header is None:
                    header = []
                    for record in records:
                        for key in record:
                            if key not in header:
                                header.append(key)
                return header
            """
        ),
        # A class derived from `list` (given by `cast` or built empty), grown by the loop that tests it.
        Invalid(
            """
            from typing import Any, cast

            class ArrayObject(list[Any]):
                pass

            def reattach(form, annotations):
                try:
                    fields = cast(ArrayObject, form["/Fields"])
                except KeyError:
                    fields = ArrayObject()
                for annotation in annotations:
                    if annotation.ref in fields:
                        continue
                    fields.append(annotation.ref)
            """
        ),
        # A service's injected repository (``self.repo = repo``, ``repo: Repo``) returns a list.
        Invalid(
            """
            class CustomerRepo:
                def emails(self) -> list[str]:
                    return []

            class Onboarding:
                def __init__(self, repo: CustomerRepo):
                    self.repo = repo

                def register(self, signups):
                    known = self.repo.emails()
                    return [s for s in signups if s.email not in known]
            """
        ),
        # ``.tolist()`` of a pandas column (or a numpy array) is a plain list.
        Invalid(
            """
            def churned(events, last_week):
                active = events.loc[events["week"] == last_week, "user_id"].tolist()
                return [u for u in events["user_id"].unique() if u not in active]
            """
        ),
        # A parameter annotated with a class of the module whose field is a list.
        Invalid(
            """
            from dataclasses import dataclass, field

            @dataclass
            class Course:
                waitlist: list[int] = field(default_factory=list)

            def admit(course: Course, applicants):
                return [a for a in applicants if a not in course.waitlist]
            """
        ),
        # Grown by the loop around the one that tests it (a breadth-first search).
        Invalid(
            """
            def hops(graph, start):
                frontier = [start]
                explored = []
                while frontier:
                    node = frontier.pop()
                    explored.append(node)
                    for nxt in graph[node]:
                        if nxt not in explored:
                            frontier.append(nxt)
                return explored
            """
        ),
        # An attribute that starts empty but another method grows it.
        Invalid(
            """
            class Guard:
                def __init__(self):
                    self.offenders = []

                def punish(self, ip):
                    self.offenders.append(ip)

                def check(self, requests):
                    return [r for r in requests if r.ip not in self.offenders]
            """
        ),
        # The list's elements are unknown: message only.
        Invalid(
            """
            def f(xs, users):
                names = [u.name for u in users]
                for x in xs:
                    if x in names:
                        print(x)
            """
        ),
        Invalid(
            """
            def f(rows):
                ids = list(range(1000))
                return [r for r in rows if r.id not in ids]
            """
        ),
        # Hashable literals, bound just before the loop: an (unsafe) fix.
        Invalid(
            """
            def f(words):
                stop = ["a", "an", "the", "of", "to", "in", "on", "at"]
                # count the rest
                for w in words:
                    if w not in stop and w in stop[:2]:
                        print(w)
            """,
            fixed="""
            def f(words):
                stop = ["a", "an", "the", "of", "to", "in", "on", "at"]
                # count the rest
                stop_set = set(stop)
                for w in words:
                    if w not in stop_set and w in stop[:2]:
                        print(w)
            """,
            unsafe=True,
        ),
        Invalid(
            """
            def f(rows):
                codes = [c for c in "ABCDEFGH"]
                codes_set = 1
                while rows:
                    row = rows.pop()
                    if row in codes or row[0] in codes:
                        print(row)
            """,
            fixed="""
            def f(rows):
                codes = [c for c in "ABCDEFGH"]
                codes_set = 1
                codes_set_2 = set(codes)
                while rows:
                    row = rows.pop()
                    if row in codes_set_2 or row[0] in codes_set_2:
                        print(row)
            """,
            unsafe=True,
        ),
        # A bigger threshold silences it; a smaller one flags short displays.
        Invalid(
            """
            def f(xs):
                allowed = ["a", "b"]
                for x in xs:
                    if x in allowed:
                        print(x)
            """,
            fixed="""
            def f(xs):
                allowed = ["a", "b"]
                allowed_set = set(allowed)
                for x in xs:
                    if x in allowed_set:
                        print(x)
            """,
            unsafe=True,
            options={"min-literal-size": 2},
        ),
        # A recursive helper that tests and then appends to the enclosing function's list:
        # one scan per call of a list that grows with every call.
        Invalid(
            """
            def reachable(graph, root):
                visited = []

                def dfs(n):
                    if n in visited:
                        return
                    visited.append(n)
                    for m in graph[n]:
                        dfs(m)

                dfs(root)
                return visited
            """
        ),
        Invalid(
            """
            class Tree:
                def ids(self, node, seen: list[int]):
                    if node.id not in seen:
                        seen.append(node.id)
                        for child in node.children:
                            self.ids(child, seen)
            """
        ),
        # The seen-list of a traversal: a new list when the caller passes none (or a `[]`
        # default), appended to by the loop and handed down the recursion.
        Invalid(
            """
            def walk_rels(source, visited=None):
                visited = [] if visited is None else visited
                for rel in source.rels:
                    yield rel
                    if rel.target in visited:
                        continue
                    visited.append(rel.target)
                    yield from walk_rels(rel.target, visited)

            def walk_parts(source, visited=[]):
                for rel in source.rels:
                    if rel.target not in visited:
                        visited.append(rel.target)
                        yield from walk_parts(rel.target, visited)

            class Reader:
                @staticmethod
                def parts(reader, rels, seen: list[str] | None = None):
                    if seen is None:
                        seen = []
                    for rel in rels:
                        if rel.name in seen:
                            continue
                        seen.append(rel.name)
                        yield reader.blob(rel.name)
                        yield from Reader.parts(reader, reader.rels(rel.name), seen)
            """
        ),
        # A property declared as `property(getter, setter)`: the getter returns the list the
        # setter stores, searched for every column of every row.
        Invalid(
            """
            class Table:
                def __init__(self):
                    self._rows = []
                    self._names = None

                def _get_names(self):
                    return self._names

                def _set_names(self, names):
                    self._names = list(names)

                names = property(_get_names, _set_names)

                def project(self, wanted):
                    for row in self._rows:
                        yield [row[i] for i, c in enumerate(wanted) if c in self.names]
            """
        ),
        # Rebound to itself plus one more item: it grows like an `append`.
        Invalid(
            """
            def authors(commits):
                names = []
                for c in commits:
                    if c.author not in names:
                        names = names + [c.author]
                return names
            """
        ),
        # The loop adds items and removes others by value: a set kept as a list, not a
        # bounded window (a window pops from one end).
        Invalid(
            """
            class Tickets:
                def __init__(self, store):
                    self.open_ids = [t.id for t in store]

                def apply(self, events):
                    for kind, tid in events:
                        if kind == "closed" and tid in self.open_ids:
                            self.open_ids.remove(tid)
                        elif kind == "reopened":
                            self.open_ids.append(tid)
            """
        ),
        # The values of a dict are scanned one by one.
        Invalid(
            """
            def link(accounts: dict[int, str], signups):
                return [s for s in signups if s["email"] in accounts.values()]
            """
        ),
        # A list that grows in the loop that tests it: quadratic, and a set cannot simply
        # replace it (the order may matter), so no fix.
        Invalid(
            """
            def f(xs):
                seen = []
                for x in xs:
                    if x not in seen:
                        seen.append(x)
                return seen
            """
        ),
        # A parameter annotated as a list, and a list returned by a function of the module.
        Invalid(
            """
            def load(rows) -> list[str]:
                return [r.name for r in rows]

            def f(ids: list[int], rows, events):
                known = load(rows)
                return [e for e in events if e.id in ids and e.name not in known]
            """
        ),
        # An attribute built as a list in __init__, tested in another method.
        Invalid(
            """
            class Guard:
                def __init__(self, offenders):
                    self.offenders = list(offenders)

                def check(self, requests):
                    for r in requests:
                        if r.ip in self.offenders:
                            yield r
            """
        ),
        # A property that returns a list (rebuilt on every access), read through an annotated
        # parameter; a list returned by a method of an injected repository.
        Invalid(
            """
            from typing import Annotated

            class Cart:
                def __init__(self):
                    self._lines = []

                @property
                def skus(self) -> list[str]:
                    return [ln.sku for ln in self._lines]

            class Repo:
                async def codes(self) -> list[str]:
                    return await fetch_codes()

            def applicable(cart: Cart, promos):
                return [p for p in promos if p.sku in cart.skus]

            async def unknown(lines, repo: Annotated[Repo, Depends(get_repo)]):
                codes = await repo.codes()
                return [ln for ln in lines if ln.sku not in codes]
            """
        ),
        # Module-level code counts too.
        Invalid(
            """
            allowed = [str(i) for i in range(50)]
            for line in open("f"):
                if line.strip() in allowed:
                    print(line)
            """
        ),
    ]

    def visit_Comparison(self, node: cst.Comparison) -> None:
        if not self.context.in_loop:
            self._check_recursive(node)
            return
        loops = self.context.loops
        if len(loops) == 1 and _retry_test(loops[0].node, node):
            return  # ``while slug in taken: slug = f"{base}-{n}"``: runs once per collision
        for target in node.comparisons:
            if not isinstance(target.operator, (cst.In, cst.NotIn)):
                continue
            comparator = target.comparator
            if isinstance(comparator, cst.Name):
                self._check_name(node, comparator)
            elif _is_name_attribute(comparator):
                self._check_attribute(node, comparator)
            elif _is_view_call(comparator):
                self._check_view(node, comparator)

    def _calls_itself(self, function: cst.FunctionDef) -> bool:
        """``_calls_itself`` once per function, not once per comparison in it."""
        memo = self.__dict__.setdefault("_recursion", {})
        known = memo.get(id(function))
        if known is None or known[0] is not function:
            known = memo[id(function)] = (function, _calls_itself(function))
        return known[1]

    def _check_recursive(self, comparison: cst.Comparison) -> None:
        """``if node in visited: return`` at the top of a recursive helper that then does
        ``visited.append(node)``: the list grows by one item per call and every call scans it,
        quadratic like a loop. ``visited`` is the enclosing function's list (a closure) or a
        parameter annotated as a list; a list the function also pops from or removes from is
        the current path (bounded by the depth), not reported."""
        if not any(
            isinstance(target.operator, (cst.In, cst.NotIn)) and isinstance(target.comparator, cst.Name)
            for target in comparison.comparisons
        ):
            return
        function = self.context.function
        node = function.node if function is not None else None
        if not isinstance(node, cst.FunctionDef) or not self._calls_itself(node):
            return
        for target in comparison.comparisons:
            if not isinstance(target.operator, (cst.In, cst.NotIn)) or not isinstance(target.comparator, cst.Name):
                continue
            name = target.comparator.value
            index = self.scope_index()
            if index is None or not self.is_scope_read(index, target.comparator):
                continue
            bindings = index.bindings.get(name, [])
            closure = not bindings and self.context.is_local(name)
            annotated = (
                len(bindings) == 1
                and bindings[0].kind == "param"
                and isinstance(getattr(bindings[0].node, "annotation", None), cst.Annotation)
            )
            if not (closure or annotated):
                continue
            if self.context.kind_of(target.comparator).kind != "list":
                continue
            if _change_per_call(node.body, name) != "grows":
                continue
            test = f"`{_short(comparison.left)} {'not in' if isinstance(target.operator, cst.NotIn) else 'in'} {name}`"
            self.report(
                comparison,
                f"{test} scans a list that grows with every call of the recursive `{node.name.value}`: "
                "quadratic; keep a set of what it holds",
            )
            return

    def _check_name(self, comparison: cst.Comparison, name_node: cst.Name) -> None:
        index = self.scope_index()
        if index is None or not self.is_scope_read(index, name_node):
            return
        name = name_node.value
        inferred = self.context.kind_of(name_node)
        loops = self.context.loops
        reaching = None
        accumulator = False
        if inferred.kind != "list":
            # The bindings disagree (a parameter, a set, ``None``), but the one that reaches
            # the loop makes a new list: ``rows = [r for r in rows if ...]`` before it.
            reaching = reaching_list_binding(self.context, index, name, loops[-1].node) if loops else None
            if reaching is None:
                # ``def walk(node, seen=None): seen = [] if seen is None else seen``, appended
                # to by the loop and handed down the recursion: the seen-list of a traversal.
                accumulator = bool(loops) and self._grown_accumulator(index, name, loops[-1].node)
                if not accumulator:
                    return
        if all(runs_fixed_times(loop.node, self.context.facts, self.context.is_local, self.context.is_literal_local) for loop in loops):
            return
        change = "grows" if accumulator else change_in_loop(index, self.context, name, loops[-1].node)
        if change == "changed" and self._grown_accumulator(index, name, loops[-1].node):
            change, accumulator = "grows", True  # ``def walk(node, seen=[])`` handed down the recursion
        if change == "changed" and (
            _grown_by_concat(index, self.context, name, loops[-1].node)
            or _used_as_set(index, self.context, name, loops[-1].node)
        ):
            change = "grows" if _grown_by_concat(index, self.context, name, loops[-1].node) else "shrinks"
        if change == "changed":
            return
        if change == "unchanged" and _extends_with_new(index, name, comparison, loops):
            change = "grows"  # ``seen += [k for k in row if k not in seen]``: the seen-list, as a filter
        if change == "unchanged":
            change = _outer_change(index, self.context, name, loops)
            if change == "changed":
                change = "unchanged"  # a fresh list per outer iteration, tested in the inner loop
        if change == "unchanged" and reaching is not None and _still_empty(index, self.context, name, reaching, loops[0].node):
            return  # ``header = list()`` then ``header += [k for k in keys if k not in header]``: an empty list
        min_size = self.config["min-literal-size"] if change == "unchanged" else 0
        if inferred.bounded and inferred.size < min_size:
            return
        considered = index.bindings.get(name, [])
        if reaching is not None:
            considered = considered[considered.index(reaching) :]
        if considered and not (
            index.is_plain_local(name) and all(self._is_big_list(b, min_size, inferred.bounded) for b in considered)
        ):
            return
        bindings = index.bindings.get(name, [])
        local = reaching is None and bool(bindings) and all(b.kind in ("assign", "annassign") for b in bindings)
        # Say why it is a list unless the function spells it out (a display, ``list(...)``).
        spelled = local and all(is_list_expr(self.context, b.value) for b in bindings)
        evidence = "" if spelled else inferred.evidence
        if reaching is not None:
            evidence = f"`{name}` is rebound to a new list before the loop"
        if accumulator:
            evidence = f"`{name}` starts as a new list when the caller passes none"
        fix = self._fix(index, name) if change == "unchanged" and local else None
        self.report(comparison, self._message(comparison, name, change, evidence), fix=fix)

    def _grown_accumulator(self, index: ScopeIndex, name: str, loop: cst.CSTNode) -> bool:
        """``name`` is a parameter that defaults to ``None`` (given a new list when it is
        ``None``) or to ``[]``, every other binding makes it a list, and ``loop`` adds to it
        and hands it to the function's own recursive call (the seen-list of a traversal),
        and otherwise only reads it."""
        function = self.context.function
        node = function.node if function is not None else None
        if not isinstance(node, cst.FunctionDef) or not index.is_plain_local(name):
            return False
        bindings = index.bindings[name]
        params = [b for b in bindings if b.kind == "param"]
        if len(params) != 1 or not isinstance(params[0].node, cst.Param):
            return False
        param = params[0].node
        default = param.default
        if param.annotation is not None and not _optional_list_annotation(param.annotation):
            return False  # annotated as something else: believe the annotation
        makes_list = isinstance(default, cst.List) and not default.elements
        if not (makes_list or (isinstance(default, cst.Name) and default.value == "None")):
            return False
        for binding in bindings:
            if binding.kind == "param":
                continue
            if binding.kind == "augassign":
                continue
            if binding.kind not in ("assign", "annassign"):
                return False
            if is_list_value(self.context, binding.value) or _list_unless_passed(binding.value, name, self.context):
                makes_list = True
                continue
            return False
        if not makes_list:
            return False
        grows = recursive = False
        for read in index.reads_inside(name, loop):
            use = use_of(index, self.context, read)
            if use.kind == "augassign" or (use.kind == "method" and use.detail in ("append", "extend", "insert")):
                grows = True
            elif use.kind == "call" and _calls_function(use.node, node.name.value):
                recursive = True  # handed down the recursion, which only adds to it
            elif use.kind in ("in", "pure-call", "iterate", "test") or (
                use.kind == "method" and use.detail in ("count", "index", "copy")
            ):
                continue
            else:
                return False
        return grows and recursive

    def _check_attribute(self, comparison: cst.Comparison, attribute: cst.Attribute) -> None:
        receiver = attribute.value.value  # type: ignore[attr-defined]
        if receiver != "self" and not self._annotated_parameter(receiver):
            return  # ``cls.FIELDS`` and the like: class-level configuration, sized by the schema
        inferred = self.context.kind_of(attribute)
        if inferred.kind != "list":
            return
        loops = self.context.loops
        if all(runs_fixed_times(loop.node, self.context.facts, self.context.is_local, self.context.is_literal_local) for loop in loops):
            return
        change = attribute_change_in_loop(attribute.attr.value, loops[-1].node, receiver)
        if change == "changed" and _attribute_used_as_set(attribute.attr.value, loops[-1].node, receiver):
            change = "shrinks"  # ``if t in self.open: self.open.remove(t)`` and ``self.open.append(u)``: a set kept as a list
        if change == "changed" or (change == "unchanged" and inferred.bounded and inferred.size < self.config["min-literal-size"]):
            return
        name = f"{receiver}.{attribute.attr.value}"
        self.report(comparison, self._message(comparison, name, change, inferred.evidence))

    def _annotated_parameter(self, name: str) -> bool:
        """``name`` is a parameter of the current function, annotated, and never rebound."""
        index = self.scope_index()
        bindings = index.bindings.get(name, []) if index is not None else []
        if len(bindings) != 1 or bindings[0].kind != "param":
            return False
        return isinstance(getattr(bindings[0].node, "annotation", None), cst.Annotation)

    def _check_view(self, comparison: cst.Comparison, call: cst.Call) -> None:
        """``x in d.values()``: a dict's values are not hashed, so the test walks them all."""
        receiver = call.func.value  # type: ignore[attr-defined]
        if self.context.kind_of(receiver).kind not in ("dict", "counter"):
            return
        if all(runs_fixed_times(loop.node, self.context.facts, self.context.is_local, self.context.is_literal_local) for loop in self.context.loops):
            return
        self.report(
            comparison,
            f"`in {code_of(receiver)}.values()` compares with every value of the dict on each iteration;"
            f" build a set (or a reverse dict) of them once before the loop",
        )

    @staticmethod
    def _message(comparison: cst.Comparison, name: str, change: str, evidence: str) -> str:
        left = code_of(comparison.left)
        if len(left) > 30:
            left = "x"
        negated = any(isinstance(target.operator, cst.NotIn) for target in comparison.comparisons)
        test = f"`{left} {'not in' if negated else 'in'} {name}`"
        if change == "grows":
            message = f"{test} scans a list that grows in the loop: quadratic; keep a set of what it holds"
        elif change == "shrinks":
            message = f"{test} scans a list on every iteration; keep a set of what it holds next to it"
        else:
            message = f"{test} scans a list on every iteration; build a set once before the loop"
        return f"{message} ({evidence})" if evidence else message

    def _is_big_list(self, binding: Binding, min_size: int, bounded: bool) -> bool:
        if binding.kind == "param":
            return True  # the inference layer read its annotation or its use
        if binding.kind == "augassign":
            return isinstance(binding.node, cst.AugAssign) and isinstance(binding.node.operator, cst.AddAssign)
        if binding.kind not in ("assign", "annassign"):
            return False
        if not is_list_expr(self.context, binding.value):
            return not bounded  # a call the inference layer knows makes a list (``load() -> list[str]``)
        elements = literal_elements(binding.value)
        return elements is None or len(elements) >= min_size

    # --- the fix --------------------------------------------------------------

    def _fix(self, index: ScopeIndex, name: str) -> Optional[FixSpec]:
        bindings = index.bindings[name]
        if len(bindings) != 1 or not _hashable_elements(bindings[0].value):
            return None
        if self.context.qualified_name(cst.Name("set")) != "builtins.set":
            return None
        binding_statement = index.statement_of(bindings[0].node)
        if binding_statement is None or bindings[0].node not in small_statements(binding_statement):
            return None  # bound inside a compound statement (`if c: items = [...]`)
        place = index.siblings(binding_statement)
        if place is None:
            return None
        statements, position = place
        loop = next(
            (
                statement
                for statement in statements[position + 1 :]
                if isinstance(statement, (cst.For, cst.While))
                and any(active.node is statement for active in self.context.loops)
            ),
            None,
        )
        if loop is None:
            return None
        between = statements[position + 1 : statements.index(loop)]
        if any(index.reads_inside(name, statement) for statement in between):
            return None
        if may_mutate(index, self.context, name, loop):
            return None
        set_name = free_name(index, f"{name}_set", self.context.facts.all_names)
        replacements = {
            read: cst.Name(set_name)
            for read in index.reads_inside(name, loop)
            if use_of(index, self.context, read).kind == "in"
        }
        new_loop = replace_within(loop, replacements).with_changes(leading_lines=())
        assign = cst.SimpleStatementLine(
            body=[
                cst.Assign(
                    targets=[cst.AssignTarget(cst.Name(set_name))],
                    value=cst.Call(cst.Name("set"), args=[cst.Arg(cst.Name(name))]),
                )
            ],
            leading_lines=loop.leading_lines,
        )
        return FixSpec(
            f"Build `{set_name} = set({name})` once before the loop",
            {loop: cst.FlattenSentinel([assign, new_loop])},
            safe=False,
        )


def _retry_test(loop: cst.CSTNode, comparison: cst.Comparison) -> bool:
    """``comparison`` is (part of) the test of the ``while`` loop ``loop``, whose body rebinds
    the value tested: a retry-until-free loop, not a walk over data."""
    if not isinstance(loop, cst.While) or not any(sub is comparison for sub in iter_nodes(loop.test)):
        return False
    return bool(names_used(comparison.left) & bound_names(loop.body))


def _calls_itself(function: cst.FunctionDef) -> bool:
    """The function calls itself (``name(...)``, ``self.name(...)``) in its own body."""
    own = function.name.value
    for sub in iter_own_nodes(function.body):
        if isinstance(sub, cst.Call):
            func = sub.func
            if (isinstance(func, cst.Name) and func.value == own) or (
                isinstance(func, cst.Attribute) and func.attr.value == own and isinstance(func.value, cst.Name)
            ):
                return True
    return False


def _change_per_call(body: cst.CSTNode, name: str) -> str:
    """"grows" when the function's own body only adds to ``name`` (``append``, ``extend``,
    ``insert``) and never rebinds it, pops from it, removes from it or hands it to a call
    other than the function's own recursion."""
    grows = False
    for sub in iter_own_nodes(body):
        if isinstance(sub, cst.Call) and isinstance(sub.func, cst.Attribute) and isinstance(sub.func.value, cst.Name):
            if sub.func.value.value == name:
                method = sub.func.attr.value
                if method in ("append", "extend", "insert"):
                    grows = True
                elif method not in ("count", "index", "copy"):
                    return "changed"
        elif isinstance(sub, (cst.AssignTarget, cst.AugAssign)) and name in names_used(sub.target):
            return "changed"
        elif isinstance(sub, (cst.Del, cst.Global, cst.Nonlocal)) and name in names_used(sub):
            return "changed"
    return "grows" if grows else "unchanged"


def _optional_list_annotation(annotation: cst.Annotation) -> bool:
    """``list[X] | None``, ``Optional[List[X]]``, ``list``: a list when one is passed."""
    node = annotation.annotation
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.BitOr):
        sides = [node.left, node.right]
        if not any(isinstance(side, cst.Name) and side.value == "None" for side in sides):
            return False
        node = next(side for side in sides if not (isinstance(side, cst.Name) and side.value == "None"))
    elif isinstance(node, cst.Subscript) and dotted_name(node.value) in ("Optional", "typing.Optional") and len(node.slice) == 1:
        element = node.slice[0].slice
        if not isinstance(element, cst.Index):
            return False
        node = element.value
    return list_annotation(cst.Annotation(annotation=node))


def _list_unless_passed(value: Optional[cst.BaseExpression], name: str, context) -> bool:
    """``[] if name is None else name`` (or ``name if name is not None else []``, ``name or []``)."""
    if isinstance(value, cst.BooleanOperation) and isinstance(value.operator, cst.Or):
        return isinstance(value.left, cst.Name) and value.left.value == name and is_list_value(context, value.right)
    if not isinstance(value, cst.IfExp):
        return False
    branches = (value.body, value.orelse)
    return any(isinstance(b, cst.Name) and b.value == name for b in branches) and any(
        is_list_value(context, b) for b in branches
    )


def _calls_function(call: cst.CSTNode, function: str) -> bool:
    """``function(...)``, ``self.function(...)`` or ``Cls.function(...)``: a recursive call."""
    if not isinstance(call, cst.Call):
        return False
    func = call.func
    if isinstance(func, cst.Name):
        return func.value == function
    return isinstance(func, cst.Attribute) and func.attr.value == function


def _short(node: cst.BaseExpression) -> str:
    text = code_of(node)
    return text if len(text) <= 30 else "x"


def _grown_by_concat(index: ScopeIndex, context, name: str, loop: cst.CSTNode) -> bool:
    """The loop only rebinds ``name`` as ``name = name + [...]`` (a longer list each time) and
    otherwise only tests it with ``in``: it grows like an ``append``."""
    if name in index.closure_names:
        return False
    rebinds = [b for b in index.bindings.get(name, []) if index.contains(loop, b.node)]
    if not rebinds:
        return False
    for binding in rebinds:
        value = binding.value
        if binding.kind not in ("assign", "annassign") or not isinstance(value, cst.BinaryOperation):
            return False
        if not isinstance(value.operator, cst.Add) or not (isinstance(value.left, cst.Name) and value.left.value == name):
            return False
        if not (is_list_expr(context, value.right) or isinstance(value.right, cst.Name)):
            return False
    for read in index.reads_inside(name, loop):
        use = use_of(index, context, read).kind
        if use not in ("in", "binop"):
            return False
    return True


_SET_LIKE_CHANGES = frozenset({"append", "extend", "insert", "remove"})
_SET_LIKE_READS = frozenset({"count", "index", "copy"})


def _used_as_set(index: ScopeIndex, context, name: str, loop: cst.CSTNode) -> bool:
    """The loop both adds to the list and takes items out of it by value (``remove(x)``, never
    ``pop``): a set kept as a list, whose size the loop does not bound (a sliding window pops)."""
    if name in bound_names(loop) or name in index.closure_names:
        return False
    methods = set()
    for read in index.reads_inside(name, loop):
        use = use_of(index, context, read)
        if use.kind == "method":
            if use.detail not in _SET_LIKE_CHANGES | _SET_LIKE_READS:
                return False
            methods.add(use.detail)
        elif use.kind not in ("in", "compare", "iterate", "subscript", "test"):
            return False
    return "remove" in methods and bool(methods & {"append", "extend", "insert"})


def _attribute_used_as_set(attribute: str, loop: cst.CSTNode, receiver: str) -> bool:
    """``_used_as_set`` for ``receiver.attribute``."""
    if receiver != "self" and receiver in bound_names(loop):
        return False
    methods = set()
    for node in iter_nodes(loop):
        if isinstance(node, (cst.AssignTarget, cst.AnnAssign, cst.AugAssign)) and _is_receiver_attribute(node.target, attribute, receiver):
            return False
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and _is_receiver_attribute(node.func.value, attribute, receiver):
            method = node.func.attr.value
            if method not in _SET_LIKE_CHANGES | _SET_LIKE_READS:
                return False
            methods.add(method)
        elif isinstance(node, cst.Arg) and _is_receiver_attribute(node.value, attribute, receiver):
            return False
    return "remove" in methods and bool(methods & {"append", "extend", "insert"})


def _is_receiver_attribute(node: cst.CSTNode, attribute: str, receiver: str) -> bool:
    return (
        isinstance(node, cst.Attribute)
        and isinstance(node.value, cst.Name)
        and node.value.value == receiver
        and node.attr.value == attribute
    )


def _still_empty(index: ScopeIndex, context, name: str, reaching: Binding, loop: cst.CSTNode) -> bool:
    """The binding that reaches ``loop`` (the outermost loop) makes an empty list (``[]``,
    ``list()``), nothing between the two adds to it, and the loop is that next statement
    or a comprehension in it: the loop tests an empty list."""
    value = reaching.value
    empty = (isinstance(value, cst.List) and not value.elements) or (
        isinstance(value, cst.Call) and not value.args and context.call_name(value) == "builtins.list"
    )
    statement = index.statement_of(reaching.node)
    place = index.siblings(statement) if statement is not None else None
    if not empty or place is None:
        return False
    statements, at = place
    between: list[cst.CSTNode] = []
    while True:  # down through ``if``/``with`` blocks to the statement that holds the loop
        holder = next((k for k in range(at + 1, len(statements)) if index.contains(statements[k], loop)), None)
        if holder is None:
            return False
        between.extend(statements[at + 1 : holder])
        outer = statements[holder]
        if outer is loop or isinstance(outer, cst.SimpleStatementLine):
            break
        if not isinstance(outer, (cst.If, cst.With)) or not isinstance(outer.body, cst.IndentedBlock):
            return False
        if isinstance(outer, cst.If):
            between.append(outer.test)
        statements, at = outer.body.body, -1
    for read in index.reads.get(name, []):
        if not any(index.contains(s, read) for s in between):
            continue
        use = use_of(index, context, read)
        if use.kind not in ("compare", "in", "test", "pure-call") and not (
            use.kind == "method" and use.detail in ("index", "count", "copy")
        ):
            return False
    return True


def _extends_with_new(index: ScopeIndex, name: str, comparison: cst.Comparison, loops) -> bool:
    """``name += [x for x in batch if x not in name]`` (or ``name.extend(...)`` of it) in a loop
    around the comprehension: the list collects the distinct items of every batch, the
    comprehension filter being the ``if x not in seen: seen.append(x)`` idiom written in one
    line, so it grows with the data as that idiom does."""
    if len(loops) < 2:
        return False
    comp = loops[-1].node
    if not isinstance(comp, (cst.ListComp, cst.GeneratorExp)):
        return False
    if not any(isinstance(t.operator, cst.NotIn) for t in comparison.comparisons):
        return False
    if not any(index.contains(test, comparison) for clause in _comp_fors(comp) for test in (i.test for i in clause.ifs)):
        return False
    holder = index.parent(comp)
    if isinstance(holder, cst.Arg):
        call = index.parent(holder)
        return (
            isinstance(call, cst.Call)
            and isinstance(call.func, cst.Attribute)
            and call.func.attr.value == "extend"
            and isinstance(call.func.value, cst.Name)
            and call.func.value.value == name
        )
    return (
        isinstance(holder, cst.AugAssign)
        and isinstance(holder.operator, cst.AddAssign)
        and isinstance(holder.target, cst.Name)
        and holder.target.value == name
    )


def _comp_fors(comp: cst.BaseExpression):
    clause = getattr(comp, "for_in", None)
    while isinstance(clause, cst.CompFor):
        yield clause
        clause = clause.inner_for_in


def _outer_change(index: ScopeIndex, context, name: str, loops) -> str:
    """What the loops around the innermost one do to the list: the first that changes it
    decides (``explored.append(node)`` in a ``while`` around the ``for`` that tests
    ``nxt not in explored``: the list grows with the search, so the test is quadratic).
    Growth counts only in a ``while`` loop (a worklist)."""
    for loop in reversed(loops[:-1]):
        change = change_in_loop(index, context, name, loop.node)
        if change == "grows" and not isinstance(loop.node, cst.While):
            # A ``for`` loop over another collection (plot layers, frames) adds a batch per
            # item: judged small on real code (seaborn); a ``while`` worklist adds what it finds.
            return "unchanged"
        if change != "unchanged":
            return change
    return "unchanged"


def _hashable_elements(value: Optional[cst.BaseExpression]) -> bool:
    """The list's elements are hashable literals (or characters of a string literal)."""
    if value is None:
        return False
    if isinstance(value, cst.List):
        elements = literal_elements(value)
        return elements is not None and all(is_hashable_literal(e) for e in elements)
    if isinstance(value, cst.ListComp):
        comp = value.for_in
        if comp.inner_for_in is not None or not _hashable_iterable(comp.iter):
            return False
        return is_hashable_literal(value.elt) or (
            isinstance(value.elt, cst.Name)
            and isinstance(comp.target, cst.Name)
            and value.elt.value == comp.target.value
        )
    if isinstance(value, cst.Call) and len(value.args) == 1 and not value.args[0].keyword and not value.args[0].star:
        return _hashable_iterable(value.args[0].value)
    return False


def _hashable_iterable(node: cst.BaseExpression) -> bool:
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        return True
    elements = literal_elements(node)
    return elements is not None and all(is_hashable_literal(e) for e in elements)


def _is_view_call(node: cst.BaseExpression) -> bool:
    return (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Attribute)
        and node.func.attr.value == "values"  # `in d.items()` looks the key up: constant time
        and not node.args
    )


def _is_name_attribute(node: cst.BaseExpression) -> bool:
    """``self.items``, or ``course.waitlist`` (the inference layer answers for a parameter
    annotated with a class of the module)."""
    return isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name)
