"""PF403 http-without-session-in-loop."""

from __future__ import annotations

from typing import Optional

import libcst as cst
from perflint.analysis import (
    ScopeAware,
    bound_names,
    free_name,
    iter_own_nodes,
    replace_within,
    runs_fixed_times,
    variables,
    while_walk_names,
)
from perflint.model import Level
from perflint.rule import FixSpec, Invalid, Rule, Valid
from perflint.rules.io._per_item import PerItem

VERBS = ("get", "post", "put", "delete", "patch", "head", "options", "request")
# Module-level functions that build a throwaway client per call -> (library, verb).
# Not urllib3.request(): it sends through urllib3's module-level PoolManager, which keeps connections.
REQUESTS_FUNCTIONS = {
    **{f"requests.{verb}": ("requests", verb) for verb in VERBS},
    **{f"requests.api.{verb}": ("requests", verb) for verb in VERBS},
    **{f"httpx.{verb}": ("httpx", verb) for verb in VERBS},
}
CLIENTS = {"requests": "Session", "httpx": "Client"}


class HttpWithoutSessionInLoop(ScopeAware, Rule):
    """
    ## What it does
    Flags `requests.get/post/put/delete/patch/head/options/request` and the
    same functions of `httpx` called inside a loop.

    ## Why is this slow?
    Each module-level `requests` call builds a new `Session` with a new
    connection pool, opens a new TCP connection (and TLS handshake for
    https) and closes it afterwards. A `Session` keeps connections alive and
    reuses them for every request to the same host. Measured with `timeit`
    on Python 3.11 against a local HTTP server (plain HTTP over loopback,
    so without TLS or network latency), 100 `requests.get` calls took
    138 ms and the same calls through one `Session` 45 ms (3x); over a real
    network with TLS the gap is larger. `httpx.get()` and friends likewise
    build and close an `httpx.Client` (with its SSL context, the costliest
    part: milliseconds) per call. (No `benchmark` is declared: it needs an
    HTTP server and the requests package.)

    ## Example
    ```python
    for url in urls:
        pages.append(requests.get(url, timeout=10).text)
    ```

    ## Use instead
    ```python
    with requests.Session() as session:
        for url in urls:
            pages.append(session.get(url, timeout=10).text)
    ```

    ## Fix safety
    The fix wraps the outermost loop of the function in
    `with requests.Session() as session:` and sends every `requests.*` call
    in that loop through it (for `httpx`, `with httpx.Client() as client:`). It is unsafe: a session keeps cookies (and
    authentication it picked up) from one response for the next request,
    merges its own settings into each request, and changes what tests that
    patch `requests.get` intercept. A session must also not be shared across
    threads. No fix is offered when a loop on the way is a comprehension.

    ## Known false positives
    Loops that make one or two requests in practice. The rule stays silent
    for loops that `break` or `return` (retries, first-success searches) and
    for loops that sleep (polling, rate limiting), where connection setup is
    not what the loop waits on.

    Judged on the Python 3.11.7 standard library (test/, tests/, idlelib/,
    lib2to3/ and site-packages excluded) and the sdists of aiohttp 3.9.5,
    httpx 0.27.0, httpie 3.2.2, discord.py 2.3.2, python-gitlab 4.4.0, pip
    24.0 (with its vendored packages), pre-commit 3.7.1 and sphinx 7.3.7
    (their tests included), reading every finding: no findings (these
    libraries already use sessions), so precision on real code is
    unmeasured; the examples above are the evidence.

    `urllib3.request()` in a loop is not flagged: it sends through urllib3's
    module-level `PoolManager`, which keeps connections alive.

    Also flagged (2026-12-07): a `lambda` run once per item (`map`,
    `filter`, the `key=` of `sorted`/`min`/`max`, a pandas column's
    `apply`/`map`) and a function of the module that a loop calls directly
    (also through `map(f, ...)`, a column's `.map(f)` or a method of the
    elements of a `list[Item]` parameter). Handlers, `while` loops and
    chains two or more calls below the loop are left alone. Judged on the
    stdlib 3.11.7 and the sdists of fastapi-users 13.0.0, pip-audit 2.7.3,
    cookiecutter 2.6.0, twine 5.1.1, gallery-dl 1.27.7, streamlink 6.11.0,
    wikipedia 1.4.0, newspaper3k 0.2.8, pre-commit 3.8.0, prefect 2.20.0,
    litestar 2.12.1, locust 2.32.0, discord.py 2.4.0, yfinance 0.2.50, pvlib
    0.11.2 and ansible-core 2.17.0: one new finding, correct (pvlib's
    `read_solrad`, called per daily file of a date range, `requests.get`
    each); locust's download of a locustfile per command-line path, two
    calls below its loop, was the reason to stop at one call.
    """

    code = "PF403"
    name = "http-without-session-in-loop"
    level = Level.IO
    message = "`requests` call in a loop opens a new connection each time; reuse one `requests.Session()`"
    weight = 2.0
    # Round trip: each call opens a new connection (TCP and TLS handshakes); a session reuses one.
    round_trip = True
    # Only calls spelled with the function's own name are matched.
    triggers = VERBS
    # Also a callback run per item (`map(lambda u: requests.get(u), urls)`) and a helper a loop
    # of the module calls, neither of which has a loop of its own: `qualified_triggers` gate.
    needs = tuple(f"{verb}()" for verb in VERBS)
    qualified_triggers = tuple(sorted(REQUESTS_FUNCTIONS))

    valid = [
        # A callback over a few written-out items; a lambda that is no per-item callback.
        Valid("import requests\nHOSTS = ('a', 'b')\ndef f():\n    return list(map(lambda h: requests.get(h).ok, HOSTS))\n"),
        Valid("import requests, threading\ndef f(u):\n    threading.Thread(target=lambda: requests.get(u)).start()\n"),
        # A helper called once per request by a route, or from a retry `while` loop, is no per-item helper.
        Valid(
            "import requests\nfrom flask import Flask\napp = Flask(__name__)\n"
            "def quote(sku):\n    return requests.get(f'https://p/{sku}').json()\n"
            "@app.get('/q/<sku>')\ndef q(sku):\n    return quote(sku)\n"
        ),
        # Two calls below the loop (here over command-line paths): left alone.
        Valid(
            "import requests\ndef download(u):\n    return requests.get(u).text\n"
            "def parse(p):\n    return download(p) if p.startswith('http') else p\n"
            "def parse_all(paths):\n    return [parse(p) for p in paths]\n"
        ),
        Valid(
            "import requests\ndef ping(u):\n    return requests.get(u).ok\n"
            "def wait_up(u):\n    while not ping(u):\n        pass\n"
        ),
        Valid("import requests\ndef f(url):\n    return requests.get(url, timeout=5)\n"),
        Valid(
            "import requests\ndef f(urls):\n    with requests.Session() as s:\n        for u in urls:\n"
            "            s.get(u, timeout=5)\n"
        ),
        # Retry and polling loops.
        Valid(
            "import requests\ndef f(url):\n    for attempt in range(3):\n        r = requests.get(url, timeout=5)\n"
            "        if r.ok:\n            return r\n"
        ),
        Valid(
            "import requests\ndef f(url):\n    while True:\n        r = requests.get(url, timeout=5)\n"
            "        if r.json()['done']:\n            break\n"
        ),
        Valid(
            "import requests, time\ndef f(urls):\n    for u in urls:\n        requests.post(u, timeout=5)\n"
            "        time.sleep(1)\n"
        ),
        # The iterable is evaluated once; a function defined in the loop runs later.
        Valid("import requests\nfor item in requests.get(URL, timeout=5).json():\n    print(item)\n"),
        Valid("import requests\ndef f(urls):\n    for u in urls:\n        def g():\n            return requests.get(u)\n"),
        # Not the requests library.
        Valid("def get(u):\n    return u\nfor u in urls:\n    get(u)\n"),
        Valid("import aiohttp\nfor u in urls:\n    aiohttp.get(u)\n"),
        # urllib3's module-level request() goes through one shared PoolManager.
        Valid("import urllib3\ndef f(urls):\n    return [urllib3.request('GET', u).data for u in urls]\n"),
        # Pagination: each request's URL comes from the previous response.
        Valid(
            "import requests\ndef f(url):\n    items = []\n    while url:\n"
            "        page = requests.get(url, timeout=10).json()\n        items.extend(page['items'])\n"
            "        url = page.get('next')\n    return items\n"
        ),
        # A poll loop that sleeps between requests.
        Valid(
            "import requests, time\ndef f(q):\n    while True:\n        job = q.get()\n"
            "        requests.post(job.url, json=job.body, timeout=5)\n        time.sleep(1)\n"
        ),
        # A client reused across the loop.
        Valid(
            "import httpx\ndef f(urls):\n    with httpx.Client(timeout=5) as client:\n"
            "        return [client.get(u).status_code for u in urls]\n"
        ),
    ]
    invalid = [
        # A consumer's endless loop: one request, and one new connection, per message.
        Invalid(
            """
            import json, requests

            def forward(consumer):
                while True:
                    msg = consumer.poll(1.0)
                    if msg is None:
                        continue
                    order = json.loads(msg.value())
                    requests.post("https://hooks/orders", json=order, timeout=5)
            """,
            fixed="""
            import json, requests

            def forward(consumer):
                with requests.Session() as session:
                    while True:
                        msg = consumer.poll(1.0)
                        if msg is None:
                            continue
                        order = json.loads(msg.value())
                        session.post("https://hooks/orders", json=order, timeout=5)
            """,
            unsafe=True,
        ),
        # A Scrapy pipeline step, called once per scraped item.
        Invalid(
            "import requests\nclass Geocode:\n    def process_item(self, item, spider):\n"
            "        item['geo'] = requests.get(GEO, params={'q': item['address']}).json()\n        return item\n",
            fixed=None,
        ),
        # Per-item callbacks: `map`, `sorted(key=)`, a pandas column's `apply`.
        Invalid("import requests\ndef f(urls):\n    return list(map(lambda u: requests.get(u).text, urls))\n", fixed=None),
        Invalid("import requests\ndef f(skus):\n    return sorted(skus, key=lambda s: requests.get(s).json()['rank'])\n", fixed=None),
        Invalid(
            "import pandas as pd, requests\ndef f(visits: pd.DataFrame):\n"
            "    visits['asn'] = visits['ip'].apply(lambda ip: requests.get(ip).json()['asn'])\n",
            fixed=None,
        ),
        # A helper that a loop of the module calls once per item (here through a column's `.map`).
        Invalid(
            "import requests\ndef country_of(ip):\n    return requests.get(f'https://geo/{ip}').json()['country']\n"
            "def enrich(frame):\n    frame['country'] = frame['ip'].map(country_of)\n",
            fixed=None,
        ),
        # A method called per element of a `list[Item]` parameter.
        Invalid(
            "import requests\nclass Item:\n    def stock(self):\n        return requests.get(f'https://s/{self.sku}').json()\n"
            "def low(items: list[Item]):\n    return [i.sku for i in items if i.stock() < 5]\n",
            fixed=None,
        ),
        Invalid(
            """
            import requests

            def fetch(urls):
                pages = []
                # one page per url
                for url in urls:
                    response = requests.get(url, timeout=10)
                    pages.append(response.text)
                return pages
            """,
            fixed="""
            import requests

            def fetch(urls):
                pages = []
                # one page per url
                with requests.Session() as session:
                    for url in urls:
                        response = session.get(url, timeout=10)
                        pages.append(response.text)
                return pages
            """,
            unsafe=True,
        ),
        # Nested loops, two calls, an alias, a taken name: one session around the outer loop.
        Invalid(
            """
            import requests as rq

            def sync(groups, session):
                for group in groups:
                    for item in group:
                        rq.post(item.url, json=item.data, timeout=5)
                    rq.request("DELETE", group.url, timeout=5)
            """,
            fixed="""
            import requests as rq

            def sync(groups, session):
                with rq.Session() as session_2:
                    for group in groups:
                        for item in group:
                            session_2.post(item.url, json=item.data, timeout=5)
                        session_2.request("DELETE", group.url, timeout=5)
            """,
            unsafe=True,
        ),
        # A `while` loop draining a list: one request per item.
        Invalid(
            """
            import requests
            def push(codes):
                while codes:
                    code = codes.pop()
                    requests.post("https://api.example.com/track", json={"code": code})
            """,
            fixed="""
            import requests
            def push(codes):
                with requests.Session() as session:
                    while codes:
                        code = codes.pop()
                        session.post("https://api.example.com/track", json={"code": code})
            """,
            unsafe=True,
        ),
        # A comprehension: message only.
        Invalid(
            """
            from requests import get
            pages = [get(u, timeout=5).text for u in urls]
            """,
            fixed=None,
        ),
        Invalid(
            """
            import httpx

            def notify(hooks, body):
                for hook in hooks:
                    httpx.post(hook, content=body, timeout=5)
            """,
            fixed="""
            import httpx

            def notify(hooks, body):
                with httpx.Client() as client:
                    for hook in hooks:
                        client.post(hook, content=body, timeout=5)
            """,
            unsafe=True,
        ),
        Invalid(
            """
            import httpx

            def statuses(subscribers, body):
                return [httpx.post(s["url"], content=body).status_code for s in subscribers]
            """,
            fixed=None,
        ),
    ]

    def __init__(self, context, options=None) -> None:
        super().__init__(context, options)
        self._fixes: dict[int, Optional[FixSpec]] = {}
        self._per_item = PerItem(context)

    def visit_Call(self, node: cst.Call) -> None:
        context = self.context
        self._per_item.note(node)
        qualified = context.call_name(node)
        if qualified not in REQUESTS_FUNCTIONS:
            return
        spelled = node.func.attr.value if isinstance(node.func, cst.Attribute) else getattr(node.func, "value", None)
        if spelled not in VERBS:
            return  # `from requests import get as fetch`: keeps `triggers` a superset
        library = REQUESTS_FUNCTIONS[qualified][0]
        client = f"`{library}.{CLIENTS[library]}()`"
        loops = context.loops
        if not loops:
            if context.scope.kind == "lambda":
                if self._per_item.callback_items():
                    self.report(node, f"`{library}.{spelled}()` in a callback run once per item opens a new connection each time; reuse one {client}")
            elif not context.in_loop:
                why = self._per_item.per_item_helper()
                if why is not None:
                    self.report(
                        node,
                        f"`{library}.{spelled}()` opens a new connection on every call of `{context.function_name}`, "
                        f"which runs once per item ({why}); reuse one {client}",
                    )
            return
        if all(runs_fixed_times(loop.node, context.facts, context.is_local, context.is_literal_local) for loop in loops):
            return  # a few written-out items (``loop_only`` rules get this from ``Rule.report``)
        innermost = loops[-1].node
        if any(isinstance(n, (cst.Break, cst.Return)) for n in iter_own_nodes(getattr(innermost, "body", innermost))):
            return
        if isinstance(innermost, cst.While) and not while_walk_names(innermost) and not _forever(innermost):
            arguments: set[str] = set()
            for arg in node.args:
                arguments |= variables(arg.value)
            if arguments & bound_names(innermost.body):
                return  # pagination: the next URL or page comes from this iteration's response
            # (`while True:` without `break` or `return` never ends on a last page: a consumer's
            # or poller's loop, one request per message)
        if any(self._is_sleep(n) for n in iter_own_nodes(innermost)):
            return
        outer = loops[0].node
        if id(outer) not in self._fixes:
            self._fixes[id(outer)] = self._fix(outer, [loop.node for loop in loops])
        message = None
        if library != "requests":
            message = (
                f"`{library}.{spelled}()` in a loop builds a client and opens a new connection each time; "
                f"reuse one `{library}.{CLIENTS[library]}()`"
            )
        self.report(node, message, fix=self._fixes[id(outer)])

    def _is_sleep(self, node: cst.CSTNode) -> bool:
        return isinstance(node, cst.Call) and (self.context.call_name(node) or "").endswith(".sleep")

    def _fix(self, outer: cst.CSTNode, chain: list[cst.CSTNode]) -> Optional[FixSpec]:
        if not all(isinstance(loop, (cst.For, cst.While)) for loop in chain) or not isinstance(outer.body, cst.IndentedBlock):
            return None
        context = self.context
        facts = context.facts
        calls = [
            (node, REQUESTS_FUNCTIONS[context.call_name(node)])
            for node in iter_own_nodes(outer)
            if isinstance(node, cst.Call) and context.call_name(node) in REQUESTS_FUNCTIONS
        ]
        libraries = {library for _, (library, _) in calls}
        if len(libraries) != 1:
            return None
        library = libraries.pop()
        alias = next((n for n, q in sorted(facts.imports.items()) if q == library and not context.is_local(n)), None)
        imports: tuple[str, ...] = ()
        if alias is None:
            if library in facts.all_names or context.is_local(library):
                return None
            alias, imports = library, (f"import {library}",)
        index = self.scope_index()
        if index is None:
            return None
        session = free_name(index, "session" if library == "requests" else "client", facts.all_names)
        mapping = {}
        for node, (_, verb) in calls:
            mapping[node] = node.with_changes(func=cst.Attribute(value=cst.Name(session), attr=cst.Name(verb)))
        loop = replace_within(outer, mapping).with_changes(leading_lines=[])
        opener = cst.Call(func=cst.Attribute(value=cst.Name(alias), attr=cst.Name(CLIENTS[library])))
        wrapped = cst.With(
            items=[cst.WithItem(item=opener, asname=cst.AsName(name=cst.Name(session)))],
            body=cst.IndentedBlock(body=[loop]),
            leading_lines=outer.leading_lines,
        )
        return FixSpec(
            f"Send the loop's requests through one `{alias}.{CLIENTS[library]}()`",
            {outer: wrapped},
            safe=False,
            imports=imports,
        )


def _forever(loop: cst.While) -> bool:
    """``while True:`` / ``while 1:``."""
    test = loop.test
    return (isinstance(test, cst.Name) and test.value == "True") or (isinstance(test, cst.Integer) and test.value == "1")
