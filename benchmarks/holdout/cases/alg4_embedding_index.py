"""Nearest-neighbour lookup over product embeddings, fed from a Kafka-style stream."""
from typing import Iterable

import numpy as np


class EmbeddingBuffer:
    def __init__(self, dim: int) -> None:
        self.dim = dim
        self.matrix = np.empty((0, dim), dtype=np.float32)
        self.ids: list[str] = []
        self._rows: list[np.ndarray] = []

    def push(self, item_id: str, vec: np.ndarray) -> None:
        self.ids.append(item_id)
        self._rows.append(vec)

    def freeze(self) -> np.ndarray:
        return np.vstack(self._rows) if self._rows else self.matrix  # expect-none

    def ingest(self, records: Iterable[dict]) -> None:
        for rec in records:
            vec = np.asarray(rec["embedding"], dtype=np.float32)
            self.matrix = np.vstack([self.matrix, vec])  # expect: L1
            self.ids.append(rec["id"])

    def position(self, item_id: str) -> int:
        return self.ids.index(item_id)

    def neighbours(self, queries: list[str], k: int = 5) -> dict[str, list[str]]:
        out = {}
        norms = np.linalg.norm(self.matrix, axis=1)  # expect-none
        for q in queries:
            row = self.matrix[self.ids.index(q)]  # expect: L1
            sims = self.matrix @ row / (norms * np.linalg.norm(row))
            best = np.argsort(-sims)[1 : k + 1]  # expect-none
            out[q] = [self.ids[i] for i in best]
        return out


def labels_from_stream(messages: Iterable[bytes]) -> np.ndarray:
    labels = np.array([], dtype=np.int64)
    for msg in messages:
        labels = np.concatenate((labels, np.frombuffer(msg, dtype=np.int64)))  # expect: L1
    return labels


def labels_collected(messages: Iterable[bytes]) -> np.ndarray:
    parts = [np.frombuffer(m, dtype=np.int64) for m in messages]
    return np.concatenate(parts) if parts else np.array([], dtype=np.int64)  # expect-none


def dedupe_ids(stream: Iterable[str]) -> list[str]:
    kept = []
    for item_id in stream:
        if item_id not in kept:  # expect: L1
            kept.append(item_id)
    return kept


def dedupe_ids_ordered(stream: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(stream))  # expect-none


def closest_label(centroids: np.ndarray, vec: np.ndarray) -> int:
    dists = [float(np.linalg.norm(c - vec)) for c in centroids]
    return sorted(range(len(dists)), key=dists.__getitem__)[0]  # expect: L1
