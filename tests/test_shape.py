"""A piece's Shape: the features the prefilter reads before libcst parses anything.

Each feature must be present wherever its rule can report (the prefilter
tests in test_speed_invariants.py check that over real code) and absent from
the look-alikes below, which is what makes the prefilter worth having.
"""

from __future__ import annotations

import ast
import textwrap

import pytest

from perflint.shape import shape_of


def _features(source: str, where: str = "in_loop", aliases: dict[str, str] | None = None) -> frozenset[str]:
    """The piece's features found in its loops (``where="in_loop"``) or ``"anywhere"``."""
    return getattr(shape_of(ast.parse(textwrap.dedent(source)).body, aliases or {}), where)


CASES = {
    "str+=": (
        'def f(xs):\n    s = ""\n    for x in xs:\n        s += x\n',
        'def f(xs):\n    s = f"{xs}"\n    for x in xs:\n        s = s + x\n',
        [
            "def f(xs):\n    n = 0\n    for x in xs:\n        n += x\n",  # an int
            'def f(xs):\n    b = bytearray()\n    for x in xs:\n        b += x\n',  # a bytearray grows in place
            'class C:\n    def f(self, xs):\n        self.n = 0\n        for x in xs:\n            self.n += x\n',  # an int attribute
            'def f(xs, s):\n    t = ""\n    for x in xs:\n        s += x\n',  # another name is the str
        ],
    ),
    "attr+=": (
        "def f(self, xs):\n    for x in xs:\n        self.body += x\n",
        "def f(d, xs):\n    for x in xs:\n        d[x] += 1\n",
        [
            "def f(self, xs):\n    for x in xs:\n        self.body -= x\n",
            "def f(self, xs):\n    for x in xs:\n        body += x\n",
        ],
    ),
    "in-list": (
        "def f(xs):\n    seen = [1, 2]\n    for x in xs:\n        if x in seen:\n            pass\n",
        "def f(xs, ys):\n    seen = sorted(ys)\n    return [x for x in xs if x not in seen]\n",
        [
            "def f(xs):\n    seen = {1, 2}\n    for x in xs:\n        if x in seen:\n            pass\n",
            "def f(xs, seen):\n    for x in xs:\n        if x in seen:\n            pass\n",
            "def f(xs):\n    seen = [1]\n    for x in xs:\n        if x in xs:\n            pass\n",
        ],
    ),
    "in-values": (
        "def f(xs, d):\n    for x in xs:\n        if x in d.values():\n            pass\n",
        "def f(xs, d):\n    return [x for x in xs if x not in d.values()]\n",
        [
            "def f(xs, d):\n    for x in xs:\n        if x in d:\n            pass\n",
            "def f(xs, d):\n    return [x for x in xs if (x, 1) in d.items()]\n",
            "def f(xs, d):\n    for x in xs:\n        if x in d.values(1):\n            pass\n",
        ],
    ),
    "front-list": (
        "def f(todo):\n    queue = list(todo)\n    while queue:\n        queue.pop(0)\n",
        "def f(xs):\n    out = []\n    for x in xs:\n        out.insert(0, x)\n",
        [
            "def f(todo):\n    queue = list(todo)\n    while queue:\n        queue.pop()\n",
            "def f(queue):\n    while queue:\n        queue.pop(0)\n",
            "def f(xs):\n    out = []\n    for x in xs:\n        out.insert(1, x)\n",
        ],
    ),
    "list-iter": (
        "def f(xs):\n    items = (1, 2)\n    for x in list(items):\n        print(x)\n",
        "def f(xs):\n    items = set(xs)\n    return [x for x in list(items)]\n",
        [
            "def f(items):\n    for x in list(items):\n        print(x)\n",
            "def f(xs):\n    items = xs\n    for x in list(items):\n        print(x)\n",
        ],
    ),
    "fill-list": (
        "def f(xs):\n    out = []\n    for x in xs:\n        if x:\n            out.append(x)\n",
        "def f(xs):\n    out = list()\n    for x in xs:\n        out.append(x)\n",
        [
            "def f(xs):\n    out = [0]\n    for x in xs:\n        out.append(x)\n",
            "def f(xs, out):\n    for x in xs:\n        out.append(x)\n",
            "def f(xs):\n    out = []\n    for x in xs:\n        out.append(x)\n        print(x)\n",
        ],
    ),
    "join-loop": (
        "def f(a, b):\n    for x in a:\n        for y in b:\n            if x.k == y.k and y.ok:\n                print(x)\n",
        "def f(a, b):\n    return [(x, y) for x in a for y in b if x.k == y.k]\n",
        [
            "def f(a, b):\n    for x in a:\n        for y in b:\n            if x.k < y.k:\n                print(x)\n",
            "def f(a):\n    for x in a:\n        if x.k == 1:\n            print(x)\n",
            "def f(a, b):\n    for x in a:\n        for y in b:\n            if x == y:\n                print(x)\n            else:\n                print(y)\n",
        ],
    ),
    "write-loop": (
        "def f(out, rows):\n    for row in rows:\n        out.write(row)\n",
        "def f(out, rows):\n    for row in rows:\n        print(row, file=out)\n",
        [
            "def f(out, rows):\n    for row in rows:\n        print(row)\n",
            "def f(out, rows):\n    for row in rows:\n        out.write(row)\n        out.flush()\n",
            "async def f(out, rows):\n    async for row in rows:\n        out.write(row)\n",
        ],
    ),
    "items-pair": (
        "def f(d):\n    for k, v in d.items():\n        print(v)\n",
        "def f(d):\n    return [v for k, v in d.items()]\n",
        [
            "def f(d):\n    for k, v in d.items():\n        print(k, v)\n",
            "def f(d):\n    return {v: k for k, v in d.items()}\n",
            "def f(d):\n    for k in d.items():\n        print(k)\n",
        ],
    ),
    "in-new-list": (
        "def f(xs, d):\n    for x in xs:\n        if x in list(d.keys()):\n            pass\n",
        "def f(xs, ys):\n    return [x for x in xs if x not in [y.id for y in ys]]\n",
        [
            "def f(xs, d):\n    for x in xs:\n        if x in d.keys():\n            pass\n",
            "def f(xs, ys):\n    for x in xs:\n        if x in ys:\n            pass\n",
            "def f(x, ys):\n    return x in list(ys)\n",  # not in a loop
        ],
    ),
    "eq-scan": (
        "def f(us):\n    for u in us:\n        m = next((m for m in us if m.id == u.boss), None)\n",
        "def f(a, b):\n    return [x for x in a if not any(y.k == x.k for y in b)]\n",
        [
            "def f(us):\n    for u in us:\n        m = next((m for m in us if m.id > u.boss), None)\n",
            "def f(us, ids):\n    for u in us:\n        print({m.id: m for m in ids if m.id == u.id})\n",
            "def f(us):\n    return next((m for m in us if m.id == 1), None)\n",  # not in a loop
        ],
    ),
    "x=f(x)": (
        "import numpy as np\ndef f(xs):\n    a = np.array([])\n    for x in xs:\n        a = np.append(a, x)\n",
        "def f(xs, df):\n    for x in xs:\n        df = pd.concat([df, x])\n        m = np.r_[m, x]\n",
        [
            "def f(xs):\n    a = []\n    for x in xs:\n        b = np.append(a, x)\n",
            "def f(xs):\n    for x in xs:\n        a = np.concatenate([b, x])\n",
            "def f(a, x):\n    a = np.append(a, x)\n",  # not in a loop
        ],
    ),
    "loc-len": (
        "def f(df, rows):\n    for r in rows:\n        df.loc[len(df)] = r\n",
        "def f(df, rows):\n    while rows:\n        df.loc[len(other)] = rows.pop()\n",
        [
            "def f(df, rows):\n    for k, r in rows:\n        df.loc[k] = r\n",
            "def f(df, rows):\n    for r in rows:\n        df.iloc[len(df) - 1] = r\n",
            "def f(df, r):\n    df.loc[len(df)] = r\n",
        ],
    ),
    "del[i]": (
        "def f(q, i):\n    while i < len(q):\n        del q[i]\n",
        "def f(self, xs):\n    for i in xs:\n        del self.items[i]\n",
        [
            "def f(q):\n    while q:\n        del q[0]\n",
            "def f(q, i):\n    while q:\n        del q[i:]\n",
            "def f(q, i):\n    del q[i]\n",
        ],
    ),
    "del[0]": (
        "def f(q):\n    while q:\n        del q[0]\n",
        "def f(q, xs):\n    for x in xs:\n        del q[0], x\n",
        [
            "def f(q):\n    while q:\n        del q[-1]\n",
            "def f(q):\n    while q:\n        del q[1:]\n",
            "def f(q):\n    del q[0]\n",
        ],
    ),
}
# Features that rules look for anywhere in the piece, not only in loops.
ANYWHERE = {
    "self-call2": (
        "def fib(n):\n    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)\n",
        "class G:\n    def routes(self, x=0):\n        return sum(self.routes(x + s) for s in (1, 2))\n",
        [
            "def size(node):\n    return 1 + size(node.left) + size(node.right)\n",  # a tree walk
            "def f(xs):\n    return f(xs[0]) + f(xs[1])\n",  # items, not slices
            "@cache\ndef fib(n):\n    return fib(n - 1) + fib(n - 2)\n",
            "def fib(n):\n    def inner():\n        return fib(n - 1) + fib(n - 2)\n    return inner\n",
            "def fib(n):\n    return fib(n - 1)\n\nfib(3)\n",  # called twice in the piece, once by itself
            "def walk(n):\n    yield n\n    yield from walk(n - 1)\n    yield from walk(n - 2)\n",  # a generator
            "def fill(n):\n    global seen\n    fill(n - 1)\n    fill(n - 2)\n",  # no value returned, shared state
        ],
    ),
    "sum-of-lists": (
        "def f(xss):\n    return sum(xss, [])\n",
        "def f(xss):\n    return sum(xss, start=[])\n",
        ["def f(xs):\n    return sum(xs, 0)\n", "def f(xs):\n    return sum(xs)\n"],
    ),
    "sorted-end": (
        "def f(xs):\n    return sorted(xs)[0]\n",
        "def f(xs):\n    return sorted(xs, key=len)[-1]\n",
        ["def f(xs):\n    return sorted(xs)[1]\n", "def f(xs):\n    return sorted(xs)[:3]\n"],
    ),
    "async-call": (
        "async def f(path):\n    return load(path)\n",
        "class C:\n    async def f(self, url):\n        return await g(self.get(url))\n",
        [
            "async def f(client, url):\n    return await client.get(url)\n",
            "async def f(path):\n    return path.read_text()\n",  # a method: async-method-call
            "def f(path):\n    return path.read_text()\n",
            "async def f(path):\n    def inner():\n        return path.read_text()\n    return await run(inner)\n",
        ],
    ),
    "read-split": (
        "def f(path):\n    with open(path) as fh:\n        lines = fh.read().splitlines()\n",
        "def f(fh):\n    return fh.read().split('\\n')\n",
        [
            "def f(fh):\n    return fh.read()\n",
            "def f(fh):\n    return fh.read(10).splitlines()\n",
            "def f(s):\n    return s.splitlines()\n",
            "def f(p):\n    return p.read_text('utf-8').splitlines()\n",
        ],
    ),
    "eager-log": (
        "def f(log, x):\n    log.debug(f'got {x}')\n",
        "import logging\n\ndef f(x):\n    logging.log(10, 'got %s' % x)\n",
        [
            "def f(log, x):\n    log.debug('got %s', x)\n",  # lazy: formatted only when the level is on
            "def f(x):\n    print(f'got {x}')\n",  # not a logging call
            "def f(log, x):\n    log.debug(MESSAGE)\n",
        ],
    ),
    "async-method-call": (
        "async def f(s3, key):\n    return s3.get_object(Key=key)\n",
        "async def f(client, url):\n    return await g(client.get(url))\n",
        ["async def f(client, url):\n    return await client.get(url)\n", "async def f(url):\n    return get(url)\n"],
    ),
    "print(file)": (
        "def f(rows, out):\n    for r in rows:\n        print(r, file=out)\n",
        "def f(rows, out):\n    for r in rows:\n        print(*r, sep=',', file=out, flush=True)\n",
        ["def f(rows):\n    for r in rows:\n        print(r)\n", "def f(rows, out):\n    for r in rows:\n        out.print(r, fh=out)\n"],
    ),
    "open(append)": (
        "def note(msg):\n    with open(LOG, 'a') as fh:\n        fh.write(msg)\n",
        "def note(path, msg):\n    path.open(mode='ab').write(msg)\n",
        [
            "def f(p):\n    return open(p).read()\n",
            "def f(p):\n    return open(p, 'w')\n",
            "def f(p, mode):\n    return open(p, mode)\n",
        ],
    ),
    "match(str)": (
        "import re\n\ndef f(s):\n    return re.match(r'\\d+', s)\n",
        "import re\n\ndef f(s):\n    return re.match(pattern=b'x' b'y', string=s)\n",
        ["import re\n\ndef f(p, s):\n    return re.match(p, s)\n", "def f(s):\n    return s.split(',')\n"],
    ),
}


