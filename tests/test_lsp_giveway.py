"""The event loop's right of way over the lint threads (``lsp_giveway``), and the batched stdout
writer and the reader's marks (``lsp_stdio``). The whole server under an edit burst is in
``test_lsp_stress.py``."""

from __future__ import annotations

import asyncio
import io
import json
import threading
import types

import pytest

from perflint import lsp_giveway
from perflint.lsp_giveway import LoopGate
from perflint.lsp_stdio import BatchedWriter, MessageReader
from test_lsp_support import GUARD_S


@pytest.fixture
def long_waits(monkeypatch):
    """A lint thread waits for the loop for as long as a hang guard, so ordering decides, not time."""
    monkeypatch.setattr(lsp_giveway, "MAX_WAIT_S", GUARD_S)


def test_a_lint_thread_waits_while_the_loop_is_busy(long_waits):
    gate, events = LoopGate(), []
    gate.busy()
    waiting = threading.Event()

    def lint() -> None:
        waiting.set()
        gate.give_way()
        events.append("lint piece")

    worker = threading.Thread(target=lint)
    worker.start()
    waiting.wait(GUARD_S)
    events.append("loop answers a request")
    gate.idle()
    worker.join(GUARD_S)
    assert events == ["loop answers a request", "lint piece"]


def test_an_idle_loop_costs_a_lint_nothing():
    gate, done = LoopGate(), []
    worker = threading.Thread(target=lambda: (gate.give_way(), done.append(True)))
    worker.start()
    worker.join(GUARD_S)
    assert done == [True] and gate.waits == 0


def test_the_loop_never_waits_for_itself(long_waits):
    gate = LoopGate()
    gate.busy()  # on this thread: it is the loop
    gate.give_way()  # a quick fix computed on the loop passes the same cache check
    assert gate.waits == 0 and gate.is_busy


def test_idle_is_marked_after_what_the_messages_started():
    async def run() -> list:
        gate, seen = LoopGate(), []
        gate.busy()
        asyncio.get_running_loop().call_soon(lambda: seen.append(("handler ran", gate.is_busy)))
        gate.idle_soon()
        seen.append(("right after idle_soon", gate.is_busy))
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        seen.append(("a turn later", gate.is_busy))
        return seen

    assert asyncio.run(run()) == [("right after idle_soon", True), ("handler ran", True), ("a turn later", False)]


def test_idle_is_not_marked_when_a_message_arrived_meanwhile():
    async def run() -> bool:
        gate = LoopGate()
        gate.busy()
        gate.idle_soon(lambda: False)
        await asyncio.sleep(0)
        return gate.is_busy

    assert asyncio.run(run()) is True


# --- the reader marks the loop busy, and lets a request's handler run first -------------------------


def frame(message: dict) -> bytes:
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


class Protocol:
    """Stands in for pygls' protocol: typed messages, and an async handler per request."""

    def __init__(self, gate: LoopGate) -> None:
        self.gate = gate
        self.events: list = []

    def structure_message(self, data):
        return types.SimpleNamespace(**data) if "jsonrpc" in data else data

    def handle_message(self, message) -> None:
        self.events.append((message.method, self.gate.is_busy))
        if getattr(message, "id", None) is not None:

            async def answer() -> None:
                self.events.append(("answered", message.id))

            asyncio.ensure_future(answer())


def test_the_reader_marks_the_loop_busy_and_answers_a_request_before_the_messages_behind_it():
    gate = LoopGate()
    notification = {"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {}}
    request = {"jsonrpc": "2.0", "id": 7, "method": "textDocument/codeAction", "params": {}}

    async def run() -> list:
        stream = asyncio.StreamReader(limit=1 << 16)
        stream.feed_data(frame(notification) * 3 + frame(request) + frame(notification) * 3)
        stream.feed_eof()
        protocol = Protocol(gate)
        await asyncio.wait_for(MessageReader(stream, protocol, gate).run(threading.Event()), GUARD_S)
        return protocol.events

    events = asyncio.run(run())
    assert all(busy for method, busy in events if method != "answered")
    assert events.index(("answered", 7)) == 4  # right after the request, before the three behind it


# --- one write per turn of the loop --------------------------------------------------------------


class Pipe(io.BytesIO):
    def __init__(self) -> None:
        super().__init__()
        self.writes = 0

    def write(self, data) -> int:
        self.writes += 1
        return super().write(data)


def test_messages_written_in_one_turn_go_out_in_one_write_in_order():
    pipe = Pipe()

    async def run() -> None:
        writer = BatchedWriter(pipe, asyncio.get_running_loop())
        for number in range(5):
            writer.write(b"message %d;" % number)
        assert pipe.writes == 0  # nothing until the turn ends
        await asyncio.sleep(0)
        assert pipe.writes == 1
        other = threading.Thread(target=writer.write, args=(b"from a thread;",))
        other.start()
        other.join(GUARD_S)
        writer.write(b"last;")
        await asyncio.sleep(0.01)
        await asyncio.sleep(0)

    asyncio.run(run())
    assert pipe.getvalue() == b"message 0;message 1;message 2;message 3;message 4;from a thread;last;"


def test_a_lost_client_is_logged_once_and_nothing_raises(caplog):
    class Broken(Pipe):
        def write(self, data) -> int:
            raise BrokenPipeError(32, "Broken pipe")

    async def run() -> None:
        writer = BatchedWriter(Broken(), asyncio.get_running_loop())
        writer.write(b"one")
        writer.flush()
        writer.write(b"two")
        writer.flush()

    asyncio.run(run())
    assert sum("connection to the client is lost" in r.message for r in caplog.records) == 1
