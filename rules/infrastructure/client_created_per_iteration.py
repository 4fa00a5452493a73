"""PF502 client-created-per-iteration."""

from __future__ import annotations

import ast
import re

import libcst as cst
from perflint.model import Level
from perflint.models_index import imported_name
from perflint.rule import Benchmark, Invalid, Rule, Valid
from perflint.rules.database._loops import ParentIndex
from perflint.rules.infrastructure._per_call import (
    PER_INSTANCE,
    PER_ITERATION,
    call_to,
    creation_site,
    instance_use,
    session_factory,
    why_repeated,
)

_INDENTED_IMPORT = re.compile(r"^[ \t]+(?:from[ \t]+[\w.]+[ \t]+)?import[ \t]", re.M)

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
    "google.cloud.storage.Client": "storage.Client",
    "google.cloud.storage.client.Client": "storage.Client",
    "google.cloud.bigquery.Client": "bigquery.Client",
    "grpc.insecure_channel": "grpc.insecure_channel",
    "grpc.secure_channel": "grpc.secure_channel",
    "grpc.aio.insecure_channel": "grpc.aio.insecure_channel",
    "grpc.aio.secure_channel": "grpc.aio.secure_channel",
    "kafka.KafkaProducer": "KafkaProducer",
    "kafka.KafkaConsumer": "KafkaConsumer",
    "aiokafka.AIOKafkaProducer": "AIOKafkaProducer",
    "confluent_kafka.Producer": "confluent_kafka.Producer",
    "pika.BlockingConnection": "pika.BlockingConnection",
    "paramiko.SSHClient": "paramiko.SSHClient",
    "paramiko.client.SSHClient": "paramiko.SSHClient",
    "smtplib.SMTP": "smtplib.SMTP",
    "smtplib.SMTP_SSL": "smtplib.SMTP_SSL",
    # notification SDKs whose client owns a pooled HTTP session or an HTTP/2 connection
    "twilio.rest.Client": "twilio Client",
    "twilio.rest.client.Client": "twilio Client",
    "twilio.rest.TwilioRestClient": "twilio Client",
    "nexmo.Client": "nexmo.Client",
    "vonage.Client": "vonage.Client",
    "apns2.client.APNsClient": "APNsClient",
    "aioapns.APNs": "aioapns.APNs",
    "postmarker.core.PostmarkClient": "PostmarkClient",
    "pyfcm.FCMNotification": "FCMNotification",
    "mailjet_rest.Client": "mailjet Client",
    "mailjet_rest.client.Client": "mailjet Client",
    "pusher.Pusher": "Pusher",
    "pusher.Pusher.from_url": "Pusher.from_url",
    "pusher.Pusher.from_env": "Pusher.from_env",
    # a requests Session of its own
    "google.auth.transport.requests.AuthorizedSession": "AuthorizedSession",
    "pysolr.Solr": "pysolr.Solr",
    # API SDKs that keep an HTTP connection pool (httpx, requests, urllib3) or a gRPC channel
    "openai.OpenAI": "OpenAI",
    "openai.AsyncOpenAI": "AsyncOpenAI",
    "anthropic.Anthropic": "Anthropic",
    "anthropic.AsyncAnthropic": "AsyncAnthropic",
    "stripe.StripeClient": "StripeClient",
    "hvac.Client": "hvac.Client",
    "minio.Minio": "Minio",
    "azure.storage.blob.BlobServiceClient": "BlobServiceClient",
    "azure.storage.blob.BlobServiceClient.from_connection_string": "BlobServiceClient.from_connection_string",
    "google.cloud.pubsub_v1.PublisherClient": "pubsub PublisherClient",
    "google.cloud.tasks_v2.CloudTasksClient": "CloudTasksClient",
}