TABLES = {"in_loop": CASES, "anywhere": ANYWHERE}


@pytest.mark.parametrize(("where", "feature"), [(w, f) for w in TABLES for f in sorted(TABLES[w])])
def test_a_feature_is_found_where_its_rule_can_report(where, feature):
    first, second, _ = TABLES[where][feature]
    assert feature in _features(first, where)
    assert feature in _features(second, where)


@pytest.mark.parametrize(
    ("where", "feature", "index"),
    [(w, f, i) for w in TABLES for f in sorted(TABLES[w]) for i in range(len(TABLES[w][f][2]))],
)
def test_a_look_alike_lacks_the_feature(where, feature, index):
    assert feature not in _features(TABLES[where][feature][2][index], where)


def test_an_alias_of_a_builtin_counts_as_the_builtin():
    source = "def f(todo):\n    queue = L(todo)\n    while queue:\n        queue.pop(0)\n"
    assert "front-list" not in _features(source)
    assert "front-list" in _features(source, aliases={"L()": "list()"})


def test_a_name_read_only_by_a_comprehension_may_still_be_unused():
    # The comprehension binds its own ``k``: the loop's ``k`` may be unused, so the rule must look.
    source = "def f(d, ks):\n    for k, v in d.items():\n        print(v, [k for k in ks])\n"
    assert "items-pair" in _features(source)


