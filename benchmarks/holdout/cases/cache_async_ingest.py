import asyncio
import json
from pathlib import Path

from jsonschema import Draft202012Validator
from pydantic import TypeAdapter

SCHEMA = json.loads(Path("/etc/ingest/telemetry.schema.json").read_text())
ROWS = TypeAdapter(list[dict[str, float]])


class TelemetryWorker:
    def __init__(self, queue: asyncio.Queue, sink):
        self.queue = queue
        self.sink = sink
        self.validator = Draft202012Validator(SCHEMA)

    async def process(self, raw: bytes) -> None:
        validator = Draft202012Validator(SCHEMA)  # expect: L3
        doc = json.loads(raw)
        if not validator.is_valid(doc):
            return
        rows = TypeAdapter(list[dict[str, float]]).validate_python(doc["rows"])  # expect: L3
        await self.sink.write(rows)

    async def process_v2(self, raw: bytes) -> None:
        doc = json.loads(raw)
        if self.validator.is_valid(doc):  # expect-none
            await self.sink.write(ROWS.validate_python(doc["rows"]))  # expect-none

    async def run(self) -> None:
        while True:
            raw = await self.queue.get()
            await self.process(raw)
            self.queue.task_done()


async def check_once(path: Path) -> bool:
    # a startup self-check, run once
    validator = Draft202012Validator(SCHEMA)  # expect-none
    return validator.is_valid(json.loads(path.read_text()))