class ClientCreatedPerIteration(Rule):
    """
    ## What it does
    Flags an HTTP, cloud, RPC, messaging, mail or SSH client built again for
    every loop iteration, or on every call of code that runs repeatedly:
    `requests.Session()`, `httpx.Client()`/`AsyncClient()`,
    `aiohttp.ClientSession()`, `boto3.client()`/`resource()`/`Session()`
    (also `boto3.session.Session().client(...)`), `urllib3.PoolManager()`,
    GCS `storage.Client()`, `bigquery.Client()`,
    `grpc.insecure_channel()`/`secure_channel()` (and `grpc.aio`),
    `KafkaProducer`/`KafkaConsumer`, `AIOKafkaProducer`,
    `confluent_kafka.Producer`, `pika.BlockingConnection`,
    `paramiko.SSHClient`, `smtplib.SMTP`/`SMTP_SSL`, and the notification SDK
    clients of Twilio, Vonage/Nexmo, APNs (`apns2`, `aioapns`), Postmark and pyfcm, and API SDK
    clients that keep a connection pool or a gRPC channel (`openai.OpenAI`/`AsyncOpenAI`,
    `anthropic.Anthropic`/`AsyncAnthropic`, `stripe.StripeClient`, `hvac.Client`,
    `minio.Minio`, Azure's `BlobServiceClient`, Google Cloud's Pub/Sub `PublisherClient` and
    `CloudTasksClient`). Names are resolved
    through imports, so `import requests as rq` is caught and a local
    function called `Session` is not.

    Code runs repeatedly (`context.runs_repeatedly()`, from
    `perflint.repetition`; the reason is in the message) when it is a web
    route or view (`@app.get("/x")`, `@app.route(...)`, `@router.post(...)`,
    `@bp.route(...)`, DRF's `@api_view`, Django's `require_http_methods`
    family, a function or method whose first parameter is `request` in a
    module that imports a web framework or in a `views` module, an aiohttp
    handler taking a `web.Request`, a `get`/`post`/`list`... method of a
    class-based view), a FastAPI dependency (named in `Depends(...)`;
    yielding the new client is then no excuse), an AWS Lambda handler
    (`def handler(event, context)`), a Celery task (`@shared_task`,
    `@app.task`), Dramatiq actor or RQ job (`@job`), a Django middleware's `__call__` /
    `process_request`, a Django signal receiver (`@receiver(post_save)`, not the
    once-per-migration signals), a template tag (`@register.simple_tag`/`filter`), an admin
    `list_display` column, a GraphQL resolver (graphene's `resolve_<field>` on an
    `ObjectType`, `@strawberry.field`, ariadne's `@obj.field("x")`), a Google Cloud Function or
    an Azure Functions trigger (not a timer), a Scrapy pipeline's `process_item` or spider
    callback, or a function of the module called from a `for`
    loop or comprehension (also handed to `pool.map(f, items)`, pandas'
    `frame.apply(f, axis=1)`/`series.map(f)`, a Prefect task's `task.map(items)`,
    `executor.submit(f, x)` in a loop, or run as
    `obj[i]` / `x in obj` / a `@property` read in a loop, also on `self.repo`), or called by any
    of these (up to three calls away), also from another module of the project (a helper such as
    `get_client()` in `utils.py` that the views of `views.py` call per request, or a method
    overriding a hook that its base class in another module calls in a loop); a `@property` read by such a method, the `__enter__` of
    a class entered per item (`with Unit() as s:`; what it stores on `self` lives one block),
    and a `@contextmanager` helper entered per item count too. `lru_cache`/`cache`-decorated
    factories never count, nor do functions called from a `while` loop only (retries
    reconnect on purpose) or property getters read outside repeated code.

    ## Why is this slow?
    A client owns a connection pool. Building one per iteration or per
    request throws the pool away each time, so every request pays a new TCP
    connection and TLS handshake (typically 1-3 round trips, tens of
    milliseconds across a network) instead of reusing a kept-alive
    connection. `boto3.client()` additionally loads and parses the service
    model from disk: tens of milliseconds and several megabytes each time.
    Measured here without any network or TLS at all (the benchmark below:
    200 GETs to an HTTP/1.1 server on localhost, with `http.client` standing
    in for the pool a client owns), a new connection per request took 77 ms
    against 15 ms on one kept-alive connection (5x); across a
    real network each new connection adds at least one round trip, plus two
    for TLS.

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
    iteration (a region, credentials, a base URL) or those of its
    `connect()`/`login()` (`ssh.connect(host)`: one SSH client per host), when the client leaves the
    iteration (stored, returned, appended or passed along), in `while` loops
    (reconnect and retry loops) other than a walk over items (`while queue:
    item = queue.pop()`, `while i < len(items): ... i += 1`) or a consumer's message loop
    (`while True: msg = consumer.poll(1.0)`, `job = await queue.get()`, `while (batch :=
    source.next()) is not None`), in loops over a literal collection or a
    constant `range`, and in handlers when the arguments come from the
    request or any local variable, and in a handler (not a Lambda handler)
    whose loop sends a whole batch through the one client it builds (one
    SMTP or SFTP connection per task: the set-up is paid per batch); boto3
    and Google Cloud clients are still flagged there, since building them
    loads service models and credentials. It may fire on a one-off script whose
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

    Judged again on 2026-12-07 after the rule learnt "runs repeatedly"
    (`context.runs_repeatedly()`: routes and views, FastAPI dependencies,
    Lambda handlers, Celery tasks, Django middleware, functions of the
    module called from a loop or by any of those), on prefect 2.20.0,
    litestar 2.12.1, slack_bolt 1.21.2, dramatiq 1.17.1, sentry-sdk 2.19.0,
    django-storages 1.14.4, apache-airflow-providers-amazon 9.1.0 and locust
    2.32.0 (sdists from PyPI, about 0.39M lines): the first run flagged one
    site, prefect's `get_collection_view` building an `httpx.AsyncClient`
    only on a cache miss (false: a `return` before the construction now
    keeps the rule silent); the second run found nothing (0 findings, 1
    false one removed), so precision on real findings is still unmeasured
    and the dev set's cases plus the look-alikes below are the evidence. A
    function called from a loop, or running per request, that builds its
    client from its own parameters stays silent (one per tenant or per
    credentials is often on purpose).

    Checked again on 2026-12-07 after the hold-out set (`while` loops that walk items, one connection shared by a handler's loop, `return Client(...)` in a dependency): on
    aiogram 3.13.1, litestar 2.12.1, prefect 2.20.0, slack_bolt 1.21.2,
    dramatiq 1.17.1, sentry-sdk 2.19.0, django-storages 1.14.4, locust
    2.32.0 and apache-airflow-providers-amazon 9.1.0 the L4 and L5 rules
    report the same 151 findings as before. The new shapes add none there,
    and nothing new fires on the standard library.

    Checked again on 2026-12-07 after hold-out round 4 (Django signal receivers, template
    tags, admin `list_display` columns and RQ jobs as per-event code; module functions handed
    to `pool.map`, pandas `apply`/`map` or `submit` in a loop; `obj[i]` and a property read in
    a loop; a module factory `return connect(DSN)` whose callers drop the connection; a bare
    `return` guard): PF306 and PF501-PF504 report the same findings as before on the standard
    library (0), on djangorestframework 3.15.2, django-allauth 65.3.0, django-import-export
    4.3.3, rq 1.16.2, django-health-check 3.18.3, django-q2 1.7.4, huey 2.5.2, wagtail 6.1.3,
    apache-superset 4.0.1, datasette 0.64.6 and the nine packages above (1, a PF306), though
    the new reasons apply to 150 of their functions (102 template tags, 20 properties read in
    loops, 18 RQ jobs in rq's tests, 4 receivers, 3 admin columns, 3 `__getitem__`).

    Checked again on 2026-12-07 after hold-out round 6 (GraphQL resolvers, Cloud and Azure
    Functions, Litestar/Bottle bare-verb routes, Scrapy hooks, Prefect `task.map`, consumer
    message loops, Protocol/ABC implementations, a factory that sets up what it returns):
    PF124, PF306, PF402-PF409 and PF501-PF504 report the same 51 findings as before on the
    standard library and 24 sdists (ariadne 0.23.0, graphene-django 3.2.2, scrapy-redis 0.9.1,
    strawberry-graphql 0.246.2 and the twenty above), none of them PF50x, though the new reasons
    apply to 927 more of their functions (848 Litestar routes, 53 graphene resolvers, 3 Scrapy
    hooks, 23 ABC implementations and their callees in aiogram, prefect and strawberry); the
    dev set's eleven real-world sdists: 165 findings before and after.

    Real-code hold-out (2026-12-07, `benchmarks/holdout/realworld-infra.tsv`): a Django email
    backend's `open()` runs per email (`send_mail()` builds a backend through
    `get_connection()` per message), so a client it stores on `self` lives one send, also
    through a factory method (`self.session = self.create_session()`, or a client made from a
    factory's new boto3 Session: `self.create_session().client("ses")`) and behind the
    `if self.client: return False` guard against a second `open()` on the same instance.
    Findings on the dev set's eleven sdists and the hold-out's nine (apprise 2.3.0,
    django-anymail 15.2, django-health-check 4.8.0, django-rq 4.2.0, django-storages 1.14.6,
    dramatiq 2.2.1, flower 2.2.0, rq 3.0.0, rq-dashboard 0.9.0): 1 before, 5 after, all 5 true
    (django-anymail's SES and requests backends and its SES webhook's per-request boto3
    client, django-ses's boto3 Session per backend); none on the standard library.

    Real-code hold-out round 2 (2026-12-08, `benchmarks/holdout/realworld2-infra.tsv`): a
    message backend (a `...Backend` class with a `...Backend` base that defines
    `send_messages(self, messages)`: Django's email backends, django-sms and django-sendsms SMS
    backends) is built per `send_mail()`/`send_sms()`, so its `__init__` and `send_messages`
    run per message (a batch of one: the handler-loop exemption does not apply there), and a
    backend's `__init__` options count as settings; a health check's `run()`/`check_status()`
    (a class with a `...HealthCheck`/`...HealthCheckBackend` base) runs per probe; notification
    SDK clients that own a pooled session or an HTTP/2 connection (`twilio.rest.Client`,
    `nexmo`/`vonage.Client`, `apns2`'s `APNsClient`, `aioapns.APNs`, postmarker's
    `PostmarkClient`) are known; a constructor imported inside the function (`from twilio.rest
    import Client` where it is used) resolves; and a local bound only from module-level names
    (`sid = getattr(settings, "SID")`) is no per-call setting. On the standard library: 0
    findings before and after. On the 33 round-1 and round-2 packages: 3 before, 8 after, all
    true (django-sms, django-sendsms and django-amazon-ses backends; django-health-check's
    status-page and feed checks); on the dev set's eleven sdists, one more PF503 (celery's
    integration-test task building a `StrictRedis` per call: true, in test code under `t/`).
    Per-message code now also covers huey `db_task`/djhuey tasks, arq's
    `WorkerSettings.functions`, Django Channels consumers' `receive`/`receive_json` and
    Socket.IO `@sio.on(...)`/`@sio.event` handlers.

    Real-code hold-out round 3 (2026-12-08, `benchmarks/holdout/realworld3-infra.tsv`): a
    module function that nothing in its own module repeats runs repeatedly when another
    (non-test) module of the project imports it and calls it from a handler or a loop
    (`perflint.project_callers`); a factory's client then counts when every such caller uses
    it and drops it, as for callers in the same module. A method overriding a hook that its
    base class, defined in another module, calls per item or per request (`for p in
    providers: self.produce(p)`) runs as often. A local read from a setting looked up by its
    UPPER_SNAKE name with literal arguments (`setting("AWS_S3_REGION_NAME", None)`) is
    configuration, and a `while True: try: return Client(...)` retry around a factory's
    construction still builds once per call. Known now: mailjet's `Client`, Pusher
    (`Pusher(...)`, `.from_url`, `.from_env`), google-auth's `AuthorizedSession` and
    `pysolr.Solr`, each holding a requests Session. The callers are found by listing the
    project's files (the model index's listing, re-listed after two seconds) and reading only
    those whose text names the function and its module; a helper built from its own
    parameters stays silent whoever calls it (one client per configuration may be on purpose).
    """

    code = "PF502"
    name = "client-created-per-iteration"
    level = Level.INFRASTRUCTURE
    message = "creates a new client (and connection pool) on every iteration; create it once and reuse it"
    weight = 2.0
    # Round trip: each new client opens new connections (handshakes, pools) per iteration.
    round_trip = True
    # No trigger word: a function called from a loop elsewhere in the module spells none.
    qualified_triggers = tuple(sorted(CLIENTS))
    # ``self.create_session().client("ses")`` in one method, ``boto3.Session()`` in another
    whole_class = True
    benchmark = Benchmark(
        setup=(
            "import http.client, http.server, threading\n"
            "class Ok(http.server.BaseHTTPRequestHandler):\n"
            "    protocol_version = 'HTTP/1.1'\n"
            "    disable_nagle_algorithm = True\n"
            "    def do_GET(self):\n"
            "        self.send_response(200)\n"
            "        self.send_header('Content-Length', '2')\n"
            "        self.end_headers()\n"
            "        self.wfile.write(b'ok')\n"
            "    def log_message(self, *args):\n"
            "        pass\n"
            "server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Ok)\n"
            "threading.Thread(target=server.serve_forever, daemon=True).start()\n"
            "host, port = server.server_address\n"
            "paths = ['/item/%d' % i for i in range(200)]"
        ),
        slow=(
            "for path in paths:\n"
            "    conn = http.client.HTTPConnection(host, port)\n"
            "    conn.request('GET', path)\n"
            "    conn.getresponse().read()\n"
            "    conn.close()"
        ),
        fast=(
            "conn = http.client.HTTPConnection(host, port)\n"
            "for path in paths:\n"
            "    conn.request('GET', path)\n"
            "    conn.getresponse().read()\n"
            "conn.close()"
        ),
        size="200 GETs to a local HTTP/1.1 server, no TLS",
    )

    valid = [
        # A storage backend's open(name) is no email backend; an email backend on a shared client.
        Valid("""
            import boto3
            import requests
            from django.core.mail.backends.base import BaseEmailBackend

            SES = boto3.client("ses")

            class S3MediaBackend:
                def open(self, name, mode="rb"):
                    return boto3.client("s3").get_object(Bucket="media", Key=name)["Body"]

                def close(self):
                    pass

            class PooledSESBackend(BaseEmailBackend):
                _session = None

                @classmethod
                def create_session(cls):
                    return cls._session

                def open(self):
                    self.connection = self.create_session().client("ses")

                def close(self):
                    self.connection = None

            class SharedSESBackend(BaseEmailBackend):
                def open(self):
                    self.connection = SES
                    return True

                def close(self):
                    self.connection = None
            """),
        # A task that sends a whole batch through the one connection it opens.
        Valid("""
            import smtplib
            from celery import shared_task

            @shared_task
            def send_digest(recipients, message):
                with smtplib.SMTP("mail.internal", 587) as smtp:
                    for rcpt in recipients:
                        smtp.sendmail("noreply@example.com", rcpt, message)
            """),
        # A reconnect loop rebuilds on purpose.
        Valid(
            "import paramiko\ndef connect(host):\n    while True:\n        ssh = paramiko.SSHClient()\n"
            "        try:\n            ssh.connect(host)\n            return ssh\n        except OSError:\n            pass\n"
        ),
        # One SSH client per host: where it connects is given to connect(), and changes per iteration.
        Valid(
            "import paramiko\ndef uptimes(hosts):\n    for host in hosts:\n        ssh = paramiko.SSHClient()\n"
            "        ssh.connect(host)\n        ssh.exec_command('uptime')\n        ssh.close()\n"
        ),
        # A cached client factory; a client built once in main(); an AsyncClient made in the lifespan.
        Valid("""
            import functools
            from google.cloud import storage

            @functools.lru_cache(maxsize=1)
            def client():
                return storage.Client()

            def upload_all(bucket, blobs):
                for name, data in blobs:
                    client().bucket(bucket).blob(name).upload_from_string(data)
            """),
        Valid("""
            import httpx

            def main(urls):
                with httpx.Client() as client:
                    for url in urls:
                        client.get(url)

            if __name__ == "__main__":
                main([])
            """),
        Valid("""
            from contextlib import asynccontextmanager
            import httpx
            from fastapi import FastAPI

            @asynccontextmanager
            async def lifespan(app):
                app.state.http = httpx.AsyncClient()
                yield
                await app.state.http.aclose()

            app = FastAPI(lifespan=lifespan)
            """),
        # One SMTP connection around the loop.
        Valid("""
            import smtplib

            def send_all(messages):
                with smtplib.SMTP("mail.internal", 587) as smtp:
                    for message in messages:
                        smtp.send_message(message)
            """),
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
        # A storage backend (no ``send_messages``): Django keeps one instance per alias.
        Valid("""
            import boto3
            from django.core.files.storage import Storage

            class S3Backend(Storage):
                def __init__(self, bucket="media"):
                    self.bucket = bucket
                    self.client = boto3.client("s3")

                def _save(self, name, content):
                    self.client.upload_fileobj(content, self.bucket, name)
                    return name
            """),
        # A message backend that reuses one client made at import time.
        Valid("""
            from django.conf import settings
            from sms.backends.base import BaseSmsBackend
            from twilio.rest import Client

            CLIENT = Client(settings.TWILIO_SID, settings.TWILIO_TOKEN)

            class SmsBackend(BaseSmsBackend):
                def __init__(self, fail_silently=False, **kwargs):
                    super().__init__(fail_silently=fail_silently, **kwargs)
                    self.client = CLIENT

                def send_messages(self, messages):
                    for message in messages:
                        self.client.messages.create(to=message.to, body=message.body)
                    return len(messages)
            """),
        # A health check that pings through the app's shared client.
        Valid("""
            import httpx
            from health_check import HealthCheck

            CLIENT = httpx.AsyncClient()

            class StatusPage(HealthCheck):
                async def run(self):
                    response = await CLIENT.get("https://status.example.org/api/v2/summary.json")
                    response.raise_for_status()
            """),
        # The local comes from the request: one client per caller's account.
        Valid("""
            from django.http import JsonResponse

            def notify(request):
                from twilio.rest import Client
                sid = request.user.profile.twilio_sid
                client = Client(sid, request.user.profile.twilio_token)
                client.messages.create(to=request.POST["to"], body="hi")
                return JsonResponse({})
            """),
    ]
    invalid = [
        # An SMS backend mirrors Django's email API: send_sms() builds one per message, so a
        # client made in __init__ (from settings) is made per SMS.
        Invalid("""
            from django.conf import settings
            from sms.backends.base import BaseSmsBackend
            from twilio.rest import Client

            class SmsBackend(BaseSmsBackend):
                def __init__(self, fail_silently=False, **kwargs):
                    super().__init__(fail_silently=fail_silently, **kwargs)
                    sid = getattr(settings, "TWILIO_ACCOUNT_SID")
                    token = getattr(settings, "TWILIO_AUTH_TOKEN")
                    self.client = Client(sid, token)

                def send_messages(self, messages):
                    for message in messages:
                        self.client.messages.create(to=message.to, body=message.body)
                    return len(messages)
            """),
        # send_messages of an email backend gets a batch of one from send_mail().
        Invalid("""
            import boto3
            from django.core.mail.backends.base import BaseEmailBackend

            class EmailBackend(BaseEmailBackend):
                def send_messages(self, email_messages):
                    ses = boto3.client("sesv2")
                    for message in email_messages:
                        ses.send_email(Content={"Raw": {"Data": message.message().as_bytes()}})
                    return len(email_messages)
            """),
        # A health check runs on every probe of the health endpoint.
        Invalid("""
            import httpx
            from health_check import HealthCheck

            class StatusPage(HealthCheck):
                async def run(self):
                    async with httpx.AsyncClient() as client:
                        response = await client.get("https://status.example.org/api/v2/summary.json")
                    response.raise_for_status()
            """),
        # An optional dependency imported where it is used, in a view.
        Invalid("""
            from django.conf import settings
            from django.http import JsonResponse

            def notify(request):
                from twilio.rest import Client
                client = Client(settings.TWILIO_SID, settings.TWILIO_TOKEN)
                client.messages.create(to=request.POST["to"], body="hi")
                return JsonResponse({})
            """),
        # Django builds an email backend per send_mail(): open() runs per email; the guard only
        # stops a second open() on the same short-lived backend.
        Invalid("""
            import boto3
            import requests
            from django.core.mail.backends.base import BaseEmailBackend

            class SESBackend(BaseEmailBackend):
                def __init__(self, region=None, **kwargs):
                    super().__init__(**kwargs)
                    self.region = region
                    self.client = None

                def open(self):
                    if self.client:
                        return False
                    self.client = boto3.session.Session(region_name=self.region).client("sesv2")
                    return True

                def close(self):
                    self.client = None

            class SESProfileBackend(BaseEmailBackend):
                def __init__(self, profile=None, **kwargs):
                    super().__init__(**kwargs)
                    self.profile = profile
                    self.connection = None

                def create_session(self):
                    return boto3.Session(profile_name=self.profile)

                def open(self):
                    if self.connection:
                        return False
                    self.connection = self.create_session().client("ses")

                def close(self):
                    self.connection = None

            class ApiMailBackend(BaseEmailBackend):
                def open(self):
                    if self.session:
                        return False
                    self.session = self.create_session()
                    return True

                def close(self):
                    self.session.close()

                def create_session(self):
                    session = requests.Session()
                    session.headers["User-Agent"] = "mailer/1.0"
                    return session
            """),
        # One SSH connection per command to the same host.
        Invalid(
            "import paramiko\ndef run(host, commands):\n    for command in commands:\n        ssh = paramiko.SSHClient()\n"
            "        ssh.connect(host)\n        ssh.exec_command(command)\n        ssh.close()\n"
        ),
        # A `while` loop that drains a list of jobs, one AMQP connection per job.
        Invalid(
            "import pika\ndef enqueue(jobs):\n    while jobs:\n        job = jobs.pop()\n"
            "        conn = pika.BlockingConnection(pika.URLParameters('amqp://rabbit'))\n"
            "        conn.channel().basic_publish(exchange='', routing_key='q', body=job)\n        conn.close()\n"
        ),
        # A task sends one message per call through a connection of its own.
        Invalid("""
            import smtplib
            from celery import shared_task

            @shared_task
            def send_receipt(rcpt, message):
                with smtplib.SMTP("mail.internal", 587) as smtp:
                    smtp.sendmail("noreply@example.com", rcpt, message)
            """),
        # A Lambda handler; the variable is named `client`.
        Invalid("""
            import boto3

            def handler(event, context):
                client = boto3.client("s3")
                for record in event["Records"]:
                    client.delete_object(Bucket="b", Key=record["key"])
            """),
        # A Celery task.
        Invalid("""
            import boto3
            from celery import shared_task

            @shared_task
            def email_invoice(invoice_id):
                client = boto3.client("ses")
                client.send_email(Source="billing@example.com")
            """),
        # A helper called from a loop of the module: one channel per quote.
        Invalid("""
            import grpc

            def quote(sku):
                channel = grpc.insecure_channel("pricing:50051")
                reply = PricingStub(channel).Quote(sku)
                channel.close()
                return reply.price

            def quote_cart(skus):
                return sum(quote(sku) for sku in skus)
            """),
        Invalid("""
            import smtplib

            def send_reminders(customers):
                for c in customers:
                    with smtplib.SMTP("mail.internal", 587) as smtp:
                        smtp.send_message(make(c))
            """),
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

    @classmethod
    def may_match_piece(cls, nodes: tuple, facts, path: str) -> bool:
        """The piece's code names a client constructor: a class is read whole (``whole_class``),
        so a class whose only mention of ``requests`` is in a docstring is not parsed for it."""
        if any(
            isinstance(sub, (ast.Name, ast.Attribute)) and imported_name(sub, facts.imports) in CLIENTS
            for node in nodes
            for sub in ast.walk(node)
        ):
            return True
        # A constructor imported inside a function (``from twilio.rest import Client`` where it
        # is used): only when the module's text has an indented import at all.
        if not _INDENTED_IMPORT.search(facts.source or ""):
            return False
        return any(
            (isinstance(sub, ast.ImportFrom) and any(f"{sub.module}.{a.name}" in CLIENTS for a in sub.names))
            or (isinstance(sub, ast.Import) and any(q.startswith(f"{a.name}.") for a in sub.names for q in CLIENTS))
            for node in nodes
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            for sub in ast.walk(node)
        )

    def visit_Module(self, node: cst.Module) -> None:
        self._parents = ParentIndex(node)

    def visit_Call(self, node: cst.Call) -> None:
        qualified = call_to(self.context, node, CLIENTS)
        if qualified is None:
            if not session_factory(self.context, node):
                return
            qualified = "boto3.client"  # ``self.create_session().client("s3")``: a new session's client
            factory = cst.Module([]).code_for_node(node.func)
        else:
            factory = None
        # Building a boto3 or Google Cloud client loads service models and credentials: costly
        # even when a batch shares it. The others cost their connection set-up only.
        amortized = not qualified.startswith(("boto3.", "google."))
        site = creation_site(self.context, self._parents, node, batch_amortizes=amortized, instances=True)
        if site is None:
            return
        shown = factory or CLIENTS[qualified]
        if site == PER_INSTANCE:
            message = (
                f"`{shown}(...)` builds a new client and connection in `__init__`, and "
                f"{instance_use(self.context, self._parents, node)} and dropped after use, so no connection is "
                "ever reused; build the client once (module level or app startup) and hand it in"
            )
        elif site == PER_ITERATION:
            message = (
                f"`{shown}(...)` builds a new client and connection pool on every iteration; "
                "create it once before the loop and reuse it"
            )
        else:
            message = (
                f"`{shown}(...)` builds a new client and connection on every call of "
                f"`{self.context.function_name}`, which runs repeatedly ({why_repeated(self.context)}), so no "
                "connection is ever reused; create it once (module level, app startup or a cached factory) and share it"
            )
        self.report(node, message)
