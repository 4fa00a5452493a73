"""Kafka consumer that routes order events; an asyncio variant for the outbox."""
from __future__ import annotations

import asyncio
import json
import re
from typing import Any

import yaml
from kafka import KafkaConsumer

ROUTING_YAML = """
order.created: fulfilment
order.cancelled: refunds
order.address_changed: fulfilment
"""
TENANT_PREFIX = "acme"
_ROUTES = yaml.safe_load(ROUTING_YAML)  # expect-none
_KEY = re.compile(rf"^{TENANT_PREFIX}-(?P<order>\d+)$")  # expect-none


class OrderEventRouter:
    def __init__(self, consumer: KafkaConsumer, publisher) -> None:
        self.consumer = consumer
        self.publisher = publisher

    def handle(self, record) -> None:
        routes = yaml.safe_load(ROUTING_YAML)  # expect: L3
        event: dict[str, Any] = json.loads(record.value)  # expect-none
        target = routes.get(event["type"])
        if target:
            self.publisher.send(target, event)

    def run(self) -> None:
        for record in self.consumer:
            self.handle(record)


class OutboxRelay:
    def __init__(self, queue: asyncio.Queue, publisher) -> None:
        self.queue = queue
        self.publisher = publisher

    async def drain(self) -> int:
        relayed = 0
        while True:
            key, body = await self.queue.get()
            if key is None:
                break
            if (m := re.compile(rf"^{TENANT_PREFIX}-(?P<order>\d+)$").match(key)) is None:  # expect: L3
                continue
            event = json.loads(body)
            await self.publisher.send(_ROUTES.get(event["type"], "dead-letter"), m["order"], event)
            relayed += 1
        return relayed

    async def drain_v2(self) -> int:
        relayed = 0
        while (item := await self.queue.get())[0] is not None:
            key, body = item
            if (m := _KEY.match(key)) is None:  # expect-none
                continue
            await self.publisher.send(_ROUTES.get(json.loads(body)["type"], "dead-letter"), m["order"], body)
            relayed += 1
        return relayed


def route_table(rules: list[str]) -> dict[str, str]:
    out = {}
    for rule in rules:
        pattern = re.compile(rf"^{re.escape(rule)}\.(\w+)$")  # expect-none
        out[rule] = pattern.pattern
    return out
