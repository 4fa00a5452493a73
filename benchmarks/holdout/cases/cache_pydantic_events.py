from datetime import datetime
from typing import Literal

from kafka import KafkaConsumer
from pydantic import BaseModel, TypeAdapter


class ShipmentEvent(BaseModel):
    kind: Literal["picked", "packed", "shipped"]
    parcel_id: str
    at: datetime


EVENTS = TypeAdapter(list[ShipmentEvent])


class ShipmentListener:
    def __init__(self, consumer: KafkaConsumer, store):
        self.consumer = consumer
        self.store = store

    def handle(self, value: bytes) -> None:
        adapter = TypeAdapter(list[ShipmentEvent])  # expect: L3
        for event in adapter.validate_json(value):
            self.store.record(event.parcel_id, event.kind, event.at)

    def handle_v2(self, value: bytes) -> None:
        for event in EVENTS.validate_json(value):  # expect-none
            self.store.record(event.parcel_id, event.kind, event.at)

    def run(self) -> None:
        for message in self.consumer:
            self.handle(message.value)


def parse_single(data: dict) -> ShipmentEvent:
    return ShipmentEvent.model_validate(data)  # expect-none


def parse_bulk(payloads: list[bytes]) -> list[list[ShipmentEvent]]:
    return [TypeAdapter(list[ShipmentEvent]).validate_json(p) for p in payloads]  # expect: L3