def test_joins_ask_outside_the_piece_for_names_it_does_not_bind():
    """A parameter or attribute the inference layer knows to be a list satisfies the join."""
    source = "def f(xs, seen):\n    for x in xs:\n        if x in seen or x in self.known:\n            seen.pop(0)\n"
    asked = []

    def outside(use, name):
        asked.append((use, name))
        return name in ("seen", ".known")

    shape = shape_of(ast.parse(source).body, {}, outside)
    assert {"in-list", "front-list"} <= shape.in_loop
    # The join stops at the first name that satisfies it (set order), so each name is checked alone.
    assert ("front", "seen") in asked and any(use == "in" for use, _ in asked)
    for known in ("seen", ".known"):
        only = shape_of(ast.parse(source).body, {}, lambda use, name, known=known: use == "in" and name == known)
        assert "in-list" in only.in_loop and "front-list" not in only.in_loop
    assert "in-list" not in shape_of(ast.parse(source).body, {}, lambda use, name: False).in_loop


def test_a_key_function_that_searches_with_index():
    assert "key-index" in _features("s = sorted(xs, key=order.index)\n", "anywhere")
    assert "key-index" in _features("xs.sort(key=lambda x: (order.index(x.id), x.ts))\n", "anywhere")
    assert "key-index" not in _features("s = sorted(xs, key=order.get)\n", "anywhere")
    assert "key-index" not in _features("s = sorted(xs, key=lambda x: x.pos)\n", "anywhere")
    assert "key-index" not in _features("i = order.index(x)\n", "anywhere")


