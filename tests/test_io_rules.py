"""Level-4 (I/O) rules: what the generated example tests cannot say.

The examples check detection and the exact fixed text. Here the fixed code
is run: logging emits the same messages, file loops see the same lines (and
the documented difference of the unsafe split fix shows up), and the async
sleep fix runs under asyncio.
"""

from __future__ import annotations

import asyncio
import logging
import textwrap

from perflint.autofix import fix_text
from perflint.config import Settings
from perflint.engine import lint_source
from perflint.rules.io.blocking_call_in_async import BlockingCallInAsync
from perflint.rules.io.logging_eager_formatting import LoggingEagerFormatting
from perflint.rules.io.open_in_loop import OpenInLoop
from perflint.rules.io.read_whole_file_then_split import ReadWholeFileThenSplit
from perflint.rules.io.readlines_iteration import ReadlinesIteration

LOGGING_SOURCE = textwrap.dedent(
    """
    import logging

    logger = logging.getLogger("perflint-test")

    class Item:
        name = "50% off {sale}"
        def __repr__(self):
            return "<Item %s>"

    def emit(item, count, ratio):
        logger.debug(f"item {item.name} x{count!r} at 100% {ratio!s}")
        logger.info(f"{{literal}} {item!r} "
                    f"and {count}%")
        logger.info(f"{len([item])} item(s)")
        logger.debug("%s of %d" % (item.name, count))
        logger.info("{} and {}".format(count, ratio))
        logger.debug("count " + str(count) + " / " + item.name)
    """
)


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _messages(source: str) -> list[str]:
    namespace: dict = {}
    exec(compile(source, "<test>", "exec"), namespace)
    logger = logging.getLogger("perflint-test")
    handler = _Capture()
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        namespace["emit"](namespace["Item"](), 3, 0.5)
    finally:
        logger.removeHandler(handler)
    return handler.messages


def test_lazy_logging_fixes_emit_the_same_messages():
    safe, applied_safe = fix_text(LOGGING_SOURCE, "m.py", rules=[LoggingEagerFormatting])
    everything, applied_all = fix_text(LOGGING_SOURCE, "m.py", unsafe=True, rules=[LoggingEagerFormatting])
    assert applied_safe == 2  # the two f-strings of plain names and attributes
    assert applied_all == 6
    assert 'f"' not in everything and ".format(" not in everything
    expected = _messages(LOGGING_SOURCE)
    assert len(expected) == 6
    assert _messages(safe) == expected
    assert _messages(everything) == expected


def test_logger_methods_option_selects_levels():
    code = "import logging\nlog = logging.getLogger()\nlog.error(f'x {y}')\nlog.debug(f'x {y}')\n"
    default = lint_source(code, "m.py", rules=[LoggingEagerFormatting])
    widened = lint_source(
        code, "m.py", Settings(rule_options={"PF405": {"methods": ["error"]}}), rules=[LoggingEagerFormatting]
    )
    assert [f.line for f in default] == [4]
    assert [f.line for f in widened] == [3]


FILE_LOOP = textwrap.dedent(
    """
    def lines_of(path):
        out = []
        with open(path, newline="") as f:
            for line in f.read().splitlines():
                out.append(line)
        return out

    def numbered(path):
        with open(path) as f:
            return [(n, line) for n, line in enumerate(f.readlines())]
    """
)


def _call(source: str, function: str, path: str):
    namespace: dict = {}
    exec(compile(source, "<test>", "exec"), namespace)
    return namespace[function](path)


def test_file_iteration_fixes_read_the_same_lines(tmp_path):
    fixed, applied = fix_text(FILE_LOOP, "m.py", unsafe=True, rules=[ReadWholeFileThenSplit, ReadlinesIteration])
    assert applied == 2
    path = tmp_path / "data.txt"
    path.write_bytes(b"first\r\nsecond\n\nlast without newline")
    for function in ("lines_of", "numbered"):
        assert _call(fixed, function, str(path)) == _call(FILE_LOOP, function, str(path))


