"""The LSP base protocol as the benchmark clients read it (not a benchmark)."""

from __future__ import annotations

import asyncio
import json
from typing import Any, Optional


async def read_message(stream: asyncio.StreamReader) -> Optional[Any]:
    """The next JSON-RPC message from a server's stdout, or None when it has closed."""
    length = 0
    while (line := await stream.readline()) not in (b"\r\n", b""):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    if not line:
        return None
    return json.loads(await stream.readexactly(length))