def test_a_builtin_that_runs_a_lambda_per_item():
    assert "row-callback" in _features("s = sorted(rows, key=lambda r: r.author.name)\n", "anywhere")
    assert "row-callback" in _features("m = max(rows, key=lambda r: r.score)\n", "anywhere")
    assert "row-callback" in _features("e = list(map(lambda r: r.owner.email, rows))\n", "anywhere")
    assert "row-callback" not in _features("s = sorted(rows, key=attrgetter('x'))\n", "anywhere")
    assert "row-callback" not in _features("e = list(map(str, rows))\n", "anywhere")
    assert "row-callback" not in _features("f = lambda r: r.owner.email\n", "anywhere")


def test_a_function_that_calls_itself():
    recursive = "def f(graph):\n    def dfs(n):\n        if n in seen:\n            return\n        for m in graph[n]:\n            dfs(m)\n    dfs(1)\n"
    assert {"self-call", "in"} <= _features(recursive, "anywhere")
    method = "class C:\n    def walk(self, n):\n        self.walk(n.left)\n"
    assert "self-call" in _features(method, "anywhere")
    # a call in a nested function is that function's, not the outer one's
    nested = "def dfs(n):\n    def inner():\n        return 1\n    return inner()\n"
    assert "self-call" not in _features(nested, "anywhere")
    assert "self-call" not in _features("def f(n):\n    return g(n)\n", "anywhere")