def test_split_fix_is_unsafe_for_the_reason_it_states(tmp_path):
    # splitlines() also splits on a vertical tab; iterating a file does not.
    fixed, _ = fix_text(FILE_LOOP, "m.py", unsafe=True, rules=[ReadWholeFileThenSplit])
    path = tmp_path / "data.txt"
    path.write_text("a\x0bb\nc\n")
    assert _call(FILE_LOOP, "lines_of", str(path)) == ["a", "b", "c"]
    assert _call(fixed, "lines_of", str(path)) == ["a\x0bb", "c"]


def test_open_once_fix_appends_the_same_rows(tmp_path):
    source = "def save(rows, path):\n    for row in rows:\n        with open(path, 'a') as f:\n            f.write(row)\n"
    fixed, applied = fix_text(source, "m.py", unsafe=True, rules=[OpenInLoop])
    assert applied == 1
    rows = [f"row {i}\n" for i in range(5)]
    for code, name in ((source, "slow.txt"), (fixed, "fast.txt")):
        namespace: dict = {}
        exec(compile(code, "<test>", "exec"), namespace)
        namespace["save"](rows, str(tmp_path / name))
    assert (tmp_path / "slow.txt").read_text() == (tmp_path / "fast.txt").read_text() == "".join(rows)


def test_async_sleep_fix_runs_under_asyncio():
    source = "import asyncio\nimport time\n\nasync def tick(log):\n    for i in range(3):\n        time.sleep(0)\n        log.append(i)\n"
    fixed, applied = fix_text(source, "m.py", rules=[BlockingCallInAsync])
    assert applied == 1 and "await asyncio.sleep(0)" in fixed
    namespace: dict = {}
    exec(compile(fixed, "<test>", "exec"), namespace)
    log: list[int] = []
    asyncio.run(namespace["tick"](log))
    assert log == [0, 1, 2]


def test_sleep_without_asyncio_imported_gets_an_unsafe_fix_that_imports_it():
    source = "import time\n\nasync def tick():\n    time.sleep(1)\n"
    findings = lint_source(source, "m.py", rules=[BlockingCallInAsync])
    assert [f.code for f in findings] == ["PF401"]
    fix = findings[0].fix
    assert fix is not None and not fix.is_safe
    assert any("import asyncio" in edit.content for edit in fix.edits)


def _findings(source: str, rule, path: str = "service.py") -> list[tuple[int, str]]:
    findings = lint_source(textwrap.dedent(source).lstrip("\n"), path, rules=[rule])
    return [(f.line, f.message) for f in findings]


def test_a_blocking_helper_is_reported_at_the_coroutines_call_with_the_chain():
    source = """
        import requests

        def fetch(url):
            return requests.get(url, timeout=5)

        def load(url):
            return fetch(url).json()

        async def handle(url):
            data = load(url)
            return data
    """
    [(line, message)] = _findings(source, BlockingCallInAsync)
    assert line == 10
    assert "load() → fetch() → requests.get" in message


def test_helpers_run_in_a_thread_or_doing_no_io_are_not_reported():
    source = """
        import asyncio
        import requests

        def fetch(url):
            return requests.get(url, timeout=5)

        def total(xs):
            return sum(xs)

        async def handle(url, loop):
            a = await asyncio.to_thread(fetch, url)
            b = await loop.run_in_executor(None, fetch, url)
            return a, b, total([1, 2])
    """
    assert _findings(source, BlockingCallInAsync) == []


def test_sync_clients_are_recognised_where_they_are_bound():
    source = """
        import boto3
        import httpx
        import sqlite3

        s3 = boto3.client("s3")

        class Repo:
            def __init__(self, path):
                self.db = sqlite3.connect(path)

            async def qty(self, sku):
                return self.db.execute("SELECT qty FROM stock WHERE sku = ?", (sku,)).fetchone()

        async def thumb(key, client: httpx.Client):
            body = s3.get_object(Bucket="b", Key=key)["Body"].read()
            url = s3.generate_presigned_url("get_object", Params={"Key": key})
            return client.post("/thumbs", content=body), url
    """
    found = _findings(source, BlockingCallInAsync)
    assert [line for line, _ in found] == [12, 15, 17]
    assert "`self.db.execute()`" in found[0][1] and "`s3.get_object()`" in found[1][1] and "`client.post()`" in found[2][1]


