"""Full garbage collections when the server is quiet, not in the middle of an edit burst.

CPython runs a full (generation 2) collection by itself whenever enough objects
have survived the younger generations, and a full pass visits every tracked
object: with 40 documents open (their trees, blocks and inference kept for
incremental lints) one pass took 41 ms at the start of an edit burst and
345 ms two seconds later, every half second, holding the GIL throughout, so
every request waiting behind it waited that long (``benchmarks/lsp_stress.py``,
2 cores; found with ``gc.callbacks``).

Here automatic full collections are off (the third threshold is out of reach;
generations 0 and 1, a few milliseconds at most, run as before), and the
server runs them itself:

- when it has been quiet for ``QUIET_S`` (no message from the client, no lint
  or fix-all running) and something was collected into generation 2 since the
  last full pass, so a user who stops typing for a moment pays for the pass
  while nothing waits;
- at the latest ``LONGEST_WITHOUT_S`` after the last full pass, quiet or not,
  so a client that never pauses still gets its cycles freed, as before, only
  much less often.

Closing documents collects fully as well (``PerflintServer._give_back_memory``).
"""

from __future__ import annotations

import asyncio
import gc
import time
from typing import Callable, Optional

QUIET_S = 0.5
LONGEST_WITHOUT_S = 30.0
NEVER = 1 << 30  # a third threshold no count of generation-1 collections reaches


def young_collections() -> int:
    """Generation-1 collections so far: objects that may have moved into generation 2."""
    return gc.get_stats()[1]["collections"]


class QuietCollector:
    """Runs full collections on the event loop when ``busy()`` has been false for a while."""

    def __init__(self, activity: Callable[[], int], busy: Callable[[], bool]) -> None:
        self.activity = activity  # a counter that moves with every message from the client
        self.busy = busy  # whether a lint or fix-all is running now
        self.full = 0  # full collections run here (for tests)
        self._seen = -1
        self._young = young_collections()
        self._last_full = time.monotonic()
        self._timer: Optional[asyncio.TimerHandle] = None
        self._previous_threshold: Optional[tuple[int, int, int]] = None

    def start(self) -> None:
        """Take over full collections (call on the running loop)."""
        if self._previous_threshold is None:
            self._previous_threshold = gc.get_threshold()
            first, second, _ = self._previous_threshold
            gc.set_threshold(first, second, NEVER)
        self._tick()

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._previous_threshold is not None:
            gc.set_threshold(*self._previous_threshold)
            self._previous_threshold = None

    def collected(self) -> None:
        """Someone else ran a full collection (after closing documents)."""
        self._young = young_collections()
        self._last_full = time.monotonic()

    def _tick(self) -> None:
        self._timer = None
        activity = self.activity()
        quiet = activity == self._seen and not self.busy()
        self._seen = activity
        overdue = time.monotonic() - self._last_full >= LONGEST_WITHOUT_S
        if (quiet or overdue) and young_collections() != self._young:
            gc.collect()
            self.full += 1
            self.collected()
        try:
            self._timer = asyncio.get_running_loop().call_later(QUIET_S, self._tick)
        except RuntimeError:  # the loop is gone
            pass
