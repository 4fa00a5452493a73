"""Customer CSV import: name normalisation and pseudonymous keys."""
from __future__ import annotations

import csv
import hashlib
import hmac
import os
import unicodedata
from dataclasses import dataclass
from typing import Iterable, Iterator

PEPPER = os.environ.get("IMPORT_PEPPER", "dev-pepper").encode()
KEY_SALT = b"customer-import-v3"
ACCENTS = "àáâäãåçèéêëìíîïñòóôöõùúûüýÿ"
PLAIN = "aaaaaaceeeeiiiinooooouuuuyy"
_FOLD = str.maketrans(ACCENTS, PLAIN)  # expect-none
_IMPORT_KEY = hashlib.pbkdf2_hmac("sha256", PEPPER, KEY_SALT, 200_000)  # expect-none


@dataclass
class Customer:
    name: str
    email: str
    email_key: str


class NameCleaner:
    def __init__(self, replacements: dict[str, str]) -> None:
        self.replacements = replacements
        self.table = str.maketrans(replacements)  # expect-none

    def clean_all(self, names: Iterable[str]) -> list[str]:
        return [n.translate(str.maketrans(self.replacements)).strip() for n in names]  # expect: L3

    def clean_all_v2(self, names: Iterable[str]) -> list[str]:
        return [n.translate(self.table).strip() for n in names]  # expect-none


def fold(names: Iterable[str]) -> Iterator[str]:
    for name in names:
        yield name.lower().translate(str.maketrans(ACCENTS, PLAIN))  # expect: L3


def read_customers(path: str) -> Iterator[Customer]:
    with open(path, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            key = hashlib.pbkdf2_hmac("sha256", PEPPER, KEY_SALT, 200_000)  # expect: L3
            digest = hmac.new(key, row["email"].lower().encode(), "sha256").hexdigest()
            yield Customer(row["name"], row["email"], digest)


def read_customers_v2(path: str) -> Iterator[Customer]:
    with open(path, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            digest = hmac.new(_IMPORT_KEY, row["email"].lower().encode(), "sha256").hexdigest()  # expect-none
            yield Customer(row["name"], row["email"], digest)


def password_hashes(rows: list[dict]) -> dict[str, bytes]:
    return {
        r["email"]: hashlib.pbkdf2_hmac("sha256", r["password"].encode(), bytes.fromhex(r["salt"]), 200_000)  # expect-none
        for r in rows
    }


def strip_marks(names: list[str]) -> list[str]:
    return ["".join(c for c in unicodedata.normalize("NFKD", n) if not unicodedata.combining(c)) for n in names]  # expect-none


def per_locale(rows: list[dict]) -> list[str]:
    out = []
    for r in rows:
        table = str.maketrans(r["from_chars"], r["to_chars"])  # expect-none
        out.append(r["name"].translate(table))
    return out