def test_blocking_calls_in_test_modules_are_cold_code():
    source = "import time\nasync def test_waits():\n    time.sleep(0.1)\n"
    assert _findings(source, BlockingCallInAsync, "tests/test_wait.py") == []
    assert len(_findings(source, BlockingCallInAsync, "service.py")) == 0  # a test_ coroutine anywhere
    assert len(_findings("import time\nasync def wait():\n    time.sleep(0.1)\n", BlockingCallInAsync)) == 1


def _while_walk(source: str):
    import libcst as cst
    from perflint.analysis import while_walk_names

    module = cst.parse_module(textwrap.dedent(source))
    loop = next(n for n in module.body[0].body.body if isinstance(n, cst.While))
    return while_walk_names(loop)


def test_while_walk_names_knows_a_drain_and_an_index_walk_from_retries_and_pagination():
    # walks over items, like a for loop
    assert _while_walk("def f(q):\n    while q:\n        job = q.pop()\n        run(job)\n") == {"job"}
    assert _while_walk("def f(q):\n    while len(q) > 0:\n        a, b = q.popleft()\n        run(a, b)\n") == {"a", "b"}
    assert _while_walk("def f(xs):\n    i = 0\n    while i < len(xs):\n        run(xs[i])\n        i += 1\n") == {"i"}
    # a worklist that grows, pagination, a retry, a counter rebound in the body, pop(-1) of a stack with a break
    assert _while_walk("def f(q):\n    while q:\n        u = q.pop()\n        q.extend(links(u))\n") is None
    assert _while_walk("def f(url):\n    while url:\n        url = get(url).next\n") is None
    assert _while_walk("def f():\n    while True:\n        try:\n            return get()\n        except OSError:\n            pass\n") is None
    assert _while_walk("def f(xs):\n    i = 0\n    while i < len(xs):\n        i = skip(xs, i)\n        i += 1\n") is None
    assert _while_walk("def f(q):\n    while q:\n        x = q.pop()\n        if x:\n            break\n") is None
    assert _while_walk("def f(q):\n    while q:\n        x = q.pop(3)\n        run(x)\n") is None


def test_while_walk_names_knows_a_queue_drain_and_per_item_clean_up():
    assert _while_walk("def f(q):\n    while not q.empty():\n        job = q.get()\n        run(job)\n") == {"job"}
    assert _while_walk("def f(q):\n    while not q.empty():\n        job = q.get_nowait()\n        run(job)\n") == {"job"}
    # per-item clean-up in a drain still walks the items
    assert _while_walk(
        "def f(q):\n    while q:\n        job = q.pop()\n        try:\n            run(job)\n        finally:\n            done(job)\n"
    ) == {"job"}
    # a drain that puts the item back (a retry) names the queue twice; a polling get; a try in an index walk
    assert _while_walk(
        "def f(q):\n    while not q.empty():\n        job = q.get()\n        try:\n            run(job)\n"
        "        except OSError:\n            q.put(job)\n"
    ) is None
    assert _while_walk("def f(q):\n    while not q.empty():\n        job = q.get(timeout=1)\n        run(job)\n") is None
    assert _while_walk(
        "def f(xs):\n    i = 0\n    while i < len(xs):\n        try:\n            run(xs[i])\n        except OSError:\n            pass\n        i += 1\n"
    ) is None


def _codes(source: str, code: str, path: str = "service.py") -> list[int]:
    from perflint.rules import rule_by_code

    return [f.line for f in lint_source(textwrap.dedent(source).lstrip("\n"), path, rules=[rule_by_code(code)])]


