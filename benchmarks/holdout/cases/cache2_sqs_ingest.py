"""SQS-triggered Lambda that ingests telemetry batches; a CLI backfill reuses it."""
import argparse
import functools
import json
import os
from datetime import datetime, timezone

from jsonschema import Draft7Validator

READING_SCHEMA = {
    "type": "object",
    "required": ["device", "ts", "value"],
    "properties": {"device": {"type": "string"}, "ts": {"type": "string"}, "value": {"type": "number"}},
}
EPOCH_START = "2020-01-01T00:00:00+00:00"
_validator = Draft7Validator(READING_SCHEMA)  # expect-none
_epoch = datetime.fromisoformat(EPOCH_START)  # expect-none


def _store(rows):
    return len(rows)


def _thresholds():
    return json.loads(os.environ.get("DEVICE_THRESHOLDS", "{}"))  # expect: L3


def handler(event, context):
    rows = []
    for record in event["Records"]:
        reading = json.loads(record["body"])  # expect-none
        validator = Draft7Validator(READING_SCHEMA)  # expect: L3
        if not validator.is_valid(reading):
            continue
        limit = _thresholds().get(reading["device"], 100.0)
        start = datetime.strptime("2020-01-01", "%Y-%m-%d").replace(tzinfo=timezone.utc)  # expect: L3
        ts = datetime.fromisoformat(reading["ts"])  # expect-none
        rows.append((reading["device"], (ts - start).total_seconds(), min(reading["value"], limit)))
    return {"stored": _store(rows)}


@functools.lru_cache(maxsize=1)
def _limits():
    return json.loads(os.environ.get("DEVICE_THRESHOLDS", "{}"))  # expect-none


def handler_v2(event, context):
    limits = _limits()
    parse = functools.partial(json.loads, parse_float=float)
    readings = [parse(r["body"]) for r in event["Records"]]  # expect-none
    rows = [
        (r["device"], (datetime.fromisoformat(r["ts"]) - _epoch).total_seconds(), min(r["value"], limits.get(r["device"], 100.0)))
        for r in readings
        if _validator.is_valid(r)  # expect-none
    ]
    return {"stored": _store(rows)}


def backfill(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="+")
    args = parser.parse_args(argv)
    schema = Draft7Validator(READING_SCHEMA)  # expect-none
    limits = json.loads(os.environ.get("DEVICE_THRESHOLDS", "{}"))  # expect-none
    for path in args.files:
        with open(path) as fh:
            rows = [json.loads(line) for line in fh]
        print(path, sum(1 for r in rows if schema.is_valid(r) and r["value"] < limits.get(r["device"], 100.0)))


if __name__ == "__main__":
    backfill()
