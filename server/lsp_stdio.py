"""Serving the language server on stdin/stdout from the event loop itself.

pygls' stdio reader hands every header line and every message body to a
thread pool (``run_in_executor``): three thread round trips per message. On a
loaded machine each hop may wait for the scheduler, and the wait lands on
every answer: a code action that did nothing took 4.3 ms at p95 here. Reading
the pipe with asyncio's own transport needs no thread. Where stdin is not a
pipe, socket or terminal (a regular file), pygls' reader is used as before.

The reader here is also stricter about what it survives than pygls' loop,
which after one header block without ``Content-Length`` read every later
message body as a header line and never answered again:

- a header block without a valid ``Content-Length`` is logged, and the
  stream is searched for the next ``Content-Length:`` header, where reading
  starts again (the bad message's body, whose length is unknown, is skipped);
- a body that is not JSON (or not UTF-8) is logged, once in full and then
  counted, and nothing is shown to the user: there is no id to answer.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import stat
import sys
import threading
from typing import Optional

from pygls.lsp.server import LanguageServer

from perflint.lsp_giveway import LOOP, LoopGate

logger = logging.getLogger(__name__)

CONTENT_LENGTH = b"content-length:"
MARKER = b"Content-Length:"  # what a resynchronizing reader looks for (every client writes it so)
READ_LIMIT = 1 << 20  # header lines longer than this are skipped as garbage


def serve_stdio(server: LanguageServer) -> None:
    """Run ``server`` on this process's stdin and stdout until the client says exit."""
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    if not _is_stream(stdin.fileno()):
        server.start_io()
        return
    server._stop_event = threading.Event()  # what pygls' shutdown() sets to end the read loop
    try:
        asyncio.run(_serve(server, stdin, stdout))
    except BrokenPipeError:
        logger.error("the connection to the client is lost; shutting down")
    except (KeyboardInterrupt, SystemExit):  # pygls ends `exit` with sys.exit()
        pass
    finally:
        writer = getattr(server.protocol, "writer", None)
        if isinstance(writer, BatchedWriter):
            writer.flush()  # what the last turn of the loop wrote (the answer to shutdown)
        server.shutdown()


async def _serve(server: LanguageServer, stdin, stdout) -> None:
    reader = asyncio.StreamReader(limit=READ_LIMIT)
    loop = asyncio.get_running_loop()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), stdin)
    server.protocol.set_writer(BatchedWriter(stdout, loop))
    await MessageReader(reader, server.protocol, LOOP).run(server._stop_event)


class BatchedWriter:
    """Writes what the server sends to ``stdout`` once per turn of the event loop.

    Each write to the pipe is a system call, which gives up the GIL; with lints
    running in worker threads, getting it back took a switch interval or more,
    and that wait was the largest part of the event loop's time under an edit
    burst (``benchmarks/lsp_stress.py``, py-spy). Messages written during one
    turn of the loop (the answers to the requests it handled, the diagnostics it
    published) now go out in one write at the end of the turn, in order.
    """

    def __init__(self, stdout, loop: asyncio.AbstractEventLoop) -> None:
        self._stdout = stdout
        self._loop = loop
        self._thread = threading.get_ident()
        self._parts: list[bytes] = []
        self._lock = threading.Lock()
        self._lost = False

    def write(self, data: bytes) -> None:
        with self._lock:  # a worker thread may write too: messages stay whole and in order
            first = not self._parts
            self._parts.append(data)
        if first:
            if threading.get_ident() == self._thread:
                self._loop.call_soon(self.flush)
            else:
                self._loop.call_soon_threadsafe(self.flush)

    def flush(self) -> None:
        with self._lock:
            if not self._parts:
                return
            data = b"".join(self._parts)
            self._parts.clear()
        if self._lost:
            return
        try:
            self._stdout.write(data)
            self._stdout.flush()
        except (BrokenPipeError, ConnectionError, ValueError) as error:  # ValueError: stdout closed
            self._lost = True
            logger.error("the connection to the client is lost (%s); nothing more is sent", error)

    def close(self) -> None:
        self.flush()
        self._stdout.close()