def test_an_fstring_that_starts_with_the_old_value_grows_the_string():
    grown = 'def f(xs):\n    s = ""\n    for x in xs:\n        s = f"{s}{x},"\n'
    assert "str+=" in _features(grown)
    assert "str+=" not in _features(grown.replace('f"{s}{x},"', 'f"{x}{s},"'))  # not its start
    assert "str+=" not in _features(grown.replace('f"{s}{x},"', 'f"{s!r}{x},"'))  # converted
    assert "str+=" not in _features(grown.replace('f"{s}{x},"', 'f"{s}"'))  # nothing added
    attribute = 'class C:\n    def f(self, xs):\n        self.out = ""\n        for x in xs:\n            self.out = f"{self.out}{x}"\n'
    assert "str+=" in _features(attribute)
    assert "str+=" not in _features(attribute.replace('f"{self.out}{x}"', 'f"{other.out}{x}"'))


def test_bytes_and_attributes_grown_in_a_loop():
    assert "str+=" in _features('def f(xs):\n    b = b""\n    for x in xs:\n        b += x\n')
    # An attribute or element grown in place (PF102 judges what it holds): ``attr+=``.
    grown = 'class C:\n    def f(self, xs):\n        self.body = ""\n        for x in xs:\n            self.body += x\n'
    assert "attr+=" in _features(grown)
    assert "attr+=" in _features('def f(parts, xs):\n    for x in xs:\n        parts["body"] += x\n')
    assert "attr+=" not in _features(grown.replace("self.body += x", "self.body -= x"))


def test_an_attribute_rebound_to_itself_plus_more():
    # ``self.log = self.log + a + b`` on a str attribute (PF102): the join finds ``str+=``.
    grown = 'class C:\n    def f(self, xs):\n        self.log = ""\n        for x in xs:\n            self.log = self.log + x + "!"\n'
    assert "str+=" in _features(grown)
    assert "str+=" not in _features(grown.replace("self.log + x", "self.other + x"))
    assert "str+=" not in _features(grown.replace("self.log + x", "other.log + x"))
    assert "str+=" not in _features(grown.replace('self.log = ""', "self.log = 0"))


def test_an_accumulator_rebuilt_in_one_branch_of_a_conditional():
    grown = "def f(xs):\n    acc = None\n    for x in xs:\n        acc = x if acc is None else pd.concat([acc, x])\n"
    assert "x=f(x)" in _features(grown)
    assert "x=f(x)" not in _features(grown.replace("pd.concat([acc, x])", "pd.concat([x, x])"))
    assert "x=f(x)" not in _features(grown.replace("x if acc is None else pd.concat([acc, x])", "x if acc is None else acc"))


def test_del_head_of_an_attribute():
    assert "del[0]" in _features("def f(self, xs):\n    for x in xs:\n        del self.window[0]\n")
    assert "del[0]" not in _features("def f(self, xs):\n    for x in xs:\n        del self.window[-1]\n")


def test_an_attribute_rebuilt_from_itself():
    grown = "def f(self, xs):\n    for x in xs:\n        self.acc = np.append(self.acc, x)\n"
    assert "x=f(x)" in _features(grown)
    assert "x=f(x)" in _features(grown.replace("np.append(self.acc, x)", "pd.concat([self.acc, x])"))
    assert "x=f(x)" not in _features(grown.replace("np.append(self.acc, x)", "np.append(self.other, x)"))
    assert "x=f(x)" not in _features(grown.replace("np.append(self.acc, x)", "np.append(other.acc, x)"))