def test_sync_handles_reach_self_through_annotated_parameters_and_fields():
    # ``self.conn = conn`` with ``conn: sqlite3.Connection``; a dataclass field ``http: httpx.Client``
    source = """
        import sqlite3
        from dataclasses import dataclass
        import httpx

        class Store:
            def __init__(self, conn: sqlite3.Connection, http: "httpx.Client") -> None:
                self.conn = conn
                self.http = http

            async def last(self, host):
                return self.conn.execute("SELECT 1 WHERE ? = ?", (host, host)).fetchone()

            async def ping(self, host):
                return self.http.get(host)

        @dataclass
        class Probe:
            http: httpx.Client
            aio: httpx.AsyncClient

            async def run(self, url):
                await self.aio.get(url)
                return self.http.get(url)
        """
    # the string annotation is not read; the AsyncClient field is awaited, not blocking
    assert _codes(source, "PF401") == [11, 23]


def test_awaits_nested_in_the_stored_value_are_sequential():
    source = """
        async def ranked(client, ids):
            out = []
            for rank, i in enumerate(ids):
                out.append((rank, 2 * await client.get(f"/items/{i}")))
            return out

        async def bodies(client, ids):
            found = {}
            for i in ids:
                found[i] = (await client.get(f"/items/{i}")).json()
            return found

        async def chained(client, ids):
            last = None
            for i in ids:
                last = (await client.get(f"/items/{i}", after=last)).json()
            return last
        """
    assert _codes(source, "PF402") == [4, 10]


def test_http_pagination_in_a_while_loop_is_not_a_missing_session():
    source = """
        import requests

        def history(url):
            events = []
            while url:
                page = requests.get(url, timeout=10).json()
                events.extend(page["items"])
                url = page.get("next")
            return events

        def pages(base):
            page, out = 1, []
            while page < 50:
                out.append(requests.get(base, params={"page": page}).json())
                page += 1
            return out

        def push(codes):
            while codes:
                code = codes.pop()
                requests.post("https://api.example.com/track", json={"code": code})
        """
    assert _codes(source, "PF403") == [14, 21]  # numbered pages are a walk: each request is independent


def test_path_open_and_enumerate_are_file_loops():
    source = """
        from pathlib import Path

        def failures(path: Path):
            with path.open() as fh:
                return [l for l in fh.readlines() if "FAILED" in l]

        def numbered(path):
            with open(path) as fh:
                for n, line in enumerate(fh.read().splitlines(), 1):
                    print(n, line)

        def other(doc):
            with doc.open() as fh:
                for line in fh.readlines():
                    print(line)
        """
    assert _codes(source, "PF404") == [5]
    assert _codes(source, "PF406") == [9]


def test_while_walks_open_and_spawn_per_item():
    source = """
        import subprocess

        def append_rows(path, rows):
            i = 0
            while i < len(rows):
                with open(path, "a") as fh:
                    fh.write(rows[i])
                i += 1

        def tail(path, source):
            while True:
                line = source.readline()
                with open(path, "a") as fh:
                    fh.write(line)

        def stage(paths):
            while paths:
                path = paths.pop()
                subprocess.check_call(["git", "add", "--", path])

        def poll(path):
            while not done():
                subprocess.run(["git", "add", path])
        """
    assert _codes(source, "PF407") == [6]
    assert _codes(source, "PF409") == [19]


def test_while_walk_names_knows_a_drain_that_takes_the_item_inline():
    assert _while_walk("def f(q):\n    while q:\n        run(q.pop())\n") == {"q"}
    assert _while_walk("def f(q):\n    while len(q) > 0:\n        run('x', q.popleft())\n") == {"q"}
    # A worklist (the queue named again), two statements, or a pop with an index: not a walk.
    assert _while_walk("def f(q):\n    while q:\n        q.extend(run(q.pop()))\n") is None
    assert _while_walk("def f(q):\n    while q:\n        run(q.pop())\n        log()\n") is None
    assert _while_walk("def f(q):\n    while q:\n        run(q.pop(3))\n") is None


