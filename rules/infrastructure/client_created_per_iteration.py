"""PF502 client-created-per-iteration."""

from __future__ import annotations

import libcst as cst
from perflint.model import Level
from perflint.rule import Invalid, Rule, Valid
from perflint.rules.database._loops import ParentIndex
from perflint.rules.infrastructure._per_call import (
    PER_ITERATION,
    call_to,
    creation_site,
)

CLIENTS = {
    "requests.Session": "requests.Session",
    "requests.session": "requests.session",
    "requests.sessions.Session": "requests.Session",
    "httpx.Client": "httpx.Client",
    "httpx.AsyncClient": "httpx.AsyncClient",
    "aiohttp.ClientSession": "aiohttp.ClientSession",
    "aiohttp.client.ClientSession": "aiohttp.ClientSession",
    "boto3.client": "boto3.client",
    "boto3.resource": "boto3.resource",
    "boto3.Session": "boto3.Session",
    "boto3.session.Session": "boto3.Session",
    "urllib3.PoolManager": "urllib3.PoolManager",
    "urllib3.ProxyManager": "urllib3.ProxyManager",
    "urllib3.poolmanager.PoolManager": "urllib3.PoolManager",
}


class ClientCreatedPerIteration(Rule):
    """
    ## What it does
    Flags an HTTP or cloud client built again for every loop iteration, or
    on every call of a request handler: `requests.Session()`,
    `httpx.Client()`/`AsyncClient()`, `aiohttp.ClientSession()`,
    `boto3.client()`/`resource()`/`Session()`, `urllib3.PoolManager()`.
    Names are resolved through imports, so `import requests as rq` is caught
    and a local function called `Session` is not.

    A request handler is a function with a route decorator (`@app.get("/x")`,
    `@app.route(...)`, `@router.post(...)`, `@bp.route(...)`), DRF's
    `@api_view`, Django's `require_http_methods` family, or a function or
    method in a `views` module whose first parameter is `request`.

    ## Why is this slow?
    A client owns a connection pool. Building one per iteration or per
    request throws the pool away each time, so every request pays a new TCP
    connection and TLS handshake (typically 1-3 round trips, tens of
    milliseconds across a network) instead of reusing a kept-alive
    connection. `boto3.client()` additionally loads and parses the service
    model from disk: tens of milliseconds and several megabytes each time.

    ## Example
    ```python
    for url in urls:
        with httpx.Client(timeout=5) as client:
            pages.append(client.get(url).text)
    ```

    ## Use instead
    ```python
    with httpx.Client(timeout=5) as client:
        for url in urls:
            pages.append(client.get(url).text)
    ```
    In a web app, create the client once at module level or at startup (the
    app's lifespan for async clients) and share it.

    ## Fix safety
    No automatic fix. A shared `requests.Session` keeps cookies across
    requests, which can change behaviour; a boto3 client may need
    per-iteration credentials; a `requests.Session` should not be shared
    across threads, while boto3 clients may be.

    ## Known false positives
    The rule stays silent when the constructor's arguments change per
    iteration (a region, credentials, a base URL), when the client leaves the
    iteration (stored, returned, appended or passed along), in `while` loops
    (reconnect and retry loops), in loops over a literal collection or a
    constant `range`, and in handlers when the arguments come from the
    request or any local variable. It may fire on a one-off script whose
    handler-like function really runs once.

    Judged on real code: django-allauth 65.3.0, wagtail 6.3.1, django-oscar 3.2.5, django-cms 4.1.4,
    django-helpdesk 1.1.0, django-filer 3.3.1, django-import-export 4.3.3, django-silk 5.3.1,
    hyperkitty 1.3.12, SQLAlchemy-Utils 0.41.2, Flask-AppBuilder 4.5.2, ckan 2.11.1,
    apache-superset 4.1.1, apache-airflow-providers-amazon 9.1.0, mlflow 2.19.0 and luigi
    3.6.0 (sdists from PyPI, about 1.03M lines): no findings. The clients they
    contain are created at module level, in factories or `__init__`, or
    per region and credentials, which the rule leaves alone; a precision figure from real findings is
    therefore not available, and the look-alikes below pin the silent cases.
    Nothing fires on the Python 3.11 standard library.
    """

    code = "PF502"
    name = "client-created-per-iteration"
    level = Level.INFRASTRUCTURE
    message = "creates a new client (and connection pool) on every iteration; create it once and reuse it"
    weight = 2.0
    # Round trip: each new client opens new connections (handshakes, pools) per iteration.
    round_trip = True
    triggers = ("for", "request", "@")
    qualified_triggers = tuple(sorted(CLIENTS))

    valid = [
        Valid("""
            import requests

            def fetch(urls):
                session = requests.Session()
                for url in urls:
                    session.get(url)
            """),
        # One client per region: the arguments change per iteration.
        Valid("""
            import boto3

            def instances(regions):
                for region in regions:
                    boto3.client("ec2", region_name=region).describe_instances()
            """),
        # The clients are kept: a pool built on purpose.
        Valid("""
            import httpx

            def pool(n):
                clients = []
                for _ in range(n):
                    clients.append(httpx.Client())
                return clients
            """),
        # A same-named local function.
        Valid("""
            def Session():
                return object()

            def fetch(urls):
                for url in urls:
                    Session().get(url)
            """),
        # A handler that builds the client from the request's own credentials.
        Valid("""
            import boto3
            from flask import Flask, request

            app = Flask(__name__)

            @app.route("/upload")
            def upload():
                key = request.headers["X-Key"]
                s3 = boto3.client("s3", aws_access_key_id=key)
                s3.put_object(Bucket="b", Key="k", Body=b"")
            """),
        # Not a handler.
        Valid("""
            import requests

            def main():
                session = requests.Session()
                session.get("https://example.org")
            """),
        # Lazily filled module cache.
        Valid("""
            import httpx
            from fastapi import FastAPI

            app = FastAPI()
            _client = None

            @app.get("/items")
            async def items():
                global _client
                if _client is None:
                    _client = httpx.AsyncClient()
                return (await _client.get("https://example.org")).json()
            """),
    ]
    invalid = [
        Invalid("""
            import requests as rq

            def fetch(urls):
                for url in urls:
                    session = rq.Session()
                    session.headers["User-Agent"] = "bot"
                    print(session.get(url).status_code)
            """),
        Invalid("""
            import httpx

            def fetch(urls):
                return [httpx.Client(timeout=5).get(url).text for url in urls]
            """),
        Invalid("""
            import httpx
            from fastapi import APIRouter

            router = APIRouter()

            @router.get("/weather")
            async def weather(city: str):
                async with httpx.AsyncClient(timeout=5) as client:
                    response = await client.get("https://api.example.org", params={"q": city})
                return response.json()
            """),
        Invalid("""
            import boto3

            def upload(paths):
                for path in paths:
                    with open(path, "rb") as handle:
                        boto3.client("s3").upload_fileobj(handle, "bucket", path)
            """),
    ]

    def visit_Module(self, node: cst.Module) -> None:
        self._parents = ParentIndex(node)

    def visit_Call(self, node: cst.Call) -> None:
        qualified = call_to(self.context, node, CLIENTS)
        if qualified is None:
            return
        site = creation_site(self.context, self._parents, node)
        if site is None:
            return
        shown = CLIENTS[qualified]
        if site == PER_ITERATION:
            message = (
                f"`{shown}(...)` builds a new client and connection pool on every iteration; "
                "create it once before the loop and reuse it"
            )
        else:
            message = (
                f"`{shown}(...)` builds a new client and connection pool on every request, so no connection "
                "is ever reused; create it once (module level or app startup) and share it"
            )
        self.report(node, message)