def test_a_counter_attribute_is_not_a_growing_string():
    # ``self.count += 1`` is the common case: the inference layer is not asked about it.
    asked = []
    piece = "def f(self, xs):\n    for x in xs:\n        self.count += 1\n        total += x\n"
    shape_of(ast.parse(piece).body, {}, lambda use, name: asked.append((use, name)) or True)
    assert not [a for a in asked if a[0] == "grow"]


def test_a_head_cut_is_a_slice_with_only_a_start():
    assert "head-cut" in _features("def f(s):\n    while s:\n        s = s[20:]\n")
    assert "head-cut" not in _features("def f(s):\n    while s:\n        s = s[:20]\n")
    assert "head-cut" not in _features("def f(s, t):\n    while s:\n        s = t[1:]\n")


def test_compile_of_a_built_source_is_told_from_a_literal_pattern():
    assert "compile(built)" in _features('def f(words):\n    return re.compile("|".join(words))\n', "anywhere")
    assert "compile(built)" in _features('def f(src):\n    return compile(src, "<x>", "eval")\n', "anywhere")
    assert "compile(built)" not in _features('def f():\n    return re.compile(r"\\d+")\n', "anywhere")
    assert "compile(built)" not in _features("def f(pattern):\n    return re.compile(pattern)\n", "anywhere")


def test_an_environment_read_is_its_own_feature():
    assert "environ.get()" in _features('def f():\n    return int(os.environ.get("N", "2"))\n', "anywhere")
    assert "environ.get()" not in _features('def f(d):\n    return int(d.get("N", 2))\n', "anywhere")
    assert "environ[]" in _features('def f():\n    return int(os.environ["N"])\n', "anywhere")


def test_a_collection_built_from_a_generator_over_a_constant_is_a_constant_comprehension():
    assert "const-comp" in _features("def f():\n    return {x.lower() for x in NAMES}\n", "anywhere")
    assert "const-comp" in _features("def f():\n    return set(x.lower() for x in NAMES)\n", "anywhere")
    assert "const-comp" in _features("def f():\n    return frozenset(x for x in _CODES)\n", "anywhere")
    assert "const-comp" not in _features("def f(names):\n    return set(x.lower() for x in names)\n", "anywhere")
    assert "const-comp" not in _features("def f():\n    return sum(x for x in NAMES)\n", "anywhere")
    assert "const-comp" not in _features("def f():\n    return set(NAMES)\n", "anywhere")


@pytest.mark.parametrize(
    ("source", "look_alike"),
    [
        (
            "class G:\n    @classmethod\n    def w(cls, n):\n        return cls.w(n - 1) + cls.w(n - 2)\n",
            "class G:\n    @classmethod\n    @cache\n    def w(cls, n):\n        return cls.w(n - 1) + cls.w(n - 2)\n",
        ),
        (
            "def f(n, k):\n    return f(n=n - 1, k=k) + f(n=n, k=k - 1)\n",
            "def f(n):\n    return f(n=n.left) + f(n=n.right)\n",  # a tree walk by keyword
        ),
    ],
)
def test_self_call2_counts_classmethods_and_keyword_steps(source, look_alike):
    assert "self-call2" in _features(source, "anywhere")
    assert "self-call2" not in _features(look_alike, "anywhere")


def test_a_membership_test_on_an_attribute():
    assert "in-attr" in _features("if x in cart.skus:\n    pass\n", "anywhere")
    assert "in-attr" not in _features("if x in skus:\n    pass\n", "anywhere")


def test_a_callback_that_tests_membership():
    assert "callback-in" in _features("r = list(filter(lambda d: d.id not in blocked, docs))\n", "anywhere")
    assert "callback-in" in _features("r = frame['sku'].apply(lambda s: s in gone)\n", "anywhere")
    assert "callback-in" in _features("r = sorted(docs, key=lambda d: d.id in pinned)\n", "anywhere")
    assert "callback-in" not in _features("r = list(map(lambda d: d.id, docs))\n", "anywhere")
    assert "callback-in" not in _features("r = make(default=lambda d: d in picks)\n", "anywhere")
    named = "def f(docs, blocked):\n    def ok(d):\n        return d.id not in blocked\n    return list(filter(ok, docs))\n"
    assert "callback-in" in _features(named, "anywhere")
    # a def of two statements, or one passed to no per-item call: no callback test
    two = "def f(docs, blocked):\n    def ok(d):\n        log(d)\n        return d.id not in blocked\n    return list(filter(ok, docs))\n"
    assert "callback-in" not in _features(two, "anywhere")
    assert "callback-in" not in _features(named.replace("filter(ok, docs)", "register(ok, docs)"), "anywhere")


