"""Async notification worker: renders messages per channel with a match on the kind."""
from __future__ import annotations

import asyncio
import json
import os
import re
from dataclasses import dataclass

import markdown
import yaml

CHANNEL_RULES = """
email: {max_len: 20000, markdown: true}
sms: {max_len: 160, markdown: false}
push: {max_len: 240, markdown: false}
"""
PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}")
_RULES = yaml.safe_load(CHANNEL_RULES)  # expect-none
_MD = markdown.Markdown(extensions=["nl2br"])  # expect-none


@dataclass(slots=True)
class Notification:
    kind: str
    body: str
    context: dict[str, str]


def fill(body: str, context: dict[str, str]) -> str:
    return PLACEHOLDER.sub(lambda m: context.get(m.group(1), ""), body)  # expect-none


class Worker:
    def __init__(self, queue: asyncio.Queue, sender) -> None:
        self.queue = queue
        self.sender = sender
        self.quiet = set(json.loads(os.environ.get("QUIET_CHANNELS", "[]")))  # expect-none

    async def run(self) -> None:
        while (note := await self.queue.get()) is not None:
            rules = yaml.safe_load(CHANNEL_RULES)  # expect: L3
            text = fill(note.body, note.context)
            match note.kind:
                case "email" if rules["email"]["markdown"]:
                    md = markdown.Markdown(extensions=["nl2br"])  # expect: L3
                    text = md.convert(text)
                case "sms" | "push":
                    text = text[: rules[note.kind]["max_len"]]
                case _:
                    continue
            await self.sender.send(note.kind, text)

    async def run_v2(self) -> None:
        while (note := await self.queue.get()) is not None:
            if note.kind in self.quiet:
                continue
            text = fill(note.body, note.context)
            match note.kind:
                case "email":
                    _MD.reset()
                    text = _MD.convert(text)  # expect-none
                case "sms" | "push":
                    text = text[: _RULES[note.kind]["max_len"]]  # expect-none
            await self.sender.send(note.kind, text)

    async def muted(self) -> set[str]:
        return set(json.loads(os.environ.get("QUIET_CHANNELS", "[]")))  # expect-none