class MessageReader:
    """Reads framed JSON-RPC messages from ``reader`` and hands them to ``protocol``."""

    def __init__(self, reader: asyncio.StreamReader, protocol, gate: Optional[LoopGate] = None) -> None:
        self.reader = reader
        self.protocol = protocol
        self.gate = gate  # told when messages wait (the lint threads give way, see lsp_giveway)
        self.bad_headers = 0
        self.bad_bodies = 0

    async def run(self, stop: threading.Event) -> None:
        pending: Optional[bytes] = None  # a header line already read while resynchronizing
        while not stop.is_set():
            if self.gate is not None and not self._buffered():
                # About to wait for the client: once what the messages started has run, lints go on.
                self.gate.idle_soon(lambda: not self._buffered())
            try:
                length = await self._header_block(pending)
                pending = None
                if length is None:
                    self.bad_headers += 1
                    logger.error(
                        "a message header block without a valid Content-Length (%d so far); "
                        "skipping to the next Content-Length header",
                        self.bad_headers,
                    )
                    pending = await self._skip_to_next_header()
                    continue
                if self.gate is not None:
                    self.gate.busy()
                body = await self.reader.readexactly(length)
            except asyncio.IncompleteReadError:
                return  # the client closed the pipe
            if self._handle(body) and self._buffered():
                # A request: let its handler run now (an async one starts on the next turn of the
                # loop) rather than after every message already read behind it.
                await asyncio.sleep(0)

    def _buffered(self) -> bool:
        """Whether more of the client's input is already read and waiting."""
        return bool(getattr(self.reader, "_buffer", None))

    async def _header_block(self, first: Optional[bytes]) -> Optional[int]:
        """Read header lines up to the blank line; the Content-Length, or None if there is none."""
        length: Optional[int] = None
        seen_any = False
        while True:
            line, first = (first, None) if first is not None else (await self._line(), None)
            if not line.strip():
                if not seen_any:
                    continue  # stray blank lines between messages
                return length
            seen_any = True
            if line[: len(CONTENT_LENGTH)].lower() == CONTENT_LENGTH:
                value = line[len(CONTENT_LENGTH) :].strip()
                length = int(value) if value.isdigit() else None

    async def _line(self) -> bytes:
        try:
            return await self.reader.readuntil(b"\n")
        except asyncio.LimitOverrunError as error:  # a "line" of megabytes: garbage, not a header
            await self.reader.readexactly(error.consumed)
            return b"x"  # not blank: the block goes on, and has no valid Content-Length

    async def _skip_to_next_header(self) -> bytes:
        """Discard input up to the next ``Content-Length:``; that header line, which starts the next block."""
        while True:
            try:
                await self.reader.readuntil(MARKER)
            except asyncio.LimitOverrunError as error:
                await self.reader.readexactly(error.consumed)
                continue
            return MARKER + await self._line()

    def _handle(self, body: bytes) -> bool:
        """Hand one message body to the protocol; whether it was a request."""
        try:
            message = json.loads(body, object_hook=self.protocol.structure_message)
        except (ValueError, RecursionError) as error:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
            self.bad_bodies += 1
            if self.bad_bodies == 1 or self.bad_bodies % 100 == 0:
                logger.error(
                    "a message body that is not JSON (%d so far; the first ones are logged): %s: %.200r",
                    self.bad_bodies,
                    error,
                    body,
                )
            return False
        try:
            self.protocol.handle_message(message)
        except Exception:
            logger.exception("failed to handle a message")
        return getattr(message, "id", None) is not None and bool(getattr(message, "method", None))


def _is_stream(descriptor: int) -> bool:
    mode = os.fstat(descriptor).st_mode
    return stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode) or stat.S_ISCHR(mode)
