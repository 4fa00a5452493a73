"""PF305 invariant-call-in-loop."""

from __future__ import annotations

from typing import Optional

import libcst as cst
from perflint.analysis import (
    ScopeAware,
    ScopeIndex,
    iter_nodes,
    runs_fixed_times,
)
from perflint.model import Level
from perflint.rule import Benchmark, FixSpec, Invalid, Rule, Valid
from perflint.rules.caching._catalogue import (
    CATALOGUE,
    COMPREHENSION,
    ENVIRON_PARSE,
    call_needs,
    Entry,
    catalogued,
    collected_generator,
    constant_comprehension,
    constant_expr,
    inside_reported,
    may_spell_catalogued,
    invariant_in_loop,
    key_arguments,
    read_only_result,
    runs_once,
    stdlib_constant_ok,
)


class InvariantCallInLoop(ScopeAware, Rule):
    """
    ## What it does
    Flags a call inside a loop that computes the same value on every
    iteration: a pure, costly function from a catalogue, called with
    arguments that the loop never changes (literals, module constants,
    imported names, and local variables that the loop neither rebinds nor
    mutates). Also a set, dict or list comprehension over a module constant
    (or `set`/`frozenset`/`dict`/`list`/`tuple` of a generator over one),
    rebuilt on every iteration.

    The catalogue, with the cost of one call measured with `timeit` on
    Python 3.11.7 (input in brackets):

    | call | µs per call |
    |---|---|
    | `yaml.safe_load` / `load` / `full_load` (400-byte document) | 1,188 |
    | `json.loads` (400-byte document) | 5.3 |
    | `tomllib.loads` / `tomli.loads` / `toml.loads` (6 lines) | 48.8 |
    | `ast.parse` / `compile()` (60-character expression) | 28.4 / 24.3 |
    | `ast.literal_eval` (3-entry dict literal, shared box) | 8.2 |
    | `xml.etree.ElementTree.fromstring` / `XML` (15 elements) | 16.9 |
    | `lxml.etree.fromstring` / `XML` / `parse` (15 elements) | 13.5 |
    | `lxml.etree.XPath` (4 steps) / `XSLT` (one template) | 3.1 / 9.6 |
    | `jinja2.Template` (3 lines with a loop) / `jinja2.Environment()` | 927 / 2.7 |
    | `datetime.strptime`, `time.strptime` (ISO date) | 7.3 |
    | `str.maketrans` / `bytes.maketrans` (6 entries) | 0.25 |
    | `hashlib.pbkdf2_hmac` (10,000 iterations) / `hashlib.scrypt` (n=2¹⁴) | 1,830 / 50,404 |
    | `numpy.linalg.inv` / `pinv` / `det`, `scipy.linalg.inv` (50×50) | 75 / 112,042 / 21 |
    | `jsonschema.Draft*Validator` (3-property schema) | 4.3 |
    | `jsonschema.validate(x, schema)`: a validator and a schema check per call (only `schema` must be the same) | 3,431 |
    | `pydantic.TypeAdapter(list[Model])` | 49.7 |
    | `markdown.Markdown` (4 extensions) | 147 |
    | `joblib.load` (small model) / `pickle.load(open(...))` | 274 / 48.6 |
    | `json.load(open(...))` (364-byte file) / `tomllib.load` (59-line file), shared box | 49 / 608 |
    | `re.compile` of a pattern *built* from parts (50 joined words) | 30.3 |
    | `int(os.environ.get(...))` (also `float`, `bool`, `json.loads`) | 0.28 |
    | set comprehension over a 120-item module constant | 11.2 |

    `re.compile` with a literal or a named pattern is not in the catalogue:
    `re`'s own cache answers it in 0.23 µs (PF301 and PF304 cover those).
    The script that measured these is `benchmarks/invariant_call_costs.py`.

    ## Why is this slow?
    The call does the same work on every iteration and gets the same
    result. Measured with `timeit` on Python 3.11.7: 1,000 iterations that
    each compiled the same three-line `jinja2.Template` took 927 ms; with the
    template built once before the loop, 8.9 ms (about 100x). With
    `json.loads` of a 400-byte constant the loop took 5.6 ms against 0.3 ms.
    The two cheapest entries (`str.maketrans`, an environment variable
    parsed with `int()`) cost about as much as the loop body they sit in.

    ## Example
    ```python
    def fees(invoices):
        out = []
        for inv in invoices:
            rules = tomllib.loads(RULES_TOML)
            out.append(inv["total"] * rules["late_fee"]["percent"])
        return out
    ```

    ## Use instead
    ```python
    def fees(invoices):
        out = []
        rules = tomllib.loads(RULES_TOML)
        for inv in invoices:
            out.append(inv["total"] * rules["late_fee"]["percent"])
        return out
    ```

    ## Fix safety
    Two fixes, each only when it is provably the same value:

    - **A module constant**, when every argument is a literal or an imported
      name (so the constant can sit right after the imports) and the result
      is never mutated or kept per iteration. Safe for the standard-library
      entries whose literal arguments the linter evaluates without error
      (`json.loads`, `tomllib.loads`, `ast.parse`, `compile`, `strptime`,
      `maketrans`, `ElementTree.fromstring`); unsafe for the others: the call
      then runs at import time, and an error in it raises there.
    - **Hoisting** `name = call(...)` before the loop, when it is a statement
      of the loop body itself (not in a branch), `name` is bound nowhere else
      in the function and not read in the loop before it, and every local
      input is bound before the loop. Unsafe: the call now runs (and may
      raise) even when the loop body never runs.

    A result that is mutated, stored or handed on whole gets no fix (each
    iteration may need its own object: use `copy.deepcopy` of a constant);
    `markdown.Markdown` gets none either (it keeps state between documents:
    reuse it with `reset()`).

    ## Known false positives
    The inputs are checked strictly: a local input counts as unchanged only
    if the loop never rebinds it, calls a method on it, assigns into it or
    passes it to any call, nor does any of these to another name that may
    share its object (`view = m`, `t = m.T`, `for row in m`). An attribute of
    `self` (`self.intrinsics`, `self.stopwords`) counts as unchanged only if the
    loop calls no method on `self`, no changing method on its attributes
    (`self.items.append`; reading ones such as `self.pattern.search` are fine),
    stores nothing into it, hands neither it nor its attributes to a call, and
    has no `await` or `yield` (other code could run between iterations). Not reported:
    loops over a literal display or `range(<literal>)` (bounded), calls that
    run at most once per loop (followed by `return`, `raise` or `break`),
    the sub-microsecond entries (`str.maketrans`, `int(os.environ.get(...))`)
    in a branch taken for some iterations only,
    file-reading entries in `while` loops (polling), and calls spelled
    through an alias (`from json import loads as parse`).

    Judged on the Python 3.11.7 standard library (all of it, tests included) and the sdists of
    sympy 1.12, ansible-core 2.17.0, apache-superset 4.0.1, wagtail 6.1.3, networkx
    3.3, sqlglot 25.1.0, mkdocs 1.6.0, pelican 4.9.1, datasette 0.64.6, nbconvert
    7.16.4, cookiecutter 2.6.0 and Faker 25.2.0 (2026-12-07), reading every finding: no findings. A grep of
    the same code for the catalogued calls found them only with varying
    inputs (a pattern joined from `self.patterns`, a template from a file's
    content) or at module level, which the rule rightly leaves alone; so
    precision on real code is unmeasured (0 of 0) and the evidence is the
    look-alikes above and the dev set (no finding on any `expect-none` line).
    On the same day, also Flask-Admin 1.6.1, ckan 2.11.1, django-allauth
    65.3.0, django-cms 4.1.4, django-import-export 4.3.3, django-redis 5.4.0,
    django-storages 1.14.4, dramatiq 1.17.1, huey 2.5.2, mongoengine 0.29.1,
    rq 2.1.0, apache-airflow-providers-amazon 9.1.0, mlxtend 0.23.4, pvlib
    0.11.2, pyjanitor 0.31.0 and seaborn 0.13.2: no findings, after fixing the
    one bug they showed (Flask-Admin's date filters name their comprehension
    variable `range`; `strptime(range, ...)` was taken for a call on the
    builtin, six false positives).
    On 2026-12-07, after `self` attributes began to count as unchanged, again
    on the standard library and the 49 sdists in the helpers' corpora (the
    lists above plus locust 2.32.0, sentry-sdk 2.19.0, aiogram 3.13.1,
    discord.py 2.4.0, networkx 3.4.2, yfinance 0.2.50 and others): one
    finding, locust's `int(os.getenv(...))` in the `"stop"` branch of a
    worker's message loop (0.28 µs once per stop message: not worth acting
    on), which the branch rule above now leaves alone: 0 findings.
    """

    code = "PF305"
    name = "invariant-call-in-loop"
    level = Level.CACHING
    message = "{call} gives the same result on every iteration ({cost} per call); compute it once before the loop"
    weight = 2.0
    loop_only = True
    needs = (*call_needs(), ("const-comp", "nested-loop"))

    @classmethod
    def may_match(cls, text: str) -> bool:
        return may_spell_catalogued(text)
    benchmark = Benchmark(
        setup=(
            "import jinja2\n"
            "BODY = 'Hello {{ name }}, order {{ number }}:\\n{% for l in lines %} - {{ l }}\\n{% endfor %}'\n"
            "orders = [{'name': f'n{i}', 'number': i, 'lines': ['a', 'b']} for i in range(1000)]\n"
        ),
        slow="out = []\nfor o in orders:\n    out.append(jinja2.Template(BODY).render(**o))\n",
        fast="out = []\nt = jinja2.Template(BODY)\nfor o in orders:\n    out.append(t.render(**o))\n",
        size="1,000 orders, a three-line template",
    )

    valid = [
        # `.date()` of something that is not a pure constructor's result: may read state.
        Valid(
            "HOLIDAYS = ('a', 'b')\ndef f(days, cal):\n    for d in days:\n"
            "        closed = {cal.lookup(h).date() for h in HOLIDAYS}\n        print(d in closed)\n"
        ),
        # The input changes per iteration.
        Valid("import json\ndef f(lines):\n    return [json.loads(line) for line in lines]\n"),
        Valid(
            "from datetime import datetime\ndef f(rows):\n    for row in rows:\n"
            "        d = datetime.strptime(row['d'], '%Y-%m-%d')\n        print(d)\n"
        ),
        Valid(
            "import hashlib, os\ndef f(users):\n    for u in users:\n        salt = os.urandom(16)\n"
            "        print(hashlib.pbkdf2_hmac('sha256', u.pw, salt, 1000))\n"
        ),
        # Rebound, mutated or handed to a call inside the loop.
        Valid(
            "import numpy as np\ndef f(zs, P, Q):\n    for z in zs:\n        K = np.linalg.inv(P)\n"
            "        P = P @ K + Q\n"
        ),
        Valid("import json\ndef f(xs, raw):\n    for x in xs:\n        d = json.loads(raw)\n        raw += x\n"),
        Valid("import json\ndef f(xs, buf):\n    for x in xs:\n        d = json.loads(buf)\n        fill(buf, x)\n"),
        Valid("import ast\ndef f(xs, src):\n    for x in xs:\n        t = ast.parse(src)\n        src.append(x)\n"),
        # Changed through another name that shares its object: an alias, a view, an element.
        Valid(
            "import numpy as np\ndef f(xs, m):\n    view = m\n    for x in xs:\n        view[0] = x\n"
            "        print(np.linalg.inv(m))\n"
        ),
        Valid("import numpy as np\ndef f(xs, m):\n    for x in xs:\n        t = m.T\n        t[0] = x\n        print(np.linalg.inv(m))\n"),
        Valid(
            "import numpy as np\ndef f(xs, m):\n    for x in xs:\n        for row in m:\n            row[0] = x\n"
            "        print(np.linalg.inv(m))\n"
        ),
        # The comprehension's variable shadows a builtin.
        Valid(
            "import datetime\ndef clean(value):\n    return [datetime.datetime.strptime(range, '%Y-%m-%d')\n"
            "            for range in value.split(' to ')]\n"
        ),
        # An attribute of self, when the loop may change the instance: a method call on it,
        # a changing call on one of its attributes, a store, or an await between iterations.
        Valid("import json\nclass A:\n    def f(self, xs):\n        for x in xs:\n            print(json.loads(self.raw), x)\n            self.refresh(x)\n"),
        Valid("import json\nclass A:\n    def f(self, xs):\n        for x in xs:\n            print(json.loads(self.raw), x)\n            self.raw += x\n"),
        Valid("import json\nclass A:\n    def f(self, xs):\n        for x in xs:\n            print(json.loads(self.raw), x)\n            self.parts.append(x)\n"),
        Valid("import json\nclass A:\n    def f(self, xs):\n        for x in xs:\n            print(json.loads(self.raw), x)\n            update(self, x)\n"),
        Valid("import json\nclass A:\n    async def f(self, xs):\n        for x in xs:\n            print(json.loads(self.raw), x)\n            await x.wait()\n"),
        Valid("import json\ndef f(obj, xs):\n    for x in xs:\n        print(json.loads(obj.raw), x)\n        obj.raw = x\n"),
        # A literal re pattern: re's cache makes it cheap (PF301's business).
        # The converted value changes per item; a conversion that takes arguments.
        Valid("import hashlib\ndef f(users):\n    for u in users:\n        print(hashlib.pbkdf2_hmac('sha256', u.pw.encode(), SALT, 9))\n"),
        Valid("import hashlib\ndef f(xs, pw):\n    for x in xs:\n        print(hashlib.pbkdf2_hmac('sha256', pw.encode(x), SALT, 9))\n"),
        Valid("import re\ndef f(xs):\n    for x in xs:\n        print(re.compile(r'\\d+').match(x))\n"),
        # Bounded loops and calls that run once per loop.
        Valid("import json\ndef f():\n    for name in ('a', 'b'):\n        print(json.loads(RAW)[name])\n"),
        Valid("import json\ndef f(xs):\n    for x in xs:\n        if x:\n            return json.loads(RAW)\n"),
        Valid("import json\ndef f(xs):\n    for x in xs:\n        if x:\n            cfg = json.loads(RAW)\n            break\n"),
        # A file-reading call in a polling loop.
        Valid("import joblib\ndef f(path):\n    while True:\n        m = joblib.load(path)\n        serve(m)\n"),
        # Already hoisted; a copy of a parsed template; string.Template only stores its string.
        Valid("import jinja2\nT = jinja2.Template('x')\ndef f(xs):\n    return [T.render(x=x) for x in xs]\n"),
        Valid("import copy\ndef f(xs):\n    for x in xs:\n        root = copy.deepcopy(ROOT)\n        use(root, x)\n"),
        Valid("from string import Template\ndef f(ps):\n    return [Template(SMS).substitute(p) for p in ps]\n"),
        # A comprehension over a per-item or local value, or a literal.
        Valid("def f(xs, words):\n    for x in xs:\n        s = {w.lower() for w in words}\n        print(x in s)\n"),
        Valid("def f(rows):\n    for r in rows:\n        print({k: v for k, v in r.items()})\n"),
        Valid("def f(rows):\n    for r in rows:\n        print({c for c in ('a', 'b') if c in r})\n"),
        # A constructor over a constant, but of the loop's item: not the same every time.
        Valid("from decimal import Decimal\ndef f(rows):\n    for r in rows:\n        print([Decimal(r[k]) for k in FIELDS])\n"),
        # set() of a generator over the loop's own data, or as the loop's iterable (runs once).
        Valid("def f(rows, extra):\n    for r in rows:\n        print(r in set(x.lower() for x in extra))\n"),
        Valid("def f(rows):\n    for r in set(x.lower() for x in NAMES):\n        print(r)\n"),
        # The comprehension reads the loop's variable.
        Valid("def f(rows):\n    for r in rows:\n        print([c for c in COLUMNS if c in r])\n"),
        # A same-named local function.
        Valid("def loads(s):\n    return s\ndef f(xs):\n    for x in xs:\n        print(loads(RAW), x)\n"),
        # pickle.load(f) reads on from the file's position.
        Valid("import pickle\ndef f(fh, n):\n    for i in range(n):\n        print(pickle.load(fh))\n"),
        # A sub-microsecond call in a branch taken for some items only.
        Valid(
            "import os\ndef f(msgs):\n    while True:\n        m = msgs.get()\n        if m == 'stop':\n"
            "            wait = int(os.getenv('EXTRA_WAIT', 0))\n            pause(wait)\n"
        ),
        # jsonschema.validate with a schema that varies per item.
        Valid("import jsonschema\ndef f(items):\n    for it in items:\n        jsonschema.validate(it, it['schema'])\n"),
        # A module name some function declares global: it may be rebound.
        Valid(
            "import json\nRAW = '{}'\ndef reset():\n    global RAW\n    RAW = '[]'\n"
            "def f(xs):\n    for x in xs:\n        print(json.loads(RAW), x)\n"
        ),
    ]
    invalid = [
        # A constant parsed in a loop, the result only read: hoisted into a module constant.
        Invalid(
            """
            import tomllib

            def fees(invoices):
                out = []
                for inv in invoices:
                    rules = tomllib.loads("[fee]\\npercent = 2.5\\n")
                    out.append(inv * rules["fee"]["percent"])
                return out
            """,
            fixed="""
            import tomllib

            _FEES_RULES = tomllib.loads("[fee]\\npercent = 2.5\\n")

            def fees(invoices):
                out = []
                for inv in invoices:
                    rules = _FEES_RULES
                    out.append(inv * rules["fee"]["percent"])
                return out
            """,
        ),
        # A module constant argument defined after the imports: hoisted before the loop (unsafe).
        Invalid(
            """
            from datetime import datetime

            ISO = "%Y-%m-%d"

            def recent(rows):
                kept = []
                for row in rows:
                    start = datetime.strptime("2024-04-01", ISO)
                    if row.booked >= start:
                        kept.append(row)
                return kept
            """,
            fixed="""
            from datetime import datetime

            ISO = "%Y-%m-%d"

            def recent(rows):
                kept = []
                start = datetime.strptime("2024-04-01", ISO)
                for row in rows:
                    if row.booked >= start:
                        kept.append(row)
                return kept
            """,
            unsafe=True,
        ),
        # `ast.literal_eval` of a module constant in a `while` loop; the result is kept: no fix.
        Invalid(
            """
            import ast

            DEFAULTS = "{'colour': 'grey', 'size': 'M'}"

            def options(queue):
                out = []
                while queue:
                    item = queue.pop()
                    out.append((item, ast.literal_eval(DEFAULTS)))
                return out
            """,
        ),
        # A parameter that the loop leaves alone; a mutated result gets no fix.
        Invalid(
            """
            import xml.etree.ElementTree as ET

            def render(invoices, template):
                docs = []
                for inv in invoices:
                    root = ET.fromstring(template)
                    root.find("ID").text = inv["number"]
                    docs.append(ET.tostring(root))
                return docs
            """,
            fixed=None,
        ),
        # Inside an expression, with a nested pure call.
        Invalid(
            """
            import numpy as np

            def whiten(samples, cov):
                rows = []
                for s in samples:
                    rows.append(np.linalg.inv(np.linalg.cholesky(cov)) @ s)
                return rows
            """,
            fixed=None,
        ),
        # A comprehension spelled as set() of a generator over a module constant.
        Invalid(
            """
            ALLOWED = ("Example.com", "Partner.io")

            def accepted(emails):
                return [e for e in emails if e.split("@")[-1] in set(d.lower() for d in ALLOWED)]
            """,
            fixed=None,
        ),
        # jsonschema.validate: the schema decides the cost, the instance may vary. No fix.
        Invalid(
            """
            import jsonschema

            ORDER_SCHEMA = {"type": "object", "required": ["id"]}

            def check(records):
                return [jsonschema.validate(r, ORDER_SCHEMA) for r in records]
            """,
            fixed=None,
        ),
        # An argument-free conversion (`.encode()`) of an attribute of self the loop leaves alone.
        Invalid(
            """
            import hashlib

            class Digest:
                def keys(self, lines):
                    out = []
                    for line in lines:
                        key = hashlib.pbkdf2_hmac("sha256", self.pepper.encode(), b"v1", 50_000)
                        out.append(hashlib.blake2b(line, key=key[:32]).hexdigest())
                    return out
            """,
            fixed="""
            import hashlib

            class Digest:
                def keys(self, lines):
                    out = []
                    key = hashlib.pbkdf2_hmac("sha256", self.pepper.encode(), b"v1", 50_000)
                    for line in lines:
                        out.append(hashlib.blake2b(line, key=key[:32]).hexdigest())
                    return out
            """,
            unsafe=True,
        ),
        # An attribute of self that the loop leaves alone.
        Invalid(
            """
            import numpy as np

            class Camera:
                def rays(self, pixels):
                    out = []
                    for px in pixels:
                        out.append(np.linalg.inv(self.intrinsics) @ px)
                    return out
            """,
            fixed=None,
        ),
        Invalid(
            """
            import jinja2

            BODY = "Hello {{ order.name }}"

            def bodies(orders):
                return [jinja2.Template(BODY).render(order=o) for o in orders]
            """,
            fixed=None,
        ),
        # A pattern string built from constants on every iteration.
        Invalid(
            """
            import re

            BANNED = ["spam", "scam"]

            def clean(comments):
                out = []
                for c in comments:
                    rx = re.compile("|".join(map(re.escape, BANNED)), re.I)
                    out.append(rx.sub("***", c))
                return out
            """,
            fixed="""
            import re

            BANNED = ["spam", "scam"]

            def clean(comments):
                out = []
                rx = re.compile("|".join(map(re.escape, BANNED)), re.I)
                for c in comments:
                    out.append(rx.sub("***", c))
                return out
            """,
            unsafe=True,
        ),
        # A comprehension over a module constant, rebuilt per iteration.
        Invalid(
            """
            COUNTRIES = [{"code": "DE", "vat": 19}, {"code": "FR", "vat": 20}]

            def rates(lines):
                out = []
                for line in lines:
                    by_code = {c["code"]: c["vat"] for c in COUNTRIES}
                    out.append(by_code.get(line["country"], 0))
                return out
            """,
            fixed=None,
        ),
        # The same, parsing each constant with a pure standard-library constructor.
        Invalid(
            """
            from datetime import date
            from decimal import Decimal

            HOLIDAYS = ("2026-01-01", "2026-04-03", "2026-12-25")
            FEES = {"card": "0.30", "wire": "1.50"}

            def charges(payments):
                out = []
                for p in payments:
                    closed = {date.fromisoformat(d) for d in HOLIDAYS}
                    fees = {k: Decimal(v) for k, v in FEES.items()}
                    out.append(fees[p.kind] * (2 if p.day in closed else 1))
                return out
            """,
            fixed=None,
        ),
        # The environment read and parsed for every row.
        Invalid(
            """
            import os

            def prices(rows):
                return [round(r, int(os.environ.get("DECIMALS", "2"))) for r in rows]
            """,
            fixed="""
            import os

            _PRICES_VALUE = int(os.environ.get("DECIMALS", "2"))

            def prices(rows):
                return [round(r, _PRICES_VALUE) for r in rows]
            """,
            unsafe=True,
        ),
        # The holiday dates converted with `.date()` on each parsed constant, rebuilt per day.
        Invalid(
            """
            from datetime import datetime

            HOLIDAYS = ("2026-12-25", "2026-12-26", "2027-01-01")

            def open_days(days):
                out = []
                for d in days:
                    closed = {datetime.strptime(h, "%Y-%m-%d").date() for h in HOLIDAYS}
                    if d not in closed:
                        out.append(d)
                return out
            """,
            fixed=None,
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        context = self.context
        if not context.in_loop:
            return
        generator = collected_generator(context, node)
        if generator is not None:
            if constant_comprehension(context, generator):
                self._check(node, "comprehension", COMPREHENSION, context.loops[-1])
            return
        found = catalogued(context, node)
        if found is None:
            return
        qualified, entry = found
        self._check(node, qualified, entry, context.loops[-1])

    def visit_SetComp(self, node: cst.SetComp) -> None:
        self._check_comprehension(node)

    def visit_DictComp(self, node: cst.DictComp) -> None:
        self._check_comprehension(node)

    def visit_ListComp(self, node: cst.ListComp) -> None:
        self._check_comprehension(node)

    def _check_comprehension(self, node: cst.CSTNode) -> None:
        loops = self.context.loops
        # The context already counts the comprehension itself as the innermost loop.
        if len(loops) < 2 or loops[-1].node is not node:
            return
        if not constant_comprehension(self.context, node):
            return
        self._check(node, "comprehension", COMPREHENSION, loops[-2])

    def _check(self, node: cst.CSTNode, qualified: str, entry: Entry, loop) -> None:
        context = self.context
        loop_node = loop.node
        if context.scope.kind != "function" or runs_fixed_times(loop_node):
            return
        if entry.reads_file and loop.kind == "while":
            return
        index = self.scope_index()
        if index is None:
            return
        if isinstance(node, cst.Call) and qualified != "comprehension":
            args = key_arguments(entry, node)
            if args is None or not all(invariant_in_loop(context, index, loop_node, arg, node) for arg in args):
                return
        if runs_once(index, node, loop_node):
            return
        if entry.cost_us < 1 and _in_branch(index, node, loop_node):
            return  # a sub-microsecond call that runs only for some items: not worth a finding
        if inside_reported(index, node, self.__dict__.setdefault("_reported", set())):
            return
        self._reported.add(id(node))
        label = _label(qualified, entry)
        message = self.message.format(call=label, cost=_cost(entry))
        self.report(node, message, fix=self._fix(index, node, qualified, entry, loop_node))

    # --- fixes -------------------------------------------------------------------

    def _fix(self, index: ScopeIndex, node: cst.CSTNode, qualified: str, entry: Entry, loop_node) -> Optional[FixSpec]:
        if not isinstance(node, cst.Call) or qualified in ("markdown.Markdown", "comprehension") or entry.key_args:
            return None
        context = self.context
        target = _assigned_name(index, node)
        if entry.fresh and not read_only_result(index, context, node, target):
            return None
        if all(constant_expr(context, arg.value, early_only=True) for arg in node.args):
            return self._constant_fix(node, qualified, entry, target)
        return self._hoist_fix(index, node, target, loop_node)

    def _constant_fix(self, node: cst.Call, qualified: str, entry: Entry, target: Optional[str]) -> Optional[FixSpec]:
        context = self.context
        base = "_" + "_".join(p for p in (_top_name(context), (target or "VALUE").lstrip("_")) if p).upper()
        name = context.facts.unused_name(base)
        while context.is_local(name):
            name = context.facts.unused_name(base)
        code = cst.Module([]).code_for_node(node)
        if "\n" in code:
            return None
        safe = entry.stdlib and qualified in CATALOGUE and stdlib_constant_ok(code, context)
        return FixSpec(
            f"Compute it once as module constant `{name}`",
            {node: cst.Name(name)},
            safe=safe,
            constants=(f"{name} = {code}",),
        )

    def _hoist_fix(self, index: ScopeIndex, node: cst.Call, target: Optional[str], loop_node) -> Optional[FixSpec]:
        """``name = call(...)`` as a statement of the loop body moves before the loop."""
        if target is None or not isinstance(loop_node, (cst.For, cst.While)):
            return None
        assign = index.parent(node)
        line = index.parent(assign)
        if not (isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1):
            return None
        body = loop_node.body
        if not isinstance(body, cst.IndentedBlock) or line not in body.body:
            return None
        bindings = index.bindings.get(target, [])
        if len(bindings) != 1 or bindings[0].node is not assign or target in index.closure_names:
            return None
        if target in index.declared or index.reads_dynamically:
            return None
        position = list(body.body).index(line)
        for earlier in body.body[:position]:
            if any(isinstance(n, cst.Name) and n.value == target for n in iter_nodes(earlier)):
                return None
        if isinstance(loop_node, cst.While) and any(
            isinstance(n, cst.Name) and n.value == target for n in iter_nodes(loop_node.test)
        ):
            return None
        holder = index.parent(loop_node)
        if not isinstance(holder, cst.IndentedBlock):
            return None
        # Every local input must be bound before the loop starts.
        for name_node in (n for arg in node.args for n in iter_nodes(arg.value) if isinstance(n, cst.Name)):
            if not self.context.is_local(name_node.value):
                continue
            if not _bound_before(index, name_node.value, loop_node):
                return None
        new_body = body.with_changes(body=[s for s in body.body if s is not line])
        if not new_body.body:
            return None
        moved = line.with_changes(leading_lines=loop_node.leading_lines)
        new_loop = loop_node.with_changes(body=new_body, leading_lines=())
        return FixSpec(
            f"Compute `{target}` once before the loop",
            {loop_node: cst.FlattenSentinel([moved, new_loop])},
            safe=False,
        )


def _bound_before(index: ScopeIndex, name: str, loop_node: cst.CSTNode) -> bool:
    """A parameter, or a name whose every binding is outside the loop and some binding is
    in a statement that precedes the loop in the function's top-level block or the loop's."""
    bindings = index.bindings.get(name, [])
    if not bindings or any(index.contains(loop_node, b.node) for b in bindings):
        return False
    if any(b.kind == "param" for b in bindings):
        return True
    place = index.siblings(loop_node)
    if place is None:
        return False
    statements, position = place
    before = statements[:position]
    return any(any(index.contains(s, b.node) for s in before) for b in bindings)


def _assigned_name(index: ScopeIndex, node: cst.CSTNode) -> Optional[str]:
    """``x`` for ``x = <node>``."""
    parent = index.parent(node)
    if isinstance(parent, cst.Assign) and parent.value is node and len(parent.targets) == 1:
        target = parent.targets[0].target
        if isinstance(target, cst.Name):
            return target.value
    return None


def _top_name(context) -> str:
    scopes = context.scopes
    if len(scopes) > 1 and scopes[1].kind in ("function", "class"):
        return scopes[1].name.strip("_")
    return ""


def _in_branch(index: ScopeIndex, node: cst.CSTNode, loop_node: cst.CSTNode) -> bool:
    """Does ``node`` run only for some iterations: in an ``if``/``else`` arm, an ``except``
    handler, a conditional expression's arm or the right of ``and``/``or`` inside the loop?"""
    current = node
    for ancestor in index.ancestors(node):
        if ancestor is loop_node:
            return False
        if isinstance(ancestor, (cst.If, cst.Else, cst.ExceptHandler, cst.ExceptStarHandler, cst.Match)):
            if not (isinstance(ancestor, cst.If) and current is ancestor.test):
                return True
        if isinstance(ancestor, cst.IfExp) and current is not ancestor.test:
            return True
        if isinstance(ancestor, cst.BooleanOperation) and current is ancestor.right:
            return True
        current = ancestor
    return False


def _label(qualified: str, entry: Entry) -> str:
    if qualified == "comprehension":
        return "This comprehension over a module constant"
    if entry is ENVIRON_PARSE:
        return f"`{_short(qualified)}(os.environ.get(...))`"
    if entry.label:
        return entry.label
    return f"`{_short(qualified)}(...)`"


def _short(qualified: str) -> str:
    parts = qualified.split(".")
    if parts[0] == "builtins":
        parts = parts[1:]
    return ".".join(parts[-2:]) if len(parts) > 1 else parts[0]


def _cost(entry: Entry) -> str:
    cost = entry.cost_us
    if cost >= 1000:
        return f"{cost / 1000:,.1f} ms"
    return f"{cost:,.1f} µs" if cost >= 1 else f"{cost:.2f} µs"