def test_a_blocking_sleep_in_an_async_retry_handler_is_reported_but_other_rules_stay_quiet_there():
    source = textwrap.dedent(
        """
        import time
        import logging

        log = logging.getLogger(__name__)

        async def poll(client, urls):
            for attempt in range(5):
                try:
                    return await client.get(urls[0])
                except ConnectionError as exc:
                    log.debug(f"retry {attempt}: {exc}")
                    time.sleep(2 ** attempt)
        """
    )
    found = {(f.code, f.line) for f in lint_source(source, "feeds.py")}
    assert ("PF401", 13) in found
    assert not any(code == "PF405" for code, _ in found)  # eager log formatting on an error path: cold


def test_a_logger_imported_from_another_module_of_the_project(tmp_path):
    from perflint import project_calls

    project_calls.clear()
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'jobs'\n")
    package = tmp_path / "jobs"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "conf.py").write_text("import logging\n\nlogger = logging.getLogger('jobs')\n")
    (package / "structured.py").write_text("import structlog\n\nlogger = structlog.get_logger()\n")
    (package / "reexport.py").write_text("from jobs.conf import logger\n")
    source = "from jobs.{module} import logger\n\ndef enqueue(task_id):\n    logger.info(f'queued {{task_id}}')\n"
    cases = {"conf": [4], "reexport": [4], "structured": [], "missing": []}
    for module, expected in cases.items():
        path = package / f"use_{module}.py"
        path.write_text(source.format(module=module))
        findings = lint_source(path.read_text(), str(path), rules=[LoggingEagerFormatting])
        assert [f.line for f in findings] == expected, module
    relative = package / "use_relative.py"
    relative.write_text("from .conf import logger\nfrom .structured import logger as slog\n\ndef enqueue(task_id):\n"
                        "    logger.info(f'queued {task_id}')\n    slog.info(f'queued {task_id}')\n")
    findings = lint_source(relative.read_text(), str(relative), rules=[LoggingEagerFormatting])
    assert [f.line for f in findings] == [5]
    project_calls.clear()


def test_a_translated_message_formatted_before_the_call_is_reported_without_a_fix():
    source = """
    import logging
    from django.utils.translation import gettext_lazy as _
    logger = logging.getLogger(__name__)

    def on_result(task):
        logger.info(_("Processed %(name)s") % {"name": task.name})
        logger.debug(_("Processed {}").format(task.name))
        logger.info(_("Processed %(name)s"), {"name": task.name})
        logger.info(render("Processed %s") % task.name)
    """
    findings = lint_source(textwrap.dedent(source).lstrip("\n"), "service.py", rules=[LoggingEagerFormatting])
    assert [(f.line, f.fix is None) for f in findings] == [(6, True), (7, True)]


def test_a_logger_declared_on_a_base_class_of_another_module(tmp_path):
    from perflint import project_calls

    project_calls.clear()
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'bridge'\n")
    package = tmp_path / "bridge"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "logs.py").write_text("import logging\n\nclass TraceLogger(logging.Logger):\n    pass\n")
    (package / "base.py").write_text(
        "import logging\nfrom .logs import TraceLogger\n\nclass Base:\n    log: TraceLogger = logging.getLogger('b')\n\n"
        "class Middle(Base):\n    pass\n\nclass Structured:\n    log: 'structlog.BoundLogger'\n"
    )
    source = (
        "from .base import {base}\n\nclass Machine({base}):\n    async def encrypt(self, room_id):\n"
        "        self.log.debug(f'encrypting for {{room_id}}')\n        self.log.trace(f'room {{room_id}}')\n"
    )
    cases = {"Base": [5, 6], "Middle": [5, 6], "Structured": []}
    for base, expected in cases.items():
        path = package / f"use_{base.lower()}.py"
        path.write_text(source.format(base=base))
        findings = lint_source(path.read_text(), str(path), rules=[LoggingEagerFormatting])
        assert [f.line for f in findings] == expected, base
    # A class that declares nothing named `log`, in or out of the project: not known to be a logger.
    unknown = package / "use_unknown.py"
    unknown.write_text("from elsewhere import Thing\n\nclass Machine(Thing):\n    def f(self, x):\n        self.log.debug(f'x {x}')\n")
    assert lint_source(unknown.read_text(), str(unknown), rules=[LoggingEagerFormatting]) == []
    project_calls.clear()