def test_a_membership_test_on_a_list_parameter():
    assert "in-list-param" in _features("def f(x, names: list[str]):\n    return x in names\n", "anywhere")
    assert "in-list-param" in _features("def f(x, names: typing.Sequence):\n    return x in names\n", "anywhere")
    assert "in-list-param" not in _features("def f(x, names: set[str]):\n    return x in names\n", "anywhere")
    assert "in-list-param" not in _features("def f(x, names):\n    return x in names\n", "anywhere")


def test_a_translated_message_formatted_before_the_logging_call():
    assert "eager-log" in _features("def f(log, d):\n    log.debug(_('got %(x)s') % {'x': d})\n", "anywhere")
    assert "eager-log" in _features("def f(log, d):\n    log.info(gettext_lazy('got {}').format(d))\n", "anywhere")
    # A translated message passed with lazy arguments, or a call that is not gettext.
    assert "eager-log" not in _features("def f(log, d):\n    log.debug(_('got %s'), d)\n", "anywhere")
    assert "eager-log" not in _features("def f(log, d):\n    log.debug(render('got %s') % d)\n", "anywhere")


def test_a_trace_level_call_with_a_formatted_message():
    assert "eager-log" in _features("def f(self, evt):\n    self.log.trace(f'decrypting {evt}')\n", "anywhere")
    assert "eager-log" not in _features("def f(self, evt):\n    self.log.trace('decrypting %s', evt)\n", "anywhere")


def test_round7_spellings_of_scans_joins_and_folds():
    # ``reduce(operator.add, x, [])`` is the fold of ``sum(x, [])``; ``iadd`` extends in place.
    assert "sum-of-lists" in _features("import operator\nfrom functools import reduce\nr = reduce(operator.add, xs, [])\n", "anywhere")
    assert "sum-of-lists" in _features("r = functools.reduce(lambda a, b: a + b, xs, [])\n", "anywhere")
    assert "sum-of-lists" not in _features("r = reduce(operator.iadd, xs, [])\n", "anywhere")
    assert "sum-of-lists" not in _features("r = reduce(operator.add, xs, 0)\n", "anywhere")
    # a keyed generator scan inside a per-item lambda
    assert "callback-in" in _features("r = list(filter(lambda i: any(t.ref == i.no for t in txns), invs))\n", "anywhere")
    assert "callback-in" not in _features("r = list(filter(lambda i: any(t.ok for t in txns), invs))\n", "anywhere")
    # a join spelled as a guard that skips unequal pairs
    guard = "def f(a, b):\n    for x in a:\n        for y in b:\n            if x.k != y.k:\n                continue\n            print(x)\n"
    assert "join-loop" in _features(guard, "in_loop")
    assert "join-loop" not in _features(guard.replace("continue", "print(y)"), "in_loop")
    # ``next(filter(lambda p: p.k == x, seq))`` in a loop
    found = "def f(us, staff):\n    for u in us:\n        m = next(filter(lambda s: s.id == u.boss, staff), None)\n"
    assert "eq-scan" in _features(found, "in_loop")
    assert "eq-scan" not in _features(found.replace("==", ">"), "in_loop")


def test_searches_a_per_item_method_can_make():
    assert "self-search" in _features("def f(self, k):\n    return self.names.index(k)\n", "anywhere")
    assert "self-search" not in _features("def f(self, names, k):\n    return names.index(k)\n", "anywhere")
    loop = "def f(self, t):\n    for x in self.xs:\n        if x.k == t.k:\n            return x\n"
    assert "return-scan" in _features(loop, "anywhere")
    assert "return-scan" not in _features(loop.replace("return x", "print(x)"), "anywhere")
    by_identity = "def f(self, b):\n    for i, x in enumerate(self.xs):\n        if x is b:\n            return i\n"
    assert "return-scan" in _features(by_identity, "anywhere")
    assert "join-body" not in _features(by_identity, "anywhere")  # identity is no join key
