"""PF309 key-parsed-per-call."""

from __future__ import annotations

import libcst as cst
from perflint.model import Level
from perflint.repetition import HANDLER, LOOP
from perflint.rule import Benchmark, Invalid, Rule, Valid
from perflint.analysis import names_used
from perflint.rules.caching._instance_inputs import built_from_instance, spelled_name, stores

# Calls that turn key material into key objects, by the name the call spells last. A JWK set is
# parsed key by key (an RSA key's modulus and exponent decoded and checked); a private key is
# checked for consistency on every load (cryptography 48: 38 ms for an RSA-2048 key).
# Public PEM keys alone are left out: loading one costs about as much as the RSA verification it
# serves (measured 1.7x against a kept key), under the bar.
_KEY_SET_IMPORTS = frozenset({"import_key_set", "import_any_key", "PyJWKSet"})
_PRIVATE_KEY_LOADS = frozenset({"load_pem_private_key", "load_der_private_key", "load_ssh_private_key"})
_IMPORTERS = _KEY_SET_IMPORTS | _PRIVATE_KEY_LOADS
# The prefilter: every importer spells one of these.
TRIGGERS = ("import_key_set", "import_any_key", "PyJWKSet", "_private_key")


class KeyParsedPerCall(Rule):
    """
    ## What it does
    Flags, in a method that takes a per-call input (a token, a request, a
    payload), a call that imports a JSON Web Key set (`import_key_set`,
    authlib's `import_any_key`, PyJWT's `PyJWKSet`) or loads a private key
    (`load_pem_private_key`, `load_der_private_key`, `load_ssh_private_key`)
    from the instance's own configuration: every input of the call is
    `self.<attribute>`, a `self.<method>()` call without arguments, a literal
    or a module-level name. The same keys are parsed again for every token
    verified or issued, although they change only when the configuration
    does.

    Also flags a private key loaded in a function that runs per request or
    per item (`context.runs_repeatedly()`: a view, a task, a helper a loop
    calls) from anything but the function's parameters (settings, a file,
    stored rows): a request never carries a private key, so the same keys
    are parsed on every request (a JWKS view that loads each stored key to
    publish its public half).

    ## Why is this slow?
    A key set is parsed key by key (each RSA modulus decoded and checked),
    and cryptography checks a private key's consistency on every load.
    Measured with `perflint bench PF309` on Python 3.11.7 (joserfc 1.6.5,
    a shared two-core box): verifying 200 RS256 tokens against a two-key
    JWKS imported per token took 3.4x as long as against the imported set
    kept (about 230 us against 65 us per token). Issuing a token with the
    RSA-2048 private JWK imported per call took 53 ms against 0.26 ms with
    the key kept (authlib 1.9.6).

    ## Example
    ```python
    class TokenValidator:
        def authenticate_token(self, token_string):
            key = import_any_key(self.get_jwks())
            return jwt.decode(token_string, key)
    ```

    ## Use instead
    ```python
    class TokenValidator:
        def authenticate_token(self, token_string):
            if self._key is None:
                self._key = import_any_key(self.get_jwks())
            return jwt.decode(token_string, self._key)
    ```
    (or `functools.cached_property`; when the key set can rotate, keep it
    with a time limit and import again on an unknown `kid`).

    ## Fix safety
    No fix: whether the configuration can change under a live instance, and
    how long to keep the keys, is the application's choice.

    ## Known false positives
    Silent in dunder methods (`__init__` runs once per object), in methods
    without a parameter besides `self` (a `cached_property` or a setup
    step), in methods that assign to an attribute of the instance, to an
    item of something not local or to a global, or mention a cache, and
    when any input of the call is a parameter or a local of the method (the
    key then comes with the call). It cannot tell that `self.get_jwks()`
    itself downloads or changes per call. The per-request form is silent
    when an argument reads a parameter of the function (a key uploaded with
    the request) and when the function keeps something (a module-level dict
    of parsed keys, an attribute, a global, a cache); it cannot tell a
    handler that is called rarely (a key-rotation view) from a busy one.

    Judged on 2026-12-08: the Python 3.11.7 standard library (with its
    site-packages: boto3, moto, cryptography, joserfc) has no finding; on
    authlib 1.9.6, django-oauth-toolkit 3.4.1, mozilla-django-oidc 5.0.2,
    python-keycloak 7.1.1, google-auth 2.62.2, djangorestframework-simplejwt
    5.5.1, social-auth-core 4.5.4, django-allauth 65.3.1 and django-anymail
    12.0: 3 findings, 3 correct (authlib's JWT access-token validator and
    generator, and its OpenID client's `parse_id_token`, which imports the
    provider's key set again for every login). With the per-request form
    (2026-12-08), on the 34 sdists of the caching hold-out rounds plus
    PyJWT, python-jose, jinja2 and django-crispy-forms: 1 new finding, 1
    correct (django-oidc-provider's JWKS view, which parses every stored
    RSA private key per request); the standard library: none.
    """

    code = "PF309"
    name = "key-parsed-per-call"
    level = Level.CACHING
    message = (
        "parses the instance's key set / private key on every call; the keys change only with the "
        "configuration: import them once and keep the key objects"
    )
    weight = 1.5
    triggers = TRIGGERS
    benchmark = Benchmark(
        setup=(
            "from joserfc import jwt\n"
            "from joserfc.jwk import KeySet, RSAKey\n"
            "signer = RSAKey.generate_key(2048, parameters={'kid': 'k1'})\n"
            "other = RSAKey.generate_key(2048, parameters={'kid': 'k2'})\n"
            "JWKS = {'keys': [dict(signer.as_dict(private=False), kid='k1'), dict(other.as_dict(private=False), kid='k2')]}\n"
            "tokens = [jwt.encode({'alg': 'RS256', 'kid': 'k1'}, {'sub': str(i)}, signer) for i in range(200)]\n"
            "kept = KeySet.import_key_set(JWKS)\n"
        ),
        slow="for t in tokens:\n    jwt.decode(t, KeySet.import_key_set(JWKS))",
        fast="for t in tokens:\n    jwt.decode(t, kept)",
        size="200 RS256 tokens, a two-key RSA-2048 JWKS",
    )

    valid = [
        # The key comes with the call (a parameter, a local), or the method keeps it.
        Valid("class V:\n    def check(self, token, jwks):\n        return decode(token, import_any_key(jwks))\n"),
        Valid(
            "class V:\n    def check(self, token):\n        data = fetch(token)\n"
            "        return decode(token, KeySet.import_key_set(data))\n"
        ),
        Valid(
            "class V:\n    def check(self, token):\n        if self._keys is None:\n"
            "            self._keys = KeySet.import_key_set(self.jwks)\n        return decode(token, self._keys)\n"
        ),
        # Once per object, or a method with no per-call input (a cached_property, a setup step).
        Valid(
            "from cryptography.hazmat.primitives import serialization\n"
            "class Signer:\n    def __init__(self, pem):\n        self.pem = pem\n"
            "        self.key = serialization.load_pem_private_key(self.pem, password=None)\n"
        ),
        Valid(
            "from functools import cached_property\nclass V:\n    @cached_property\n"
            "    def keys(self):\n        return KeySet.import_key_set(self.jwks)\n"
        ),
        Valid("class V:\n    @lru_cache\n    def keys(self, kid):\n        return KeySet.import_key_set(self.jwks)\n"),
        # A public key: loading it costs about what the verification does.
        Valid(
            "from cryptography.hazmat.primitives import serialization\n"
            "class Hook:\n    def validate(self, request):\n"
            "        key = serialization.load_pem_public_key(self.public_pem.encode())\n"
            "        key.verify(request.signature, request.body)\n"
        ),
        # A module function: its inputs are its parameters.
        Valid("def keys(jwks):\n    return KeySet.import_key_set(jwks)\n"),
        # Per request, but kept in a module-level dict of parsed keys, or read from the request.
        Valid(
            "from cryptography.hazmat.primitives import serialization\nfrom django.views import View\n"
            "_PARSED = {}\nclass KeysView(View):\n    def get(self, request):\n"
            "        for row in SigningKey.objects.all():\n            if row.kid not in _PARSED:\n"
            "                _PARSED[row.kid] = serialization.load_pem_private_key(row.pem, password=None)\n"
            "        return publish(_PARSED)\n"
        ),
        Valid(
            "from cryptography.hazmat.primitives import serialization\nfrom django.views import View\n"
            "class UploadView(View):\n    def post(self, request):\n"
            "        key = serialization.load_pem_private_key(request.body, password=None)\n"
            "        return describe(key)\n"
        ),
        # Loaded once by a command, not per request.
        Valid(
            "from cryptography.hazmat.primitives import serialization\n"
            "def main():\n    key = serialization.load_pem_private_key(open(PATH, 'rb').read(), password=None)\n"
            "    return key\n"
        ),
    ]
    invalid = [
        Invalid(
            """
            from authlib._joserfc_helpers import import_any_key
            from joserfc import jwt

            class JWTBearerTokenValidator:
                def authenticate_token(self, token_string):
                    key = import_any_key(self.get_jwks())
                    return jwt.decode(token_string, key)
            """
        ),
        Invalid(
            """
            from cryptography.hazmat.primitives import serialization

            class Signer:
                def sign(self, payload):
                    key = serialization.load_pem_private_key(self.private_pem.encode(), password=None)
                    return key.sign(payload, PADDING, HASH)
            """
        ),
        Invalid(
            """
            import jwt

            class Verifier:
                def verify(self, token):
                    keys = jwt.PyJWKSet(self.settings.JWKS["keys"])
                    kid = jwt.get_unverified_header(token)["kid"]
                    return jwt.decode(token, keys[kid].key, algorithms=["RS256"])
            """
        ),
        # A JWKS view that parses every stored private key on each request to publish it.
        Invalid(
            """
            from cryptography.hazmat.primitives import serialization
            from django.http import JsonResponse
            from django.views import View

            class KeysView(View):
                def get(self, request):
                    keys = []
                    for row in SigningKey.objects.all():
                        private_key = serialization.load_pem_private_key(row.pem.encode(), password=None)
                        keys.append(private_key.public_key().public_numbers().n)
                    return JsonResponse({"keys": keys})
            """
        ),
        # A helper that a loop calls signs with a key read from the settings each time.
        Invalid(
            """
            from cryptography.hazmat.primitives.serialization import load_pem_private_key

            def sign(payload):
                key = load_pem_private_key(settings.SIGNING_KEY, password=None)
                return key.sign(payload, PADDING, HASH)

            def sign_all(payloads):
                return [sign(p) for p in payloads]
            """
        ),
    ]

    @classmethod
    def may_match_file(cls, path: str, facts, config: object = None) -> bool:
        return any(facts.mentions(trigger) for trigger in TRIGGERS)

    def visit_Call(self, node: cst.Call) -> None:
        spelled = spelled_name(node.func)
        if spelled not in _IMPORTERS:
            return
        if spelled in _PRIVATE_KEY_LOADS and self._private_key_per_request(node):
            return
        if built_from_instance(self.context, node):
            self.report(node)

    def _private_key_per_request(self, call: cst.Call) -> bool:
        """A private key loaded in a function that runs per request or per item (a view, a task,
        a helper a loop calls), from anything but the function's parameters: a request never
        carries a private key, so it comes from settings, a file or stored rows, the same each
        time. Silent when the function keeps something (a cache, an attribute, a global)."""
        scope = self.context.scopes[-1]
        function = scope.node
        if scope.kind != "function" or not isinstance(function, cst.FunctionDef):
            return False
        if function.name.value.startswith(("__", "test")):
            return False
        repeat = self.context.repeat_of()
        if repeat is None or repeat.kind not in (HANDLER, LOOP):
            return False
        params = {p.name.value for p in (*function.params.posonly_params, *function.params.params, *function.params.kwonly_params)}
        params.discard("self")
        if any(names_used(arg.value) & params for arg in call.args):
            return False
        if stores(function.body, scope.local_names):
            return False
        self.report(
            call,
            f"parses a private key on every call of `{function.name.value}`, which runs repeatedly ({repeat.why}); "
            "the key changes only with the configuration: load it once and keep the key object",
        )
        return True
