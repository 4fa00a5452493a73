"""The stdio transport: framing errors cost one message, never the connection.

Unit tests drive ``MessageReader`` on an in-memory stream; one test runs the
server over real pipes and feeds it malformed input byte by byte.
"""

from __future__ import annotations

import asyncio
import json
import logging
import subprocess
import threading

import pytest

from perflint.lsp_stdio import MessageReader
from test_lsp_support import GUARD_S, SERVER_COMMAND


def frame(message: dict | bytes) -> bytes:
    body = message if isinstance(message, bytes) else json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


class Recorder:
    """Stands in for pygls' protocol: keeps what it is handed."""

    def __init__(self) -> None:
        self.messages: list = []

    def structure_message(self, data):
        return data

    def handle_message(self, message) -> None:
        self.messages.append(message)


def read_all(data: bytes) -> tuple[list, MessageReader]:
    async def run():
        stream = asyncio.StreamReader(limit=1 << 16)
        stream.feed_data(data)
        stream.feed_eof()
        reader = MessageReader(stream, Recorder())
        await asyncio.wait_for(reader.run(threading.Event()), GUARD_S)
        return reader.protocol.messages, reader

    return asyncio.run(run())


def message(number: int) -> dict:
    return {"jsonrpc": "2.0", "id": number, "method": "perflint/ping", "params": {"n": number}}


def test_well_formed_messages_with_other_headers_and_bare_newlines():
    data = (
        frame(message(1))
        + b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\ncontent-length: %d\r\n\r\n%s"
        % (len(json.dumps(message(2))), json.dumps(message(2)).encode())
        + b"Content-Length: %d\n\n%s" % (len(json.dumps(message(3))), json.dumps(message(3)).encode())
    )
    messages, reader = read_all(data)
    assert [m["id"] for m in messages] == [1, 2, 3]
    assert reader.bad_headers == reader.bad_bodies == 0


@pytest.mark.parametrize(
    "bad",
    [
        b"Content-Type: text/plain\r\n\r\n" + json.dumps(message(9)).encode(),  # no Content-Length at all
        b"Content-Length: twelve\r\n\r\n" + json.dumps(message(9)).encode(),  # not a number
        b"Content-Length: -4\r\n\r\n{}",
        b"X" * 200_000 + b"\r\n\r\n",  # a header line far longer than the reader's limit
    ],
)
def test_a_header_block_without_a_valid_length_costs_that_message_only(bad, caplog):
    with caplog.at_level(logging.ERROR, logger="perflint.lsp_stdio"):
        messages, reader = read_all(frame(message(1)) + bad + frame(message(2)) + frame(message(3)))
    assert [m["id"] for m in messages] == [1, 2, 3]
    assert reader.bad_headers == 1
    assert any("without a valid Content-Length" in r.getMessage() for r in caplog.records)


def test_undecodable_bodies_are_logged_once_and_skipped(caplog):
    bad = [b'{"jsonrpc": "2.0", "id": 3, "meth', b"\xff\xfe\x00garbage", b"[1, 2", b"\xc3\x28"]
    with caplog.at_level(logging.ERROR, logger="perflint.lsp_stdio"):
        messages, reader = read_all(b"".join(frame(b) for b in bad * 5) + frame(message(7)))
    assert [m["id"] for m in messages] == [7]
    assert reader.bad_bodies == 20
    assert len([r for r in caplog.records if "not JSON" in r.getMessage()]) == 1


def test_eof_inside_a_body_ends_the_loop():
    messages, _ = read_all(frame(message(1)) + b"Content-Length: 100\r\n\r\n{\"jsonrpc\"")
    assert [m["id"] for m in messages] == [1]


def test_the_server_over_pipes_survives_malformed_input():
    process = subprocess.Popen(SERVER_COMMAND, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    answers: dict = {}
    notifications: list = []
    done = threading.Event()

    def read_stdout() -> None:
        stream = process.stdout
        while True:
            length = None
            while (line := stream.readline()) not in (b"\r\n", b""):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            if not line or length is None:
                done.set()
                return
            received = json.loads(stream.read(length))
            if "id" in received and "method" not in received:
                answers[received["id"]] = received
                if received["id"] == "shutdown":
                    done.set()
            else:
                notifications.append(received)

    reader = threading.Thread(target=read_stdout, daemon=True)
    reader.start()
    uri = "file:///tmp/perflint-stdio-test/a.py"
    position = {"textDocument": {"uri": uri}, "position": {"line": -5, "character": 0}}
    parts = [
        frame({"jsonrpc": "2.0", "id": "init", "method": "initialize", "params": {"capabilities": {}}}),
        frame({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
        frame(b'{"jsonrpc": "2.0", "id": 3, "meth'),
        frame(b"\xff\xfe not json"),
        frame({"jsonrpc": "2.0", "id": "minus5", "method": "textDocument/hover", "params": position}),
        b"Content-Type: text/plain\r\n\r\n" + json.dumps({"jsonrpc": "2.0", "id": "lost", "method": "shutdown"}).encode(),
        frame({"jsonrpc": "2.0", "id": "shutdown", "method": "shutdown"}),
    ]
    try:
        for part in parts:
            process.stdin.write(part)
            process.stdin.flush()
        assert done.wait(GUARD_S), "the server stopped answering"
        process.stdin.write(frame({"jsonrpc": "2.0", "method": "exit"}))
        process.stdin.close()
        process.wait(GUARD_S)
    finally:
        if process.poll() is None:
            process.kill()
    stderr = process.stderr.read().decode()
    assert "result" in answers["init"] and "result" in answers["shutdown"]
    assert answers["minus5"]["error"]["code"] == -32602
    assert "Position.line" in answers["minus5"]["error"]["message"]
    assert "lost" not in answers
    assert [n for n in notifications if n["method"] == "window/showMessage"] == []
    assert "Traceback" not in stderr
    assert stderr.count("not JSON") == 1
    assert "without a valid Content-Length" in stderr
