"""PF308 key-set-downloaded-per-call."""

from __future__ import annotations

import ast
import re
from typing import Optional

import libcst as cst
from perflint.cst_walk import children
from perflint.model import Level
from perflint.repetition import HANDLER, LOOP
from perflint.rule import Benchmark, Invalid, Rule, Valid
from perflint.rules.caching._instance_inputs import stores

# A URL that names a published signing-key set or a discovery document: in a string literal
# (``".well-known/jwks.json"``, ``"/.well-known/openid-configuration"``, Google's ``/oauth2/v3/certs``)
# or in the name of what holds it (``JWKS_URI``, ``self.jwks_url()``, ``KEY_SET_URL``, ``keys_url``).
_LITERAL = re.compile(r"jwks?\b|jwks?[._/-]|openid-configuration|oauth-authorization-server|/certs\b|/x509/", re.I)
_NAME = re.compile(r"jwks?|key_?set|keys_?ur[il]|certs_?ur[il]|openid_?config", re.I)
# The prefilter: plain substrings (``in`` is far cheaper than a case-insensitive regex over every
# piece), in the spellings code uses. A token counts only when it also spells one of them, so the
# rule reports nothing the prefilter would have skipped.
TRIGGERS = (
    "jwk", "JWK", "Jwk", "key_set", "KEY_SET", "keyset", "KeySet", "Keyset", "keys_ur", "KEYS_UR", "keysUr",
    "KeysUr", "certs_ur", "CERTS_UR", "certsUr", "openid", "OPENID", "OpenId", "Openid",
    "oauth-authorization-server", "/certs", "/x509/", "IdPMetadataParser",
    # A call of a module's own fetcher named for what it downloads: ``self.certs()``,
    # ``self.well_known()``, ``_fetch_certs(request, url)``.
    "certs(", "well_known", "wellKnown", "WELL_KNOWN",
)
# The name of a function or method of the module that downloads such a document per call.
_FETCHER_NAME = re.compile(r"certs$|well_?known|jwks?|key_?set|openid_?config", re.I)
# Clients that download on their own: a ``PyJWKClient`` fetches its key set on first use and keeps
# it only for its own lifetime; python3-saml's metadata parser downloads the IdP's metadata.
_FETCHING_CLIENTS = frozenset({"jwt.PyJWKClient", "jwt.jwks_client.PyJWKClient"})
_METADATA_DOWNLOADS = frozenset({"parse_remote", "get_metadata"})
# pysaml2's configuration objects: ``conf.load(settings)`` reads the IdP metadata it names (parsing
# local XML files, downloading ``remote`` ones) and the key and certificate files, every time.
_SAML_CONFIGS = frozenset({"saml2.config.Config", "saml2.config.SPConfig", "saml2.config.IdPConfig"})
# A piece that loads one spells its constructor (``SPConfig()``, ``Saml2Config()``); the file
# spells the module it comes from.
SAML_TRIGGERS = ("Config(",)

# Calls that download: ``requests.get(url)``, ``session.get(url)``, ``self.request(url)``...
_HTTP_FUNCTIONS = frozenset(
    {
        "requests.get", "requests.request", "requests.api.get", "requests.api.request",
        "httpx.get", "httpx.request", "urllib.request.urlopen",
    }
)
_HTTP_METHODS = frozenset({"get", "request", "get_json", "fetch", "fetch_json", "urlopen"})
# ``self.get(...)`` may be a mapping's get: on ``self`` only methods that name a download.
_SELF_METHODS = frozenset({"request", "get_json", "fetch", "fetch_json", "urlopen"})
# In a fetcher's body (its name already says what it downloads): the calls that go out.
_FETCHER_METHODS = frozenset({"request", "raw_get", "a_raw_get", "urlopen", "get_json", "fetch", "fetch_json"})
_FETCHER_RECEIVERS = ("session", "client", "http", "requests", "connection")
_CLIENT_WORDS = ("session", "client", "http", "requests")
_CLIENT_KINDS = frozenset({"http-session", "http-client"})
_EMPTY = cst.Module([])


def _code(node: cst.CSTNode) -> str:
    return _EMPTY.code_for_node(node)


