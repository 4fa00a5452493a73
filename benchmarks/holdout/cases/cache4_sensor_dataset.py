"""Sensor dataset wrappers: properties, __iter__, __getitem__ feeding training loops."""
import functools
import json
from datetime import datetime

import numpy as np
from jsonschema import Draft7Validator

EPOCH = "2020-01-01T00:00:00"
READING_SCHEMA = {"type": "object", "required": ["ts", "values"]}
READING_VALIDATOR = Draft7Validator(READING_SCHEMA)  # expect-none
EPOCH_DT = datetime.fromisoformat(EPOCH)  # expect-none


class Readings:
    def __init__(self, lines: list[str], calibration: np.ndarray):
        self.lines = lines
        self.calibration = calibration
        self.inverse = np.linalg.inv(calibration)  # expect-none

    @property
    def validator(self) -> Draft7Validator:
        return Draft7Validator(READING_SCHEMA)  # expect: L3

    def __len__(self) -> int:
        return len(self.lines)

    def __iter__(self):
        for line in self.lines:
            doc = json.loads(line)  # expect-none
            offset = datetime.fromisoformat(doc["ts"]) - datetime.strptime(EPOCH, "%Y-%m-%dT%H:%M:%S")  # expect: L3
            yield offset.total_seconds(), doc["values"]

    def __getitem__(self, i: int) -> np.ndarray:
        return np.linalg.inv(self.calibration) @ np.asarray(json.loads(self.lines[i])["values"])  # expect: L3

    def clean(self) -> list[dict]:
        return [d for d in map(json.loads, self.lines) if self.validator.is_valid(d)]


class ReadingsV2(Readings):
    def __iter__(self):
        for line in self.lines:
            doc = json.loads(line)  # expect-none
            yield (datetime.fromisoformat(doc["ts"]) - EPOCH_DT).total_seconds(), doc["values"]  # expect-none

    def __getitem__(self, i: int) -> np.ndarray:
        return self.inverse @ np.asarray(json.loads(self.lines[i])["values"])  # expect-none

    def clean(self) -> list[dict]:
        return [d for d in map(json.loads, self.lines) if READING_VALIDATOR.is_valid(d)]  # expect-none


class Station:
    def __init__(self, code: str, meta_json: str):
        self.code = code
        self.meta_json = meta_json

    @property
    @functools.lru_cache(maxsize=None)  # expect: L3  # expect-span: 2
    def meta(self) -> dict:
        return json.loads(self.meta_json)

    @functools.cached_property
    def meta_v2(self) -> dict:
        return json.loads(self.meta_json)  # expect-none


def train(ds: Readings, epochs: int = 3) -> float:
    total = 0.0
    for _ in range(epochs):
        for i in range(len(ds)):
            total += float(ds[i].sum())
        for secs, values in ds:
            total += secs * 0
    return total
