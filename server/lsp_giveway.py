"""The client's messages first: lints pause while the event loop has messages to handle.

Lints and fix-alls run in worker threads of the server's own process, so they
share the GIL with the event loop that reads the client's messages and answers
them. Under an edit burst that sharing is what made code actions slow, not the
work they do (measured with ``benchmarks/lsp_stress.py``, 40 documents, 2,000
edits, 2 cores: code action p95 0.6-1.0 s, of which the handler itself took
well under a millisecond). Every system call the loop makes (a write to
stdout, a wake-up of the loop) gives the GIL away, and getting it back from
two threads running rules took a switch interval or more each time, for every
one of thousands of queued notifications ahead of the request.

So the loop has the right of way: ``LOOP.busy()`` is called when a message
has been read and more may follow, ``LOOP.idle_soon()`` when the reader is
about to wait for the client; the idle mark is set by a callback queued
behind whatever the messages started (an async handler's first step runs
before it). The lint threads call ``LOOP.give_way()`` before they parse and
before each piece of the file (``WatchfulBlockCache.get``): while the loop is
busy they wait, without the GIL, for at most ``MAX_WAIT_S`` per call, so a
client that never stops sending still gets its lints, one piece per wait.

Nothing is skipped or reordered, only delayed: a lint that gave way goes on
where it stopped, or ends at its next piece if a newer edit superseded it.
"""

from __future__ import annotations

import asyncio
import threading

MAX_WAIT_S = 0.25  # the longest one piece of a lint waits for a busy loop


class LoopGate:
    def __init__(self) -> None:
        self._idle = threading.Event()
        self._idle.set()
        self._pending_idle = False
        self._loop_thread: int | None = None
        self.waits = 0  # times a lint thread found the loop busy (for tests)
        self.messages = 0  # messages read from the client

    def busy(self) -> None:
        """The loop has a message to handle (called on the loop)."""
        self._loop_thread = threading.get_ident()
        self.messages += 1
        self._idle.clear()

    def idle(self) -> None:
        self._pending_idle = False
        self._idle.set()

    def idle_soon(self, still_idle=lambda: True) -> None:
        """Mark the loop idle once what is already queued on it has run (called on the loop),
        if ``still_idle()`` is then still true (no new message arrived meanwhile)."""
        if self._pending_idle or self._idle.is_set():
            return
        self._pending_idle = True

        def mark() -> None:
            self._pending_idle = False
            if still_idle():
                self._idle.set()

        try:
            asyncio.get_running_loop().call_soon(mark)
        except RuntimeError:  # no loop (unit tests calling the reader's parts): idle now
            self.idle()

    @property
    def is_busy(self) -> bool:
        return not self._idle.is_set()

    def give_way(self) -> None:
        """In a lint thread: wait while the loop is busy, at most MAX_WAIT_S."""
        if self._idle.is_set():
            return
        if threading.get_ident() == self._loop_thread:
            return  # the loop itself (a quick fix computed while answering): never wait on ourselves
        self.waits += 1
        self._idle.wait(MAX_WAIT_S)


LOOP = LoopGate()
