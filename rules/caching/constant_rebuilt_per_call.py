"""PF306 constant-rebuilt-per-call."""

from __future__ import annotations

import ast
from typing import Optional

import libcst as cst
from perflint.analysis import ScopeAware, ScopeIndex, iter_nodes
from perflint.cst_walk import children
from perflint.blocks import nested_statements
from perflint.model import Level
from perflint.rule import Benchmark, FixSpec, Invalid, Rule, Valid
from perflint.rules.caching._catalogue import (
    CATALOGUE,
    COMPREHENSION,
    call_needs,
    Entry,
    catalogued,
    collected_generator,
    constant_comprehension,
    constant_expr,
    inside_reported,
    invariant_in_lambda,
    key_arguments,
    may_spell_catalogued,
    read_only_result,
    stdlib_constant_ok,
)
from perflint.rules.caching.invariant_call_in_loop import _assigned_name, _cost, _label, _top_name

CACHE_DECORATORS = ("functools.cache", "functools.lru_cache", "functools.cached_property")


class ConstantRebuiltPerCall(ScopeAware, Rule):
    """
    ## What it does
    Flags, in a function that runs again and again, a call from PF305's
    catalogue (parsers, template and schema compilers, key derivation,
    matrix inverses, model loading...) whose arguments are all literals,
    module constants or imported names (or a local bound once to such an
    expression and never changed: `raw = os.environ.get("FLAGS", "{}")`,
    then `json.loads(raw)`; a str-valued local such as
    `domain = r"[{}]+".format(safe)` even when handed to calls), or, in a
    method, `self.NAME` where the class body binds `NAME` once to a literal
    that no code of the module assigns again; and a set/dict/list comprehension over a
    module constant: the same value is rebuilt on every call. For
    `jsonschema.validate(instance, schema)` only the schema must be the same.
    `set(x.lower() for x in CONST)` and its `frozenset`/`dict`/`list`/`tuple`
    spellings count as comprehensions.

    A function runs again and again (`context.runs_repeatedly()`, from
    `perflint.repetition`; the reason is in the message) when it is a
    request handler (a Flask/FastAPI route, a DRF or Django view: a
    `def f(request, ...)` in a file that imports Django, an aiohttp route), a
    method of a class-based view, a FastAPI `Depends(...)` target, a Celery
    task, an AWS Lambda handler `def handler(event, context)`, a Django
    middleware's `__call__`, a DRF `SerializerMethodField` getter (run per
    serialized object), a Django signal receiver, a pydantic or marshmallow
    validator, SQLAlchemy's `@validates`, a template filter or tag, a
    `ModelAdmin` method named in `list_display` (run per listed row), a gRPC
    servicer's RPC method, a message consumer's `on_message_callback`, a
    `@property` getter (it runs on every
    attribute access; `cached_property` runs once per instance and is not
    flagged), or a function or method that the same file calls inside a
    loop or comprehension (not one over a few written-out values), or inside
    a `while` loop, or hands over per item (`map`, `key=`, `df.apply(f)`,
    `s.map(f)`, `pool.submit(f, x)` in a loop; an instance of a class of the
    module handed to `map` runs its `__call__`), or that one of these calls
    (also through a method of an instance built at the caller's top, or of
    the items a `-> Iterator[Item]` function yields). A `__contains__`,
    `__getitem__` or `__iter__` method counts too: it runs on every `in`
    test, `obj[key]` lookup or pass over the object. So does a view
    decorator's wrapper (a nested def under `@functools.wraps(...)` that
    reads Flask's `request`, `g` or `session`, or takes `request` first in a
    web module): it runs on every request of the views it decorates, and
    the variables it closes over (the decorator's arguments, such as its
    `schema`) are the same on every call unless it changes them or declares
    them `nonlocal`; such a finding says to build the value once in the
    enclosing function and offers no fix.

    A lambda handed over to run per item (`s.map(lambda v: ...)`,
    `df.apply(lambda r: ..., axis=1)`, `sorted(xs, key=lambda x: ...)`,
    `map`/`filter`) is checked too: a catalogued call in its body whose
    inputs do not involve the lambda's parameters (module constants, or
    locals of the enclosing function, which waits for the call) gives the
    same result for every item. Calls in a conditional arm of the lambda are
    left alone.

    A call in one arm of an `if`/`elif`/`else` or a `match` counts too, when
    the arm's statement returns what it builds or binds it to a local, and
    the arm stores nothing else and raises nothing: every call that takes
    the arm rebuilds it. A lazily filled cache (`if r is None: r = ...;
    cache[k] = r`, `self._r = ...`) and an error arm stay silent.

    ## Why is this slow?
    Each call pays for work whose result never changes. Measured with
    `timeit` on Python 3.11.7: a handler that built
    `TypeAdapter(list[Model])` before validating a 10-item payload took
    63 µs a call; with the adapter a module constant, 14 µs (4.5x).
    Per-entry costs are in PF305's table, from 0.25 µs (`str.maketrans`)
    to 274 µs (`joblib.load` of a small model) and 927 µs (`jinja2.Template`).

    ## Example
    ```python
    @app.post("/predict")
    def predict():
        model = joblib.load(MODEL_PATH)
        return model.predict(features(request))
    ```

    ## Use instead
    ```python
    MODEL = joblib.load(MODEL_PATH)

    @app.post("/predict")
    def predict():
        return MODEL.predict(features(request))
    ```

    ## Fix safety
    A module constant is offered when every argument is a literal or an
    imported name (so the constant can sit right after the imports) and the
    result is only read. Safe for the standard-library parsers whose
    literal arguments the linter evaluates without error; otherwise unsafe:
    the call moves to import time (an error raises at import, an environment
    variable is read once). A result that is mutated, stored or returned, a
    call with module constants defined later in the file, and
    `markdown.Markdown` (stateful) get no fix.

    ## Known false positives
    A function that the file calls in a loop may still run rarely (a loop
    over a short list); a handler may be hit rarely. Not reported: calls in
    a branch (`if`, conditional expression, `except`), in functions that
    hold a `global` statement (lazy initialisation), in cached functions
    (`@cache`, `@lru_cache`, a `memoize`), and in nested functions other
    than tasks and handlers known by their own decorator or signature
    and view decorators' wrappers (`@wraps` plus a read of the request).

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
    On 2026-12-07 (with DRF getters, locals bound to constants and
    `jsonschema.validate`), again on the standard library and the 49 sdists
    in the helpers' corpora (plus locust 2.32.0, sentry-sdk 2.19.0, aiogram
    3.13.1, discord.py 2.4.0 and others): 2 findings, 1 correct (sentry-sdk's
    `_sanitize_tag_value` builds the same `str.maketrans` table for every
    tag of every metric it encodes); the other was locust's
    `json.loads(request.data)` in a Flask route, where Flask's `request`
    proxy was taken for a constant import. Request proxies (`flask.request`,
    `g`, `session`, Quart's and Bottle's) no longer count as constants: 1 of 1.
    On 2026-12-08, with a `__contains__` counted as running per lookup and
    dict comprehensions over constants as constant arguments: the standard
    library and 28 sdists of the helpers' corpora (sympy, networkx,
    superset, wagtail, DRF, celery, django-oscar, litestar, scrapy and
    others), plus the 1,375 files of all the helpers' corpora that define
    `__contains__`, call `maketrans` or annotate an iterator return: no
    finding gained or lost (sentry-sdk's `maketrans`, correct, both times).
    """

    code = "PF306"
    name = "constant-rebuilt-per-call"
    level = Level.CACHING
    message = "{call} is rebuilt with the same inputs on every call of this {why} ({cost} per call); build it once at module level"
    weight = 1.5
    needs = (*call_needs("@"), "@const-comp")

    @classmethod
    def may_match(cls, text: str) -> bool:
        return may_spell_catalogued(text)

    @classmethod
    def may_match_piece(cls, nodes: tuple, facts, path: str) -> bool:
        # Only a function that runs repeatedly is reported: one of the piece's defs must be one.
        repeated = {name for _, name in facts.repetition(path)}
        defs = [n for n in nested_statements(list(nodes)) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
        return (
            any(node.name in repeated or node.name in ELEMENT_PROTOCOL for node in defs)
            or any(_hands_lambda(node) for node in defs)
        )
    benchmark = Benchmark(
        setup=(
            "from pydantic import BaseModel, TypeAdapter\n"
            "class Reading(BaseModel):\n    sensor: str\n    value: float\n"
            "RAW = b'[' + b','.join(b'{\"sensor\": \"s%d\", \"value\": %d.5}' % (i, i) for i in range(10)) + b']'\n"
            "READINGS = TypeAdapter(list[Reading])\n"
            "def parse(raw):\n    return TypeAdapter(list[Reading]).validate_json(raw)\n"
            "def parse_shared(raw):\n    return READINGS.validate_json(raw)\n"
        ),
        slow="parse(RAW)",
        fast="parse_shared(RAW)",
        size="a 10-item JSON payload per call",
    )

    valid = [
        # ``__getitem__`` / ``__iter__`` over what the instance was given, or parsed once at import.
        Valid(
            "import tomllib\nclass Limits:\n    def __init__(self, text):\n        self.text = text\n"
            "    def __getitem__(self, key):\n        return tomllib.loads(self.text)[key]\n"
        ),
        Valid(
            "import yaml\n_CODES = yaml.safe_load('- DE')\nclass Countries:\n"
            "    def __iter__(self):\n        return iter(_CODES)\n"
        ),
        # A ``__contains__`` over the instance's own names, or over a set built once at import.
        Valid(
            "class Blocklist:\n    def __init__(self, names):\n        self.names = names\n"
            "    def __contains__(self, name):\n        return name.casefold() in {n.casefold() for n in self.names}\n"
        ),
        Valid(
            "BLOCKED = ('admin', 'root')\n_BLOCKED = frozenset(b.casefold() for b in BLOCKED)\n"
            "class Blocklist:\n    def __contains__(self, name):\n        return name.casefold() in _BLOCKED\n"
        ),
        # ``self.NAME`` that the instance may change (set in ``__init__``, or assigned elsewhere).
        Valid(
            "import re\nclass Renderer:\n    def __init__(self, protocols):\n        self.protocols = protocols\n"
            "    @property\n    def safe_href(self):\n        return re.compile('^(?:{})'.format(self.protocols))\n"
        ),
        Valid(
            "import re\nclass Renderer:\n    protocols = 'https?://'\n"
            "    @property\n    def safe_href(self):\n        return re.compile('^(?:{})'.format(self.protocols))\n"
            "def configure(renderer, extra):\n    renderer.protocols = extra\n"
        ),
        # A key read from the file named by the request's argument: a per-call input.
        Valid(
            "from cryptography.hazmat.primitives import serialization\n"
            "@app.post('/sign')\ndef sign_with(path):\n    with open(path, 'rb') as f:\n"
            "        return serialization.load_pem_private_key(f.read(), password=None)\n"
        ),
        # Not a hot function.
        Valid("import json\ndef load_defaults():\n    return json.loads('{\"a\": 1}')\n"),
        # The input comes from the call.
        Valid(
            "from flask import Flask\napp = Flask(__name__)\n@app.get('/x')\ndef view(slug):\n"
            "    import json\n    return json.loads(slug)\n"
        ),
        # Lazy initialisation; a cached function; a branch.
        Valid(
            "import joblib\n_M = None\n@app.post('/p')\ndef predict():\n    global _M\n"
            "    _M = joblib.load(PATH)\n    return _M\n"
        ),
        Valid(
            "import functools, json\n@functools.cache\ndef rules():\n    return json.loads(RAW)\n"
            "def f(xs):\n    return [rules() for x in xs]\n"
        ),
        Valid(
            "import json\ndef rules(x):\n    if x:\n        return json.loads(RAW)\n    return {}\n"
            "def f(xs):\n    return [rules(x) for x in xs]\n"
        ),
        # Already a module constant.
        Valid(
            "from pydantic import TypeAdapter\nA = TypeAdapter(list[int])\ndef parse(raw):\n"
            "    return A.validate_json(raw)\ndef f(xs):\n    return [parse(x) for x in xs]\n"
        ),
        # re's cache: a literal pattern once per call is fine.
        Valid("import re\ndef clean(s):\n    return re.compile(r'\\s+').sub(' ', s)\ndef f(xs):\n    return [clean(x) for x in xs]\n"),
        # A comprehension over a parameter.
        Valid("def tok(text, stop):\n    s = {w.lower() for w in stop}\n    return s\ndef f(xs):\n    return [tok(x, S) for x in xs]\n"),
        # A test function, even in a file that is not named like a test module, runs once.
        Valid(
            "import json\ndef test_rules(x):\n    return json.loads('{\"a\": 1}')\n"
            "def run_all(xs):\n    for x in xs:\n        test_rules(x)\n"
        ),
        # Called in a loop over a literal tuple only.
        Valid("import json\ndef rules(k):\n    return json.loads(RAW)[k]\ndef f():\n    return [rules(k) for k in ('a', 'b')]\n"),
        # `request` as a first parameter, but no Django in the file.
        Valid("import os\ndef sign(request):\n    return request.body + os.environ.get('KEY', 'k').encode()\n"),
        Valid("import json\ndef build(request):\n    return json.loads(RAW)\n"),
        # A cached property runs once per instance; a property that parses its own input.
        Valid(
            "import functools, json\nclass A:\n    @functools.cached_property\n    def rules(self):\n"
            "        return json.loads(RAW)\n"
        ),
        Valid("import json\nclass A:\n    @property\n    def rules(self):\n        return json.loads(self.raw)\n"),
        # Under `if __name__ == '__main__'`.
        Valid(
            "import json\ndef rules(k):\n    return json.loads(RAW)[k]\nif __name__ == '__main__':\n"
            "    for k in keys:\n        rules(k)\n"
        ),
        # A local that changes after it is bound, or is handed to a call first.
        Valid(
            "import json, os\nfrom celery import shared_task\n@shared_task\n"
            "def flags(extra):\n    raw = os.environ.get('FLAGS', '{}')\n    raw += extra\n    return json.loads(raw)\n"
        ),
        Valid(
            "import json, os\nfrom celery import shared_task\n@shared_task\n"
            "def flags(extra):\n    raw = os.environ.get('FLAGS', '{}')\n    fill(raw, extra)\n    return json.loads(raw)\n"
        ),
        # Flask's request proxy: a different body on every request.
        Valid(
            "import json\nfrom flask import Flask, request\napp = Flask(__name__)\n"
            "@app.post('/user')\ndef update():\n    return json.loads(request.data)\n"
        ),
        # A pattern joined from the caller's words, or from a generator over the item.
        Valid(
            "import re\ndef mask(text, words):\n    rx = re.compile('|'.join(re.escape(w) for w in words))\n"
            "    return rx.sub('*', text)\ndef f(xs):\n    return [mask(x, W) for x in xs]\n"
        ),
        Valid(
            "import re\ndef mask(text):\n    rx = re.compile('|'.join(re.escape(w) for w in text.split()))\n"
            "    return rx.sub('*', text)\ndef f(xs):\n    return [mask(x) for x in xs]\n"
        ),
        # A lower-case name imported from a sibling module may be anything.
        Valid(
            "import re\nfrom .state import words\ndef mask(text):\n    rx = re.compile('|'.join(re.escape(w) for w in words))\n"
            "    return rx.sub('*', text)\ndef f(xs):\n    return [mask(x) for x in xs]\n"
        ),
        # Parsed in a comprehension's element: per item, from the item.
        Valid(
            "import json\ndef ids(batch):\n    return [json.loads(raw)['id'] for raw in batch]\n"
            "def f(batches):\n    return [ids(b) for b in batches]\n"
        ),
        # A lambda handed over per item that parses its own item, or a group's own data; a
        # sort over a few written-out values; a parse in one arm of a conditional expression.
        Valid(
            "from datetime import datetime\ndef f(df):\n"
            "    return df['d'].map(lambda s: datetime.strptime(s, '%Y-%m-%d'))\n"
        ),
        Valid("import numpy as np\ndef f(df):\n    return df.groupby('k').apply(lambda g: np.linalg.inv(g.cov()))\n"),
        Valid("import json\ndef f():\n    return sorted(('a', 'b'), key=lambda k: json.loads(RAW)[k])\n"),
        Valid("import json\ndef f(xs):\n    return list(map(lambda x: json.loads(RAW) if x is None else x, xs))\n"),
        # The lambda changes what it reads; Pool.apply runs its callable once.
        Valid("import json\ndef f(xs, buf):\n    return list(map(lambda x: (json.loads(buf), buf.append(x)), xs))\n"),
        Valid("import json\ndef f(pool):\n    return pool.apply(lambda a: json.loads(RAW), (1,))\n"),
        # A decorator's wrapper that does not read the request may wrap anything; one that changes
        # the schema it closes over does not validate against the same object each time.
        Valid(
            "from functools import wraps\nfrom jsonschema import validate\ndef checked(schema):\n"
            "    def deco(fn):\n        @wraps(fn)\n        def wrapper(*args):\n"
            "            validate(args[0], schema)\n            return fn(*args)\n        return wrapper\n    return deco\n"
        ),
        Valid(
            "from functools import wraps\nfrom flask import request\nfrom jsonschema import validate\n"
            "def expects(schema):\n    def deco(view):\n        @wraps(view)\n        def wrapper(*args):\n"
            "            schema.setdefault('type', 'object')\n            validate(request.get_json(), schema)\n"
            "            return view(*args)\n        return wrapper\n    return deco\n"
        ),
        # A wrapper made in a method reads the method's object, whose attributes may change.
        Valid(
            "from functools import wraps\nfrom flask import request\nimport json\nclass Api:\n"
            "    def guard(self, view):\n        @wraps(view)\n        def wrapper(*args):\n"
            "            rules = json.loads(self.raw_rules)\n            return view(request, rules, *args)\n"
            "        return wrapper\n"
        ),
        # A local parsed from the caller's text; an environment default read from the caller.
        Valid(
            "import ast\ndef check(src, x):\n    tree = ast.parse(src, mode='eval')\n"
            "    return eval(compile(tree, '<c>', 'eval'), {}, {'x': x})\ndef f(xs):\n    return [check(S, x) for x in xs]\n"
        ),
        Valid(
            "import os\nfrom celery import shared_task\n@shared_task\ndef check(limits, m):\n"
            "    return len(m) <= int(os.environ.get('MAX', limits['max']))\n"
        ),
        # Arms that run once (a lazily filled cache), on errors, or that keep what they build.
        Valid(
            "import json\n_C = {}\ndef rates(k):\n    r = _C.get(k)\n    if r is None:\n        r = json.loads(RAW)\n"
            "        _C[k] = r\n    return r\ndef f(xs):\n    return [rates(x) for x in xs]\n"
        ),
        Valid(
            "import json\ndef rates(k):\n    if k not in KNOWN:\n        detail = json.loads(RAW)\n"
            "        raise KeyError(detail)\n    return k\ndef f(xs):\n    return [rates(x) for x in xs]\n"
        ),
        Valid(
            "import json\nclass A:\n    def rates(self, k):\n        if self._r is None:\n"
            "            self._r = json.loads(RAW)\n        return self._r[k]\n"
            "def f(a: A, xs):\n    return [a.rates(x) for x in xs]\n"
        ),
        # jsonschema.validate with the caller's schema.
        Valid(
            "import jsonschema\nfrom celery import shared_task\n@shared_task\n"
            "def check(doc, schema):\n    jsonschema.validate(doc, schema)\n"
        ),
    ]
    invalid = [
        # ``__getitem__`` and ``__iter__`` run on every lookup and every pass.
        Invalid(
            """
            import tomllib

            LIMITS = "review = 5000\\nblock = 50000\\n"

            class Limits:
                def __getitem__(self, key):
                    return tomllib.loads(LIMITS)[key]
            """,
            fixed=None,
        ),
        Invalid(
            """
            import yaml

            COUNTRIES = "- DE\\n- FR\\n- NL\\n"

            class Countries:
                def __iter__(self):
                    yield from yaml.safe_load(COUNTRIES)
            """,
            fixed=None,
        ),
        # A ``__contains__`` runs on every ``in`` test, wherever the tests are.
        Invalid(
            """
            BLOCKED = ("admin", "root", "system")

            class Blocklist:
                def __contains__(self, name):
                    return name.casefold() in {b.casefold() for b in BLOCKED}
            """,
            fixed=None,
        ),
        # A dict comprehension over an imported constant, as an argument.
        Invalid(
            """
            import string

            def tokens(memo):
                table = str.maketrans({c: " " for c in string.punctuation})
                return memo.translate(table).split()

            def count(memos):
                return sum(len(tokens(m)) for m in memos)
            """,
            fixed="""
            import string

            _TOKENS_TABLE = str.maketrans({c: " " for c in string.punctuation})

            def tokens(memo):
                table = _TOKENS_TABLE
                return memo.translate(table).split()

            def count(memos):
                return sum(len(tokens(m)) for m in memos)
            """,
            unsafe=True,
        ),
        # A property (it runs on every access) compiling a pattern from literals: locals bound once to
        # formatted literals (one read twice) and a class attribute bound once to a literal.
        Invalid(
            """
            import re

            class Renderer:
                safe_protocols = r"(?:https?|ftp)://|mailto:"

                @property
                def safe_href(self):
                    safe = r"-\\w"
                    domain = r"(?:[{}]+(?:\\.[{}]+)*)".format(safe, safe)
                    return re.compile(r"^(?:({})?({}))$".format(self.safe_protocols, domain), re.I)
            """
        ),
        # A signing key parsed from the same PEM bytes on every request (38 ms for RSA-2048).
        Invalid(
            """
            from flask import Flask, request
            from cryptography.hazmat.primitives import serialization
            app = Flask(__name__)
            PRIVATE_PEM = open("keys/signing.pem", "rb").read()
            @app.post("/token")
            def issue():
                key = serialization.load_pem_private_key(PRIVATE_PEM, password=None)
                return sign(key, request.get_json())
            """,
            fixed=None,
        ),
        # A lambda that pandas runs once per row parses the same constant each time. No fix.
        Invalid(
            """
            from datetime import datetime
            CUTOFF = "2025-01-01"
            def legacy(df):
                return df["signed"].map(lambda s: s < datetime.strptime(CUTOFF, "%Y-%m-%d"))
            """,
            fixed=None,
        ),
        # A key function's lambda, and a parameter of the enclosing function inverted per row.
        Invalid(
            """
            import json
            ORDER = '{"gold": 0, "silver": 1}'
            def rank(accounts):
                return sorted(accounts, key=lambda a: json.loads(ORDER)[a["tier"]])
            """,
            fixed=None,
        ),
        Invalid(
            """
            import numpy as np
            def whiten(df, cov):
                return df.apply(lambda r: np.linalg.inv(cov) @ r.to_numpy(), axis=1)
            """,
            fixed=None,
        ),
        # An environment default spelled with `or`.
        Invalid(
            """
            import json, os
            from celery import shared_task
            @shared_task
            def flags(user_id):
                return json.loads(os.environ.get("FLAGS") or "{}").get(user_id)
            """,
            fixed=None,
        ),
        # A settings file opened and parsed on every request.
        Invalid(
            """
            import json
            from flask import Flask
            app = Flask(__name__)
            @app.get("/theme")
            def theme():
                return json.load(open("settings.json"))["theme"]
            """,
            fixed=None,
        ),
        # A pydantic validator runs per model instance.
        Invalid(
            """
            import re
            from pydantic import BaseModel, field_validator
            RESERVED = ("admin", "root")
            class Signup(BaseModel):
                handle: str
                @field_validator("handle")
                @classmethod
                def free(cls, value):
                    if re.compile("|".join(RESERVED)).search(value):
                        raise ValueError(value)
                    return value
            """,
            fixed=None,
        ),
        # A local bound once to a constant expression: the same input, spelled on two lines. No fix.
        Invalid(
            """
            import json, os
            from celery import shared_task

            @shared_task
            def flags(user_id):
                raw = os.environ.get("FEATURE_FLAGS", "{}")
                return json.loads(raw).get(user_id)
            """,
            fixed=None,
        ),
        # A pattern joined from a generator over a sibling module's constant, per call of a
        # helper that a loop calls. No fix (the name is imported relatively).
        Invalid(
            """
            import re
            from .moderation import BANNED_WORDS

            def mask(text):
                rx = re.compile("|".join(re.escape(w) for w in BANNED_WORDS), re.I)
                return rx.sub("***", text)

            def mask_all(comments):
                return [mask(c) for c in comments]
            """,
            fixed=None,
        ),
        # A constant parsed in a comprehension's first iterable: it runs once per call, every call.
        Invalid(
            """
            import json

            ZONES = '{"features": [{"id": "north", "bbox": [0, 0, 5, 5]}]}'

            def zone_names(ping):
                names = {f["id"] for f in json.loads(ZONES)["features"]}
                return ping.zone in names

            def active(pings):
                return [p for p in pings if zone_names(p)]
            """,
            fixed=None,
        ),
        # A view decorator's wrapper validates every request against the schema the decorator was
        # given: the same schema, checked and turned into a validator again per request. No fix.
        Invalid(
            """
            from functools import wraps
            from flask import abort, request
            from jsonschema import ValidationError, validate

            def expects_json(schema):
                def decorator(view):
                    @wraps(view)
                    def wrapper(*args, **kwargs):
                        try:
                            validate(request.get_json(), schema)
                        except ValidationError as e:
                            abort(400, str(e))
                        return view(*args, **kwargs)
                    return wrapper
                return decorator
            """,
            fixed=None,
        ),
        # The arm of a decorator's own flag runs on every request in that configuration.
        Invalid(
            """
            from functools import wraps
            from flask import request
            from jsonschema import validate

            def expects_json(schema, lenient=False):
                def decorator(view):
                    @wraps(view)
                    def wrapper(*args, **kwargs):
                        if lenient:
                            loose_check(request.get_json())
                        else:
                            validate(request.get_json(), schema)
                        return view(*args, **kwargs)
                    return wrapper
                return decorator
            """,
            fixed=None,
        ),
        # jsonschema.validate(doc, SCHEMA) checks the schema and builds a validator per call. No fix.
        Invalid(
            """
            import jsonschema
            from celery import shared_task

            ORDER_SCHEMA = {"type": "object", "required": ["id"]}

            @shared_task
            def check(doc):
                jsonschema.validate(doc, ORDER_SCHEMA)
            """,
            fixed=None,
        ),
        Invalid(
            """
            import joblib
            from flask import Flask

            app = Flask(__name__)
            MODEL_PATH = "/models/churn.joblib"

            @app.post("/predict")
            def predict():
                model = joblib.load(MODEL_PATH)
                return str(model)
            """,
            fixed=None,
        ),
        Invalid(
            """
            import re

            BANNED = ["spam", "scam"]

            def is_clean(text):
                pattern = re.compile("|".join(map(re.escape, BANNED)), re.IGNORECASE)
                return pattern.search(text) is None

            def filter_comments(comments):
                return [c for c in comments if is_clean(c)]
            """,
            fixed=None,
        ),
        # A Django function view outside a views module.
        Invalid(
            """
            import os

            from django.http import JsonResponse

            def price(request, pk):
                places = int(os.environ.get("PRICE_DECIMALS", "2"))
                return JsonResponse({"price": round(lookup(pk), places)})
            """,
            fixed="""
            import os

            from django.http import JsonResponse

            _PRICE_PLACES = int(os.environ.get("PRICE_DECIMALS", "2"))

            def price(request, pk):
                places = _PRICE_PLACES
                return JsonResponse({"price": round(lookup(pk), places)})
            """,
            unsafe=True,
        ),
        # A property getter runs on every access.
        Invalid(
            """
            import jsonschema

            SCHEMA = {"type": "object", "required": ["id"]}

            class Payload:
                def __init__(self, data):
                    self.data = data

                @property
                def errors(self):
                    validator = jsonschema.Draft7Validator(SCHEMA)
                    return [e.message for e in validator.iter_errors(self.data)]
            """,
            fixed=None,
        ),
        # A local parsed from a constant, then compiled: both calls give the same result each time
        # (``eval`` with its own namespaces does not read the function's locals).
        Invalid(
            """
            import ast

            CHECK = "len(line) > limit"

            def too_long(line, limit):
                tree = ast.parse(CHECK, mode="eval")
                code = compile(tree, "<check>", "eval")
                return eval(code, {}, {"line": line, "limit": limit})

            def lint(lines):
                return [too_long(x, 100) for x in lines]
            """,
            fixed=None,
        ),
        # An environment read whose default is an item of a module dict.
        Invalid(
            """
            import os
            from celery import shared_task

            DEFAULTS = {"limits": {"parcels": 40}}

            @shared_task
            def check(manifest):
                limit = int(os.environ.get("MAX_PARCELS", DEFAULTS["limits"]["parcels"]))
                return len(manifest) <= limit
            """,
            fixed=None,
        ),
        # A constant parsed in one arm of an ``if`` or a ``match``: every call taking the arm pays.
        Invalid(
            """
            import json
            from decimal import Decimal

            RATES = '{"USD": "0.92"}'

            def in_euro(total, currency):
                if currency != "EUR":
                    rates = json.loads(RATES)
                    return total * Decimal(rates[currency])
                return total

            def totals(rows):
                return [in_euro(t, c) for t, c in rows]
            """,
            fixed=None,
        ),
        Invalid(
            """
            from datetime import datetime

            def parse(value):
                match value:
                    case "epoch":
                        return datetime.strptime("01.01.1970", "%d.%m.%Y")
                    case text:
                        return datetime.strptime(text, "%d.%m.%Y")

            def parse_all(values):
                return [parse(v) for v in values]
            """,
            fixed="""
            from datetime import datetime

            _PARSE_VALUE = datetime.strptime("01.01.1970", "%d.%m.%Y")

            def parse(value):
                match value:
                    case "epoch":
                        return _PARSE_VALUE
                    case text:
                        return datetime.strptime(text, "%d.%m.%Y")

            def parse_all(values):
                return [parse(v) for v in values]
            """,
            unsafe=True,
        ),
        # A ``for`` loop's iterable runs once per call of the function around it.
        Invalid(
            """
            import xml.etree.ElementTree as ET

            RULES = "<rules><rule id='D1' level='warn'/></rules>"

            def level(rule_id):
                for rule in ET.fromstring(RULES).iter("rule"):
                    if rule.get("id") == rule_id:
                        return rule.get("level")
                return None

            def levels(ids):
                return [level(i) for i in ids]
            """,
            fixed=None,
        ),
        # A comprehension over a module constant in a function called in a loop.
        Invalid(
            """
            STOPWORDS = "a an the of".split()

            def tokenize(text):
                stop = {w.lower() for w in STOPWORDS}
                return [t for t in text.split() if t not in stop]

            def index(docs):
                for d in docs:
                    print(tokenize(d))
            """,
            fixed=None,
        ),
        # Literal arguments only: a module constant.
        Invalid(
            """
            import os
            from decimal import Decimal

            def format_price(amount):
                places = int(os.environ.get("PRICE_DECIMALS", "2"))
                return f"{amount:.{places}f}"

            def price_list(rows):
                return [format_price(Decimal(r)) for r in rows]
            """,
            fixed="""
            import os
            from decimal import Decimal

            _FORMAT_PRICE_PLACES = int(os.environ.get("PRICE_DECIMALS", "2"))

            def format_price(amount):
                places = _FORMAT_PRICE_PLACES
                return f"{amount:.{places}f}"

            def price_list(rows):
                return [format_price(Decimal(r)) for r in rows]
            """,
            unsafe=True,
        ),
        Invalid(
            """
            from celery import shared_task
            from pydantic import TypeAdapter

            @shared_task
            def ingest(raw):
                adapter = TypeAdapter(list[int])
                return sum(adapter.validate_json(raw))
            """,
            fixed="""
            from celery import shared_task
            from pydantic import TypeAdapter

            _INGEST_ADAPTER = TypeAdapter(list[int])

            @shared_task
            def ingest(raw):
                adapter = _INGEST_ADAPTER
                return sum(adapter.validate_json(raw))
            """,
            unsafe=True,
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        context = self.context
        if context.scope.kind == "function":
            self._check_callback(node)
        if context.in_loop or context.scope.kind != "function":
            return
        generator = collected_generator(context, node)
        if generator is not None:
            if constant_comprehension(context, generator):
                self._check(node, "comprehension", COMPREHENSION)
            return
        found = catalogued(context, node)
        if found is None:
            return
        qualified, entry = found
        args = key_arguments(entry, node)
        if args is None:
            return
        index = self.scope_index()
        if not all(constant_expr(context, arg, index=index, call=node) for arg in args):
            return
        self._check(node, qualified, entry, closure=_reads_closure(context, args))

    def visit_SetComp(self, node: cst.SetComp) -> None:
        self._check_comprehension(node)

    def visit_DictComp(self, node: cst.DictComp) -> None:
        self._check_comprehension(node)

    def visit_ListComp(self, node: cst.ListComp) -> None:
        self._check_comprehension(node)

    def _check_comprehension(self, node: cst.CSTNode) -> None:
        loops = self.context.loops
        if len(loops) != 1 or loops[-1].node is not node:
            return
        if constant_comprehension(self.context, node):
            self._check(node, "comprehension", COMPREHENSION)

    def _check(self, node: cst.CSTNode, qualified: str, entry: Entry, closure: bool = False) -> None:
        context = self.context
        function = context.scope.node
        if not isinstance(function, cst.FunctionDef) or self._cached(function):
            return
        if function.name.value.startswith("test"):
            return  # a test, even outside a test module (Django's ``tests.py``)
        index = self.scope_index()
        if index is None or index.declared or not (_unconditional(index, node, self._fixed_test) or _in_plain_arm(index, node)):
            return
        why = context.runs_repeatedly()
        if why is None and function.name.value in ELEMENT_PROTOCOL and _in_class(context):
            # the element protocol: it runs once per lookup or pass, wherever they are
            why = ELEMENT_PROTOCOL[function.name.value]
        if why is None:
            return
        if inside_reported(index, node, self.__dict__.setdefault("_reported", set())):
            return
        self._reported.add(id(node))
        label = _label(qualified, entry)
        message = self.message.format(call=label, why=_kind(why), cost=_cost(entry))
        if closure:
            # Its inputs are the enclosing function's (a decorator's arguments): built there, once.
            message = message.replace("build it once at module level", "build it once in the enclosing function")
        self.report(node, message, fix=None if closure else self._fix(index, node, qualified, entry))

    def _fixed_test(self, test: cst.BaseExpression) -> bool:
        """An ``if`` test on what the current function closes over (a decorator's flag such as
        ``fill_defaults``) and constants: the same branch runs on every call of the closure."""
        context = self.context
        return _reads_closure(context, [test]) and constant_expr(context, test, index=self.scope_index())

    def _check_callback(self, node: cst.Call) -> None:
        """A lambda handed over to run once per item (``s.map(lambda v: ...)``,
        ``df.apply(lambda r: ..., axis=1)``, ``sorted(xs, key=lambda x: ...)``, ``map``/``filter``)
        that calls a catalogued function on inputs that are the same for every item: the lambda's
        parameters are not among them, nor anything the enclosing function changes."""
        handed = per_item_lambda(self.context, node)
        if handed is None:
            return
        lam, how = handed
        function = self.context.scope.node
        if not isinstance(function, cst.FunctionDef) or self._cached(function):
            return
        if function.name.value.startswith("test"):
            return
        index = self.scope_index()
        if index is None or index.declared:
            return
        params = _lambda_params(lam)
        for call in _unconditional_calls(lam.body):
            found = catalogued(self.context, call)
            if found is None:
                continue
            qualified, entry = found
            args = key_arguments(entry, call)
            if not args or any(n.value in params for a in args for n in iter_nodes(a) if isinstance(n, cst.Name)):
                continue
            if not all(invariant_in_lambda(self.context, index, lam, arg, call) for arg in args):
                continue
            reported = self.__dict__.setdefault("_reported", set())
            if id(call) in reported:
                continue
            reported.add(id(call))
            label = _label(qualified, entry)
            self.report(call, LAMBDA_MESSAGE.format(call=label, how=how, cost=_cost(entry)))

    def _cached(self, function: cst.FunctionDef) -> bool:
        for decorator in function.decorators:
            expr = decorator.decorator.func if isinstance(decorator.decorator, cst.Call) else decorator.decorator
            if (self.context.qualified_name(expr) or "") in CACHE_DECORATORS:
                return True
        return False

    def _fix(self, index: ScopeIndex, node: cst.CSTNode, qualified: str, entry: Entry) -> Optional[FixSpec]:
        if not isinstance(node, cst.Call) or qualified in ("markdown.Markdown", "comprehension") or entry.key_args:
            return None
        context = self.context
        if not all(constant_expr(context, arg.value, early_only=True) for arg in node.args):
            return None
        target = _assigned_name(index, node)
        if entry.fresh and not read_only_result(index, context, node, target):
            return None
        if target is not None and _returned(index, target):
            return None
        base = "_" + "_".join(p for p in (_top_name(context), (target or "VALUE").lstrip("_")) if p).upper()
        name = context.facts.unused_name(base)
        while context.is_local(name):
            name = context.facts.unused_name(base)
        code = cst.Module([]).code_for_node(node)
        if "\n" in code:
            return None
        safe = entry.stdlib and qualified in CATALOGUE and stdlib_constant_ok(code, context)
        return FixSpec(
            f"Build it once as module constant `{name}`",
            {node: cst.Name(name)},
            safe=safe,
            constants=(f"{name} = {code}",),
        )


def _reads_closure(context, args: list) -> bool:
    """An argument reads a free variable of the current function (bound by an enclosing one)."""
    function = context.function
    return function is not None and any(
        isinstance(node, cst.Name) and context.is_local(node.value) and node.value not in function.local_names
        for arg in args
        for node in iter_nodes(arg)
    )


LAMBDA_MESSAGE = (
    "{call} gives the same result for every item of {how} ({cost} per call); compute it once before that call"
)
# Methods that run their callable once per element, row or group: pandas/polars ``map``,
# ``apply``, ``applymap``, ``map_elements``, an executor's ``map``. ``Pool.apply(f, args)`` runs it
# once, so ``apply`` counts only with the callable as its sole positional argument.
PER_ITEM_METHODS = frozenset({"map", "apply", "applymap", "map_elements"})
KEY_FUNCTIONS = frozenset({"builtins.sorted", "builtins.min", "builtins.max"})


def per_item_lambda(context, call: cst.Call) -> Optional[tuple[cst.Lambda, str]]:
    """The lambda ``call`` runs once per item, and words for the message, or None."""
    positional = [arg for arg in call.args if arg.keyword is None and not arg.star]
    func = call.func
    if isinstance(func, cst.Attribute):
        name = func.attr.value
        if name in PER_ITEM_METHODS and positional and isinstance(positional[0].value, cst.Lambda):
            if name == "apply" and len(positional) > 1:
                return None
            return positional[0].value, f"the lambda handed to `.{name}`"
        if name == "sort":
            key = _keyword(call, "key")
            return (key, "the `key=` lambda of `.sort`") if isinstance(key, cst.Lambda) else None
        if name not in ("map", "filter", "sorted", "min", "max"):
            return None
    qualified = context.qualified_name(func)
    if qualified in ("builtins.map", "builtins.filter"):
        if len(positional) >= 2 and isinstance(positional[0].value, cst.Lambda):
            if all(_small(arg.value) for arg in positional[1:]):
                return None
            return positional[0].value, f"the lambda handed to `{qualified[9:]}`"
    elif qualified in KEY_FUNCTIONS:
        key = _keyword(call, "key")
        if isinstance(key, cst.Lambda) and positional and not _small(positional[0].value):
            return key, f"the `key=` lambda of `{qualified[9:]}`"
    return None


def _hands_lambda(function: ast.AST) -> bool:
    """The def hands a lambda to a call that may run it per item (``per_item_lambda`` decides)."""
    for node in ast.walk(function):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if name in PER_ITEM_METHODS or name in ("filter", "sorted", "min", "max", "sort"):
                if any(isinstance(a, ast.Lambda) for a in node.args) or any(
                    isinstance(k.value, ast.Lambda) for k in node.keywords
                ):
                    return True
    return False


def _keyword(call: cst.Call, name: str) -> Optional[cst.BaseExpression]:
    return next((arg.value for arg in call.args if arg.keyword is not None and arg.keyword.value == name), None)


def _small(expr: cst.BaseExpression) -> bool:
    """A literal display or ``range(<literals>)``: a few items written in the source."""
    if isinstance(expr, (cst.List, cst.Tuple, cst.Set, cst.Dict)):
        return True
    return (
        isinstance(expr, cst.Call)
        and isinstance(expr.func, cst.Name)
        and expr.func.value == "range"
        and all(isinstance(arg.value, cst.Integer) for arg in expr.args)
    )


def _lambda_params(lam: cst.Lambda) -> set[str]:
    params = lam.params
    names = {p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params)}
    for star in (params.star_arg, params.star_kwarg):
        if isinstance(star, cst.Param):
            names.add(star.name.value)
    return names


def _unconditional_calls(body: cst.CSTNode):
    """The calls a lambda's body makes every time it runs: not in a conditional expression's
    arms, the right of ``and``/``or``, a nested lambda or a comprehension's body."""
    stack = [body]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.Lambda):
            continue
        if isinstance(node, cst.IfExp):
            stack.append(node.test)
            continue
        if isinstance(node, cst.BooleanOperation):
            stack.append(node.left)
            continue
        if isinstance(node, (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)):
            stack.append(node.for_in.iter)
            continue
        if isinstance(node, cst.Call):
            yield node
        stack.extend(reversed(children(node)))


def _returned(index: ScopeIndex, target: str) -> bool:
    return any(isinstance(index.parent(read), cst.Return) for read in index.reads.get(target, []))


# Dunders a class's users run once per use, wherever the uses are (the reason quoted).
ELEMENT_PROTOCOL = {
    "__contains__": "`__contains__` (every `in` test on the object)",
    "__getitem__": "`__getitem__` (every `obj[key]` lookup)",
    "__iter__": "`__iter__` (every pass over the object)",
}


def _in_class(context) -> bool:
    scopes = context.scopes
    return len(scopes) >= 2 and scopes[-2].kind == "class"


def _kind(why: str) -> str:
    """The words after "every call of this": a handler's kind, or "function (called in a loop...)"."""
    if why.startswith("called "):
        return f"function ({why})"
    return why


def _in_plain_arm(index: ScopeIndex, node: cst.CSTNode) -> bool:
    """In an ``if``/``elif``/``else`` or ``match`` arm, in a statement of the arm itself, that
    keeps what it builds to itself: the statement returns it, or binds it to a plain local, and
    the arm stores nothing else (no ``cache[k] = x``, ``self.x = x``: a lazily filled cache runs
    its arm once) and raises nothing (an error arm). Every call that takes the arm pays for it."""
    statement: Optional[cst.CSTNode] = node
    while statement is not None and not isinstance(statement, cst.SimpleStatementLine):
        parent = index.parent(statement)
        if isinstance(parent, (cst.IfExp, cst.BooleanOperation, cst.Lambda, cst.ListComp, cst.SetComp,
                               cst.DictComp, cst.GeneratorExp)):
            return False  # a conditional part of an expression, or per item
        statement = parent
    if statement is None or len(statement.body) != 1:
        return False
    small = statement.body[0]
    if isinstance(small, cst.Assign):
        if len(small.targets) != 1 or not isinstance(small.targets[0].target, cst.Name):
            return False
    elif not isinstance(small, (cst.Return, cst.Expr)):
        return False
    block = index.parent(statement)
    arm = index.parent(block) if isinstance(block, cst.IndentedBlock) else None
    if not isinstance(arm, (cst.If, cst.Else, cst.MatchCase)):
        return False
    for other in block.body:  # type: ignore[union-attr]
        if not isinstance(other, cst.SimpleStatementLine):
            return False  # a nested block: keep to the plain arms
        for part in other.body:
            if isinstance(part, cst.Raise):
                return False
            if isinstance(part, (cst.Assign, cst.AugAssign, cst.AnnAssign)):
                targets = [t.target for t in part.targets] if isinstance(part, cst.Assign) else [part.target]
                if not all(isinstance(t, cst.Name) for t in targets):
                    return False
    current: cst.CSTNode = arm
    while isinstance(current, (cst.If, cst.Else, cst.MatchCase)):
        # up the ``elif`` chain to the ``if`` (or ``match``) statement, which must be unconditional
        current = index.parent(current)
        if isinstance(current, cst.Match):
            break
    return _unconditional(index, current)


def _unconditional(index: ScopeIndex, node: cst.CSTNode, fixed_test=None) -> bool:
    """Not in an ``if``/``else``, a conditional expression's arms, the right of ``and``/``or``,
    an ``except`` handler, a lambda, a loop's body or a comprehension's body (an ``if`` test and
    a ``for`` loop's iterable run whenever their statement does). With ``fixed_test``, an ``if``
    whose test it accepts (the same on every call) does not count: its arm runs on every call."""
    current = node
    parent = index.parent(current)
    while parent is not None:
        if fixed_test is not None and isinstance(parent, cst.Else):
            owner = index.parent(parent)
            if isinstance(owner, cst.If) and fixed_test(owner.test):
                current, parent = owner, index.parent(owner)
                continue
        if fixed_test is not None and isinstance(parent, cst.If) and current is not parent.test and fixed_test(parent.test):
            current, parent = parent, index.parent(parent)
            continue
        if isinstance(parent, cst.CompFor) and current is parent.iter:
            comprehension = index.parent(parent)
            if getattr(comprehension, "for_in", None) is parent:
                # A comprehension's first iterable runs once, whenever the comprehension does.
                current, parent = comprehension, index.parent(comprehension)
                continue
        if isinstance(parent, cst.If) and current is parent.test:
            current, parent = parent, index.parent(parent)
            continue  # an ``if`` test runs whenever the ``if`` does (an ``elif``'s is checked above it)
        if isinstance(parent, cst.For) and current is parent.iter:
            current, parent = parent, index.parent(parent)
            continue  # a ``for`` loop's iterable is evaluated once, whenever the loop is reached
        if isinstance(parent, (cst.If, cst.Else, cst.ExceptHandler, cst.ExceptStarHandler, cst.Lambda,
                               cst.Match, cst.While, cst.For)):
            return False
        if isinstance(parent, cst.IfExp) and current is not parent.test:
            return False
        if isinstance(parent, cst.BooleanOperation) and current is parent.right:
            return False
        if isinstance(parent, (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)) and current is not node:
            return False
        current, parent = parent, index.parent(parent)
    return True