def _cached_decorator(decorators) -> bool:
    """A decorator that keeps results: ``lru_cache``, ``cache(ttl=...)``, ``cached_property``,
    ``cachetools.cached``, ``memoize``..."""
    return any(re.search(r"cache|memo", text, re.I) for text in decorators)


def _callers(facts) -> dict[str, list[bool]]:
    """For every name the module calls (``f(...)``, ``self.f(...)``): one entry per calling def,
    True when that def caches its result."""

    def compute(facts) -> dict[str, list[bool]]:
        found: dict[str, list[bool]] = {}
        tree = facts.tree
        if tree is None:
            return found
        for node in ast.walk(tree):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            cached = _cached_decorator(ast.unparse(d) for d in node.decorator_list)
            called = set()
            for inner in ast.walk(node):
                if isinstance(inner, ast.Call):
                    func = inner.func
                    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
                    if name:
                        called.add(name)
            for name in called:
                found.setdefault(name, []).append(cached)
        return found

    return facts.memo("PF308.callers", compute)


def _ast_downloads(call: ast.Call) -> bool:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id in ("urlopen", "request")
    if not isinstance(func, ast.Attribute):
        return False
    dotted = ast.unparse(func)
    if dotted in _HTTP_FUNCTIONS or func.attr in _FETCHER_METHODS:
        return True
    if func.attr != "get":
        return False
    if call.args and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str):
        if call.args[0].value.isidentifier():
            return False  # ``self.client_config.get("jwks")``: a mapping key, not a URL
    return any(word in ast.unparse(func.value).lower() for word in _FETCHER_RECEIVERS)


def _ast_names_key_set(expr: ast.AST) -> bool:
    for node in ast.walk(expr):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and _spelled(_LITERAL, node.value):
            return True
        if isinstance(node, ast.Name) and _spelled(_NAME, node.id):
            return True
        if isinstance(node, ast.Attribute) and _spelled(_NAME, node.attr):
            return True
    return False


def _ast_stores(fdef) -> bool:
    if "cache" in ast.unparse(fdef).lower():
        return True
    for node in ast.walk(fdef):
        if isinstance(node, (ast.Global, ast.Nonlocal)):
            return True
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, (ast.AnnAssign, ast.AugAssign)) else []
        if any(isinstance(t, (ast.Attribute, ast.Subscript)) for t in targets):
            return True
    return False


def _fetchers(facts) -> dict[str, bool]:
    """The module's defs named for a key set or discovery document (``certs``, ``well_known``,
    ``_fetch_certs``): name -> True when every def of that name downloads on each call with nothing
    that keeps the result, and no download in it names the document in its URL (those the direct
    check reports inside the fetcher itself)."""

    def compute(facts) -> dict[str, bool]:
        found: dict[str, bool] = {}
        tree = facts.tree
        if tree is None:
            return found
        for node in ast.walk(tree):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) or not _FETCHER_NAME.search(node.name):
                continue
            downloads = [c for c in ast.walk(node) if isinstance(c, ast.Call) and _ast_downloads(c)]
            per_call = (
                bool(downloads)
                and not _cached_decorator(ast.unparse(d) for d in node.decorator_list)
                and not _ast_stores(node)
                and not any(
                    _ast_names_key_set(arg)
                    for c in downloads
                    for arg in [*c.args, *(k.value for k in c.keywords if k.arg == "url")]
                )
            )
            found[node.name] = found.get(node.name, True) and per_call
        return found

    return facts.memo("PF308.fetchers", compute)


def _spelled(pattern: re.Pattern, token: str) -> bool:
    return pattern.search(token) is not None and any(trigger in token for trigger in TRIGGERS)


def _names_key_set(expr: cst.CSTNode) -> Optional[str]:
    """The literal or name in ``expr`` that says it is a key set or a discovery document."""
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, (cst.SimpleString, cst.FormattedStringText)) and _spelled(_LITERAL, node.value):
            return node.value
        if isinstance(node, cst.Name) and _spelled(_NAME, node.value):
            return node.value
        if isinstance(node, cst.Attribute) and _spelled(_NAME, node.attr.value):
            return node.attr.value
        if isinstance(node, (cst.Lambda, cst.FunctionDef)):
            continue
        stack.extend(node.children)
    return None


