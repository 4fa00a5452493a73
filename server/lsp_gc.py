"""Full garbage collections that visit only what is new, and complete ones when the server is quiet.

CPython runs a full (generation 2) collection by itself whenever enough objects
have survived the younger generations, and a full pass visits every tracked
object: with 40 documents open (their trees, blocks and inference kept for
incremental lints) one pass took 41 ms at the start of an edit burst and
345 ms two seconds later, every half second, holding the GIL throughout, so
every request waiting behind it waited that long (``benchmarks/lsp_stress.py``,
2 cores; found with ``gc.callbacks``). Turning those passes off is no answer:
a lint leaves cycles behind (about 1 MB per 1,000-line document, libcst's
among them) that only a full pass frees, and a 10,000-edit run then peaked at
480 MB instead of 340.

So, as in long-running web servers (``gc.freeze``):

- after every full pass, CPython's own or ours, what survived it is frozen
  (moved out of the collector's reach) at the next look, every ``QUIET_S``, so
  the next automatic full pass visits only what was made since: a pause
  proportional to the last second's work, not to every open document. (Not
  from a ``gc.callbacks`` hook: Python code run inside every collection lets
  another thread in, in the middle of an ``ast.parse``, which CPython 3.11
  does not survive; see ``source.parse_ast``.)
- a frozen object that later becomes cyclic garbage is freed by the next
  *complete* pass, which unfreezes everything first: run when the server has
  been quiet for ``QUIET_S`` (no message from the client, no lint or fix-all
  running) and something happened since the last one, at the latest
  ``LONGEST_WITHOUT_S`` after it, and after documents are closed
  (``PerflintServer._give_back_memory``).
"""

from __future__ import annotations

import asyncio
import gc
import time
from typing import Callable, Optional

QUIET_S = 0.5
LONGEST_WITHOUT_S = 30.0


def full_collections() -> int:
    return gc.get_stats()[2]["collections"]


def young_collections() -> int:
    """Generation-1 collections so far: objects that may have moved into generation 2."""
    return gc.get_stats()[1]["collections"]


class QuietCollector:
    """Freezes what survives each full pass; runs complete passes when ``busy()`` has been false a while."""

    def __init__(self, activity: Callable[[], int], busy: Callable[[], bool]) -> None:
        self.activity = activity  # a counter that moves with every message from the client
        self.busy = busy  # whether a lint or fix-all is running now
        self.complete = 0  # complete passes run here (for tests)
        self._seen = -1
        self._young = young_collections()
        self._full = full_collections()
        self._last_complete = time.monotonic()
        self._timer: Optional[asyncio.TimerHandle] = None

    def start(self) -> None:
        """Look every QUIET_S from now on (call on the running loop)."""
        self._tick()

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def collect_all(self) -> None:
        """A complete pass: every object, frozen ones included; the survivors are frozen again."""
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        self.complete += 1
        self._young = young_collections()
        self._full = full_collections()
        self._last_complete = time.monotonic()

    def _tick(self) -> None:
        self._timer = None
        activity = self.activity()
        quiet = activity == self._seen and not self.busy()
        self._seen = activity
        overdue = time.monotonic() - self._last_complete >= LONGEST_WITHOUT_S
        if (quiet or overdue) and young_collections() != self._young:
            self.collect_all()
        elif full_collections() != self._full:  # CPython ran a full pass: out of the next one's way
            gc.freeze()
            self._full = full_collections()
        try:
            self._timer = asyncio.get_running_loop().call_later(QUIET_S, self._tick)
        except RuntimeError:  # the loop is gone
            pass
