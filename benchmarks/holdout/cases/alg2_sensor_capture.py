"""Capture of multi-channel sensor frames from a serial port."""
import heapq
from contextlib import contextmanager

import numpy as np


class SensorRecorder:
    def __init__(self, port, channels: int = 4):
        self.port = port
        self.channels = channels
        self.samples = np.empty(0)

    @contextmanager
    def session(self):
        self.port.open()
        try:
            yield self
        finally:
            self.port.close()

    def capture(self, n: int) -> np.ndarray:
        with self.session():
            while self.samples.size < n:
                frame = self.port.read_frame()
                self.samples = np.append(self.samples, frame)  # expect: L1
        return self.samples

    def capture_prealloc(self, n: int) -> np.ndarray:
        buf = np.zeros(n)
        filled = 0
        with self.session():
            while filled < n:
                frame = np.asarray(self.port.read_frame())[: n - filled]
                buf[filled:filled + frame.size] = frame  # expect-none
                filled += frame.size  # expect-none
        return buf

    def windows(self, count: int) -> np.ndarray:
        stacked = np.empty((0, self.channels))
        with self.session():
            for _ in range(count):
                stacked = np.vstack([stacked, self.port.read_window()])  # expect: L1
        return stacked

    def windows_once(self, count: int) -> np.ndarray:
        with self.session():
            parts = [self.port.read_window() for _ in range(count)]
        return np.vstack(parts) if parts else np.empty((0, self.channels))  # expect-none


def ascending(readings: list[float]) -> list[float]:
    pool = list(readings)
    ordered = []
    while pool:
        low = min(pool)  # expect: L1  # expect-span: 2
        pool.remove(low)
        ordered.append(low)
    return ordered


def lowest(readings: list[float], k: int) -> list[float]:
    return heapq.nsmallest(k, readings)  # expect-none


def calibrate(offsets: np.ndarray, gains: np.ndarray, raw: np.ndarray) -> np.ndarray:
    out = np.empty_like(raw)
    for ch in range(raw.shape[1]):
        out[:, ch] = (raw[:, ch] - offsets[ch]) * gains[ch]  # expect-none
    return out