class KeySetDownloadedPerCall(Rule):
    """
    ## What it does
    Flags a function that downloads a published signing-key set (a JWKS,
    Google's `certs`, Apple's `auth/keys`) or an OpenID Connect / OAuth
    discovery document on every call, with nothing that keeps the result:
    `requests.get(KEY_SET_URL)`, `session.get(keys_url)`,
    `self.request(self.jwks_url())`, `self.get_json(".../.well-known/jwks.json")`.
    The URL must say what it is, in a string literal (`jwks`,
    `openid-configuration`, `oauth-authorization-server`, `/certs`) or in the
    name that holds it (`JWKS_URI`, `jwks_url()`, `KEY_SET_URL`,
    `keys_url`, `CERTS_URL`). Such a function runs once per token it
    verifies, that is per login or per API request. Also flagged: a
    `jwt.PyJWKClient(url)` built per call (its key cache dies with it, so
    every verification downloads the key set again) and python3-saml's
    `OneLogin_Saml2_IdPMetadataParser.parse_remote(url)` (the identity
    provider's metadata, downloaded per login). And a call, from another
    function of the module, of the module's own fetcher named for the
    document (`self.certs()`, `self.well_known()`, `await
    self.a_well_known()`, `_fetch_certs(request, url)`) when that fetcher
    downloads on every call and keeps nothing: reported at the call, where
    the result could be kept (an SDK's `decode_token` asking the realm for
    its certs per token). A transport callable passed in,
    `request(certs_url, method="GET")`, counts as a download. And a pysaml2
    configuration built and loaded (`conf = SPConfig(); conf.load(settings)`,
    also `Config`/`IdPConfig`) in a function that runs per request or item:
    `load` reads the IdP metadata it names (parsing the XML, downloading
    `remote` metadata) and the key and certificate files every time.

    ## Why is this slow?
    Identity providers publish these documents to be cached: keys rotate
    every few days or weeks, and the responses carry `Cache-Control:
    max-age` for that reason. Downloading them per verification adds a full
    HTTPS round trip (DNS, TLS, the provider's latency: typically 50-300 ms)
    to every login, and ties each login to the provider's availability.
    Measured with `perflint bench PF308` on Python 3.11.7 (a shared two-core
    box), 200 verifications that each fetched a 3-key JWKS from a local
    HTTP/1.1 server (no TLS, no network) took 90 ms; with the parsed key
    set kept in a dict, 0.003 ms. Against a real provider each round trip
    costs far more.

    ## Example
    ```python
    def get_signing_keys(self):
        return requests.get(KEY_SET_URL, timeout=5).json()["keys"]
    ```

    ## Use instead
    ```python
    @cachetools.func.ttl_cache(maxsize=8, ttl=3600)
    def get_signing_keys():
        return requests.get(KEY_SET_URL, timeout=5).json()["keys"]
    ```
    (or the framework's cache with a timeout, re-fetching once when a
    token names a `kid` the cached set lacks).

    ## Fix safety
    No fix: where to keep the keys (process, framework cache) and for how
    long is the application's choice.

    ## Known false positives
    The rule stays silent when the function keeps what it fetched: a
    decorator whose name says cache or memo (`lru_cache`, `cache(ttl=...)`,
    `cached_property`, `cachetools.cached`), any mention of a cache in its
    body (`cache.get(key)`, `self._jwks_cache`), an attribute, item or
    `global` assignment (a lazily filled `self._keys`), or when every call
    of it in the module comes from such a cached function (a
    `get_remote_keys` helper behind a cached `get_keys`). It does not see a
    cache kept by a caller in another module. Module-level code is not
    flagged (it runs once). A fetcher's call is not flagged from a dunder
    method (`__init__` runs once per object) nor from a def that keeps the
    result; `x.get("jwks_uri")` with an identifier-like key is a mapping
    lookup, not a download. A pysaml2 configuration is reported only in a
    function that runs per request or per item (`context.runs_repeatedly()`:
    a view, a helper a view calls), not cached and keeping nothing on the
    instance, in a global or in a non-local item (filling the local settings
    dict does not count); a configuration loader called by a view of another
    module is not seen, nor one whose metadata is a small local file on a
    rarely used login page.

    Judged on 2026-12-07: the Python 3.11.7 standard library has no finding;
    on social-auth-core 4.5.4, django-allauth 65.3.1, flask-appbuilder
    5.3.0, mkdocs 1.6.1, pelican 4.10.1, django-anymail 12.0 and
    django-import-export 4.3.3, 8 findings, 8 correct (JWKS/key downloads
    per login in the Azure AD tenant and B2C, Auth0 and Apple backends,
    allauth's `fetch_key`, flask-appbuilder's Microsoft and Authentik key
    sets; Okta's `oidc_config`, which overrides the cached one of
    `OpenIdConnectAuth` and is read several times per login); the cached
    OIDC discovery and JWKS fetches of social-auth-core's
    `OpenIdConnectAuth` are not flagged. On the helpers' corpora
    (/tmp/corpus-*, 40-odd sdists: wagtail, apache-superset, datasette,
    DRF, scrapy, litestar...) the only finding is allauth's `fetch_key`
    again. Judged on 2026-12-08 after the fetcher-call and transport
    extensions: python-keycloak 7.1.1, google-auth 2.62.2, authlib 1.9.6,
    mozilla-django-oidc 5.0.2, django-oauth-toolkit 3.4.1,
    djangorestframework-simplejwt 5.5.1, flask-restx 1.3.2: 7 findings, 7
    correct (keycloak's `decode_token` and `auth_url`, sync and async,
    google-auth's `_fetch_certs` sync and async, mozilla-django-oidc's
    JWKS download); authlib's `client_metadata.get("jwks_uri")` properties,
    flagged before, no longer are. The standard library: still none.
    With the pysaml2 configuration form (2026-12-08), on the 34 sdists of
    the caching hold-out rounds plus PyJWT, python-jose, jinja2 and
    django-crispy-forms: 2 new findings, 2 correct (djangosaml2's default
    config loader and django-saml2-auth's client, per SAML request); the
    standard library: none.
    """

    code = "PF308"
    name = "key-set-downloaded-per-call"
    level = Level.CACHING
    message = (
        "downloads a published key set / discovery document on every call; it changes rarely: "
        "keep it with a TTL cache instead of a round trip per login"
    )
    weight = 2.0
    round_trip = True
    triggers = TRIGGERS + SAML_TRIGGERS
    benchmark = Benchmark(
        setup=(
            "import http.server, json, threading, urllib.request\n"
            "BODY = json.dumps({'keys': [{'kid': 'k%d' % i, 'kty': 'RSA', 'n': 'x' * 342, 'e': 'AQAB'}"
            " for i in range(3)]}).encode()\n"
            "class Keys(http.server.BaseHTTPRequestHandler):\n"
            "    protocol_version = 'HTTP/1.1'\n"
            "    disable_nagle_algorithm = True\n"
            "    def do_GET(self):\n"
            "        self.send_response(200)\n"
            "        self.send_header('Content-Length', str(len(BODY)))\n"
            "        self.end_headers()\n"
            "        self.wfile.write(BODY)\n"
            "    def log_message(self, *args):\n"
            "        pass\n"
            "server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Keys)\n"
            "threading.Thread(target=server.serve_forever, daemon=True).start()\n"
            "KEY_SET_URL = 'http://%s:%d/.well-known/jwks.json' % server.server_address\n"
            "def fetch():\n"
            "    with urllib.request.urlopen(KEY_SET_URL) as r:\n"
            "        return {k['kid']: k for k in json.loads(r.read())['keys']}\n"
            "kept = fetch()\n"
        ),
        slow="for i in range(200):\n    fetch()['k1']",
        fast="for i in range(200):\n    kept['k1']",
        size="200 verifications, a 3-key JWKS from a local HTTP/1.1 server, no TLS",
    )

    valid = [
        # A pysaml2 configuration built once, or outside any request.
        Valid(
            "from functools import lru_cache\nfrom saml2.config import SPConfig\nfrom django.conf import settings\n"
            "@lru_cache(maxsize=1)\ndef sp_config():\n    conf = SPConfig()\n    conf.load(settings.SAML_CONFIG)\n    return conf\n"
            "def login(request):\n    return redirect_to_idp(request, sp_config())\n"
        ),
        Valid(
            "from saml2.config import SPConfig\ndef main(path):\n    conf = SPConfig()\n    conf.load(read_settings(path))\n"
            "    print(conf.entityid)\n"
        ),
        # Cached with a decorator (a TTL cache, lru_cache).
        Valid(
            "import requests\nfrom cachetools.func import ttl_cache\n"
            "@ttl_cache(ttl=3600)\ndef keys():\n    return requests.get(KEY_SET_URL).json()\n"
        ),
        Valid(
            "import functools, requests\n@functools.lru_cache(maxsize=1)\n"
            "def discovery():\n    return requests.get(ISSUER + '/.well-known/openid-configuration').json()\n"
        ),
        # Kept in the framework cache, or lazily on the instance.
        Valid(
            "import requests\nfrom django.core.cache import cache\n"
            "def keys():\n    found = cache.get('jwks')\n    if found is None:\n"
            "        found = requests.get(JWKS_URL).json()\n        cache.set('jwks', found, 3600)\n    return found\n"
        ),
        Valid(
            "class Verifier:\n    def keys(self):\n        if self._keys is None:\n"
            "            self._keys = self.session.get(self.jwks_uri).json()\n        return self._keys\n"
        ),
        # A helper called only from a cached method.
        Valid(
            "class Backend:\n    @cache(ttl=86400)\n    def get_keys(self):\n        return self.get_remote_keys()\n"
            "    def get_remote_keys(self):\n        return self.request(self.jwks_uri()).json()['keys']\n"
        ),
        # Module level: once per process.
        Valid("import requests\nKEYS = requests.get(KEY_SET_URL).json()\n"),
        # Per-user data, and a mapping lookup named like a key set.
        Valid("import requests\ndef profile(token):\n    return requests.get(USERINFO_URL, headers={'Authorization': token}).json()\n"),
        Valid("def lookup(self, data):\n    return self.get(data['jwks_uri'])\n"),
        Valid("def pick(config):\n    return config.get('jwks_uri')\n"),
        # One PyJWKClient for the process (it keeps the keys it fetched); parsed metadata cached.
        Valid(
            "import jwt\nJWKS = jwt.PyJWKClient(JWKS_URL)\n"
            "def verify(token):\n    return JWKS.get_signing_key_from_jwt(token)\n"
        ),
        Valid(
            "from django.core.cache import cache\nfrom onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser\n"
            "def idp(url):\n    found = cache.get(url)\n    if found is None:\n"
            "        found = OneLogin_Saml2_IdPMetadataParser.parse_remote(url)\n        cache.set(url, found, 3600)\n"
            "    return found\n"
        ),
        # A mapping key named like a key set, on a receiver named like a client.
        Valid("class Client:\n    @property\n    def jwks_uri(self):\n        return self.client_metadata.get('jwks_uri')\n"),
        # The module's fetcher, called once per object or from a def that keeps the result.
        Valid(
            "class Realm:\n    def __init__(self, connection):\n        self.connection = connection\n"
            "        self.endpoints = self.well_known()\n"
            "    def well_known(self):\n        return self.connection.raw_get(WELL_KNOWN_PATH).json()\n"
        ),
        Valid(
            "class Realm:\n    def certs(self):\n        return self.connection.raw_get(CERTS_PATH).json()\n"
            "    def keys(self):\n        if self._keys is None:\n            self._keys = self.certs()['keys']\n"
            "        return self._keys\n"
        ),
        # Named like a fetcher, but a mapping lookup on a client's settings.
        Valid(
            "class App:\n    def jwks(self):\n        return self.client_config.get('jwks')\n"
            "    def decode(self, token):\n        return verify(token, self.jwks())\n"
        ),
        # A fetcher that keeps what it downloaded: its callers are fine.
        Valid(
            "class Realm:\n    def certs(self):\n        if self._certs is None:\n"
            "            self._certs = self.connection.raw_get(CERTS_PATH).json()\n        return self._certs\n"
            "    def decode(self, token):\n        return verify(token, self.certs()['keys'])\n"
        ),
    ]
    invalid = [
        # A view helper builds the SAML client's configuration, and with it the IdP metadata, per login.
        Invalid(
            """
            from django.conf import settings
            from django.views.decorators.csrf import csrf_exempt
            from saml2.client import Saml2Client
            from saml2.config import Config as Saml2Config

            def saml_client(domain):
                saml_settings = {"metadata": {"remote": [{"url": settings.IDP_METADATA_URL}]}}
                saml_settings["entityid"] = domain + "/saml/metadata/"
                conf = Saml2Config()
                conf.load(saml_settings)
                return Saml2Client(config=conf)

            @csrf_exempt
            def acs(r):
                client = saml_client(r.get_host())
                return finish_login(r, client)
            """
        ),
        # The module's own fetcher (named for the document it downloads, keeping nothing) called per
        # token: reported at the call, where the result could be kept.
        Invalid(
            """
            class Realm:
                def certs(self):
                    return self.connection.raw_get(CERTS_PATH.format(realm=self.realm)).json()

                def decode_token(self, token):
                    keys = JWKSet()
                    for cert in self.certs()["keys"]:
                        keys.add(JWK(**cert))
                    return verify(token, keys)
            """
        ),
        Invalid(
            """
            class Realm:
                async def a_well_known(self):
                    return (await self.connection.a_raw_get(WELL_KNOWN_PATH)).json()

                async def a_auth_url(self, redirect_uri):
                    return (await self.a_well_known())["authorization_endpoint"] + "?redirect_uri=" + redirect_uri
            """
        ),
        # A transport callable passed in, asked for the certs on every verification.
        Invalid(
            """
            import json

            def fetch_certs(request, certs_url):
                response = request(certs_url, method="GET")
                return json.loads(response.data)
            """
        ),
        Invalid(
            """
            import requests

            def microsoft_keys():
                return requests.get(MICROSOFT_KEY_SET_URL).json()
            """
        ),
        Invalid(
            """
            def fetch_key(token, keys_url):
                response = get_adapter().get_requests_session().get(keys_url)
                response.raise_for_status()
                return response.json()
            """
        ),
        Invalid(
            """
            class TenantBackend:
                def get_certificate(self, kid):
                    resp = self.request(self.jwks_url(), method="GET")
                    for key in resp.json()["keys"]:
                        if key["kid"] == kid:
                            return key
            """
        ),
        Invalid(
            """
            class Auth0:
                def get_user_details(self, response):
                    jwks = self.get_json(self.api_path(".well-known/jwks.json"))
                    return decode(response["id_token"], jwks)
            """
        ),
        Invalid(
            """
            import httpx

            async def discover(issuer):
                async with httpx.AsyncClient() as client:
                    return (await client.get(issuer + "/.well-known/openid-configuration")).json()
            """
        ),
        # A new PyJWKClient per verification: its key cache is thrown away with it.
        Invalid(
            """
            import jwt

            def verify(token):
                client = jwt.PyJWKClient(JWKS_URL)
                key = client.get_signing_key_from_jwt(token)
                return jwt.decode(token, key.key, algorithms=["RS256"])
            """
        ),
        Invalid(
            """
            from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser

            def saml_settings(request, idp):
                data = OneLogin_Saml2_IdPMetadataParser.parse_remote(idp.metadata_url)
                return merge(BASE_SETTINGS, data)
            """
        ),
        Invalid(
            """
            import requests

            def firebase_certs():
                return requests.get("https://www.googleapis.com/robot/v1/metadata/x509/securetoken@system.gserviceaccount.com").json()
            """
        ),
    ]

    @classmethod
    def may_match_file(cls, path: str, facts, config: object = None) -> bool:
        # Once per file (the answers are shared with other rules): 42 of the standard library's
        # 13,353 files spell a trigger, so the per-piece test almost never runs.
        return facts.mentions("saml2") or any(facts.mentions(trigger) for trigger in TRIGGERS)

    def visit_Call(self, node: cst.Call) -> None:
        function = self.context.function
        if function is None or not isinstance(function.node, cst.FunctionDef):
            return
        if self._loads_saml_config(node, function.node):
            return
        if not self._fetches_provider_document(node) and not self._calls_fetcher(node, function.node):
            if not self._downloads(node):
                return
            args = [a.value for a in node.args if a.keyword is None or a.keyword.value == "url"]
            if not any(_names_key_set(arg) for arg in args):
                return
        fdef = function.node
        if fdef.name.value.startswith("test"):
            return
        if _cached_decorator(_code(d.decorator) for d in fdef.decorators) or stores(fdef.body, set()):
            return
        callers = _callers(self.context.facts).get(fdef.name.value)
        if callers and all(callers):
            return  # only reached through cached functions of this module
        self.report(node)

    def _calls_fetcher(self, node: cst.Call, caller: cst.FunctionDef) -> bool:
        """``self.certs()`` / ``_fetch_certs(request, url)``: a def of this module named for the
        document, which downloads it on every call and keeps nothing (``_fetchers``). Not from a
        dunder method (``__init__`` runs once per object) nor from the fetcher itself."""
        func = node.func
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value == "self":
            name = func.attr.value
        elif isinstance(func, cst.Name):
            name = func.value
        else:
            return False
        if not _fetchers(self.context.facts).get(name):
            return False
        if not any(trigger in _code(func) + "(" for trigger in TRIGGERS):
            return False
        caller_name = caller.name.value
        return caller_name != name and not caller_name.startswith("__")

    def _loads_saml_config(self, node: cst.Call, fdef: cst.FunctionDef) -> bool:
        """``conf = SPConfig(); conf.load(settings)`` in a function that runs per request or per
        item (a view, a helper a view calls): the IdP metadata and the key files are read (or
        downloaded) and parsed again each time. Reported (and True) only then; silent in cached
        defs and defs that keep what they built."""
        func = node.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == "load" and isinstance(func.value, cst.Name)):
            return False
        constructor = self._bound_call(fdef, func.value.value)
        if constructor is None or self.context.call_name(constructor) not in _SAML_CONFIGS:
            return False
        if not _code(constructor.func).endswith("Config"):
            return False  # spelled otherwise, the piece may lack the trigger
        repeat = self.context.repeat_of()
        if repeat is None or repeat.kind not in (HANDLER, LOOP) or fdef.name.value.startswith("test"):
            return False
        if _cached_decorator(_code(d.decorator) for d in fdef.decorators) or stores(fdef.body, self.context.function.local_names):
            return False
        self.report(
            node,
            f"loads the SAML configuration (the IdP metadata, downloaded when it is `remote`, and the key files) "
            f"on every call of `{fdef.name.value}`, which runs repeatedly ({repeat.why}); it changes only with "
            "the settings: build the config once and keep it (with a time limit for remote metadata)",
        )
        return True

    @staticmethod
    def _bound_call(fdef: cst.FunctionDef, name: str) -> Optional[cst.Call]:
        """The call ``name`` is bound to by its only assignment in ``fdef`` (``conf = SPConfig()``)."""
        found: list[cst.CSTNode] = []
        stack: list[cst.CSTNode] = [fdef.body]
        while stack:
            current = stack.pop()
            if isinstance(current, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
                continue
            if isinstance(current, cst.Assign) and any(
                isinstance(t.target, cst.Name) and t.target.value == name for t in current.targets
            ):
                found.append(current.value)
            stack.extend(children(current))
        return found[0] if len(found) == 1 and isinstance(found[0], cst.Call) else None

    def _fetches_provider_document(self, node: cst.Call) -> bool:
        """``PyJWKClient(url)`` (a client whose key cache dies with it) or
        ``OneLogin_Saml2_IdPMetadataParser.parse_remote(url)`` (the IdP's metadata)."""
        if self.context.call_name(node) in _FETCHING_CLIENTS:
            return True
        func = node.func
        return (
            isinstance(func, cst.Attribute)
            and func.attr.value in _METADATA_DOWNLOADS
            and "IdPMetadataParser" in _code(func.value)
        )

    def _downloads(self, node: cst.Call) -> bool:
        func = node.func
        if self.context.call_name(node) in _HTTP_FUNCTIONS:
            return True
        if not isinstance(func, cst.Attribute) or func.attr.value not in _HTTP_METHODS:
            # A transport callable passed in (google-auth's ``request(url, method="GET")``).
            return isinstance(func, cst.Name) and func.value in ("urlopen", "request")
        if func.attr.value == "get" and node.args and isinstance(node.args[0].value, cst.SimpleString):
            key = node.args[0].value.evaluated_value
            if isinstance(key, str) and key.isidentifier():
                return False  # ``self.client_metadata.get("jwks_uri")``: a mapping key, not a URL
        receiver = func.value
        if isinstance(receiver, cst.Name) and receiver.value == "self":
            return func.attr.value in _SELF_METHODS
        if self.context.kind_of(receiver).kind in _CLIENT_KINDS:
            return True
        text = _code(receiver).lower()
        return any(word in text for word in _CLIENT_WORDS)
