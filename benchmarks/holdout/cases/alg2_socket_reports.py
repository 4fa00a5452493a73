"""Reads framed telemetry over asyncio streams and renders text reports."""
import asyncio

import numpy as np


async def read_frame(reader: asyncio.StreamReader, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = await reader.read(size - len(data))
        if not chunk:
            raise ConnectionError("peer closed")
        data += chunk  # expect: L1
    return data


async def read_frame_exact(reader: asyncio.StreamReader, size: int) -> bytes:
    return await reader.readexactly(size)  # expect-none


class ReportRenderer:
    def __init__(self, title: str):
        self.title = title
        self.out = ""

    async def render(self, rows) -> str:
        async for row in rows:
            self.out = f"{self.out}{row['host']:<20}{row['cpu']:>6.1f}\n"  # expect: L1
        return self.out

    def render_lines(self, rows: list[dict]) -> str:
        body = "\n".join(f"{r['host']:<20}{r['cpu']:>6.1f}" for r in rows)  # expect-none
        return f"{self.title}\n{body}\n"


class Histogram:
    def __init__(self):
        self.values = np.array([])

    def feed(self, batches) -> None:
        for batch in batches:
            self.values = np.concatenate([self.values, np.asarray(batch)])  # expect: L1

    def feed_once(self, batches) -> None:
        parts = [np.asarray(b) for b in batches]
        self.values = np.concatenate([self.values, *parts])  # expect-none


def drain_lines(buffer: list[str]) -> list[str]:
    done = []
    while buffer:
        done.append(buffer[0].rstrip())
        del buffer[0]  # expect: L1
    return done
