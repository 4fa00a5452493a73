import hashlib
import hmac
import os

SIGNING_SECRET = os.environ.get("SIGNING_SECRET", "dev-secret").encode()
SIGNING_SALT = b"perflint-tokens-v1"
SIGNING_KEY = hashlib.pbkdf2_hmac("sha256", SIGNING_SECRET, SIGNING_SALT, 200_000)


def sign_tokens(tokens: list[str]) -> dict[str, str]:
    signed = {}
    for token in tokens:
        key = hashlib.pbkdf2_hmac("sha256", SIGNING_SECRET, SIGNING_SALT, 200_000)  # expect: L3
        signed[token] = hmac.new(key, token.encode(), hashlib.sha256).hexdigest()
    return signed


def sign_tokens_v2(tokens: list[str]) -> dict[str, str]:
    return {t: hmac.new(SIGNING_KEY, t.encode(), hashlib.sha256).hexdigest() for t in tokens}  # expect-none


def hash_passwords(users):
    # every user has their own password and salt: this is the work to do
    for user in users:
        user.pw_hash = hashlib.pbkdf2_hmac("sha256", user.password.encode(), user.salt, 200_000)  # expect-none


def fingerprints(blobs: list[bytes]) -> list[str]:
    return [hashlib.sha256(b).hexdigest() for b in blobs]  # expect-none


def verify_all(pairs):
    return [
        hmac.compare_digest(sig, hmac.new(hashlib.pbkdf2_hmac("sha256", SIGNING_SECRET, SIGNING_SALT, 200_000), msg, "sha256").hexdigest())  # expect: L3
        for msg, sig in pairs
    ]
