"""Request middleware of the multi-tenant portal (``portal.middleware``).

``TenantMiddleware`` is listed in ``settings.MIDDLEWARE``: Django builds it
once at start-up and calls it for every request.  The resolvers and policy
objects are reusable on their own (the Channels consumer uses them too).
"""
from __future__ import annotations

import fnmatch
import json
import os
import re
import xml.etree.ElementTree as ET
from functools import cached_property, lru_cache

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound

PUBLIC_SUFFIXES = ("portal.example", "portal-staging.example", "localhost")
CSP_POLICY_XML = """<policy>
  <directive name="default-src">'self'</directive>
  <directive name="img-src">'self' data:</directive>
</policy>"""
FLAGS_JSON = '{"beta_reports": false, "new_nav": true}'
DEFAULTS = {"maintenance": "[]", "rate": "120"}
OPEN_PATHS = ("/health*", "/static/*", "/api/*/public/*")

_HOST_RE = re.compile(r"^(?P<tenant>[a-z0-9-]+)\.(?:%s)$" % "|".join(map(re.escape, PUBLIC_SUFFIXES)))  # expect-none
_CSP = "; ".join(f"{d.get('name')} {d.text}" for d in ET.fromstring(CSP_POLICY_XML))  # expect-none


class HostRules:
    def tenant_of(self, host: str) -> str | None:
        rx = re.compile(r"^(?P<tenant>[a-z0-9-]+)\.(?:%s)$" % "|".join(map(re.escape, PUBLIC_SUFFIXES)))  # expect: L3
        m = rx.match(host)
        return m["tenant"] if m else None


class SecurityHeaders:
    def csp(self) -> str:
        root = ET.fromstring(CSP_POLICY_XML)  # expect: L3
        return "; ".join(f"{d.get('name')} {d.text}" for d in root)


class FeatureFlags:
    def __getitem__(self, name: str) -> bool:
        return bool(json.loads(FLAGS_JSON).get(name, False))  # expect: L3


def maintenance_windows() -> list[dict]:
    return json.loads(os.getenv("PORTAL_MAINTENANCE", DEFAULTS["maintenance"]))  # expect: L3


def backoff_schedules(seconds: int) -> int:  # expect: L3  # expect-span: 5
    """Distinct retry schedules adding up to ``seconds`` with 1, 2 and 4 s waits."""
    if seconds <= 1:
        return 1 if seconds >= 0 else 0
    return backoff_schedules(seconds - 1) + backoff_schedules(seconds - 2) + backoff_schedules(seconds - 4)


def is_open(path: str) -> bool:
    return any(fnmatch.fnmatchcase(path, p) for p in OPEN_PATHS)  # expect-none


class RequestContext:
    def __init__(self, request: HttpRequest, tenant: str) -> None:
        self.request = request
        self.tenant = tenant

    @property
    @lru_cache(maxsize=None)  # expect: L3  # expect-span: 2
    def languages(self) -> list[str]:
        header = self.request.headers.get("Accept-Language", "")
        return [part.split(";")[0].strip() for part in header.split(",") if part]

    @cached_property
    def rate_limit(self) -> int:
        return int(os.environ.get("PORTAL_RATE", DEFAULTS["rate"]))  # expect-none


class TenantMiddleware:
    def __init__(self, get_response) -> None:
        if not getattr(settings, "PORTAL_MULTI_TENANT", True):
            raise MiddlewareNotUsed
        self.get_response = get_response
        self.hosts = HostRules()
        self.headers = SecurityHeaders()
        self.flags = FeatureFlags()
        self.windows = json.loads(os.getenv("PORTAL_MAINTENANCE", DEFAULTS["maintenance"]))  # expect-none

    def __call__(self, request: HttpRequest) -> HttpResponse:
        tenant = self.hosts.tenant_of(request.get_host())
        if tenant is None:
            return HttpResponseNotFound()
        request.portal = RequestContext(request, tenant)
        if maintenance_windows() and not is_open(request.path):
            return HttpResponse(status=503, headers={"X-Schedules": str(backoff_schedules(24))})
        response = self.get_response(request)
        response["Content-Security-Policy"] = self.headers.csp()
        if self.flags["new_nav"]:
            response["X-Nav"] = "2"
        return response


class TenantMiddlewareFast:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        m = _HOST_RE.match(request.get_host())  # expect-none
        if m is None or not is_open(request.path):
            return HttpResponseNotFound()
        response = self.get_response(request)
        response["Content-Security-Policy"] = _CSP  # expect-none
        return response

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse:
        detail = json.loads(FLAGS_JSON)  # expect-none
        return HttpResponse(status=500, headers={"X-Debug": str(detail.get("beta_reports"))})
