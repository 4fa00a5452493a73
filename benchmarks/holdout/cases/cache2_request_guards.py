"""Django middleware and an aiohttp gateway that screen requests."""
from __future__ import annotations

import json
import os
import re
from typing import Awaitable, Callable

from aiohttp import web
from django.core.management.base import BaseCommand
from django.http import HttpResponseForbidden

BLOCKED_AGENTS = ["sqlmap", "nikto", "masscan", "zgrab", "nuclei"]
_AGENT_RE = re.compile("|".join(BLOCKED_AGENTS), re.I)  # expect-none


class AgentBlockMiddleware:
    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response
        self.allowlist = set(json.loads(os.environ.get("IP_ALLOWLIST", "[]")))  # expect-none

    def __call__(self, request):
        agent = request.META.get("HTTP_USER_AGENT", "")
        blocked = re.compile("|".join(BLOCKED_AGENTS), re.I)  # expect: L3
        if request.META.get("REMOTE_ADDR") not in self.allowlist and blocked.search(agent):
            return HttpResponseForbidden()
        return self.get_response(request)


class AgentBlockMiddlewareV2:
    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request):
        if _AGENT_RE.search(request.META.get("HTTP_USER_AGENT", "")):  # expect-none
            return HttpResponseForbidden()
        return self.get_response(request)


@web.middleware
async def quota_guard(request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]):
    quotas = json.loads(os.environ["TENANT_QUOTAS"])  # expect: L3
    tenant = request.headers.get("X-Tenant", "public")
    if request.app["usage"].get(tenant, 0) >= quotas.get(tenant, 1000):
        raise web.HTTPTooManyRequests()
    return await handler(request)


async def health(request: web.Request) -> web.Response:
    return web.json_response({"ok": True})


def make_app() -> web.Application:
    app = web.Application(middlewares=[quota_guard])
    app["quotas"] = json.loads(os.environ.get("TENANT_QUOTAS", "{}"))  # expect-none
    app["usage"] = {}
    app.router.add_get("/health", health)
    return app


class Command(BaseCommand):
    help = "Scan the access log for blocked agents."

    def add_arguments(self, parser):
        parser.add_argument("logfile")

    def handle(self, *args, **options):
        pattern = re.compile("|".join(BLOCKED_AGENTS), re.I)  # expect-none
        hits = 0
        with open(options["logfile"]) as fh:
            for line in fh:
                if pattern.search(line):
                    hits += 1
        self.stdout.write(f"{hits} blocked requests")
