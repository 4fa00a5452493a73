import json


def load_expected(path: str) -> list[str]:
    with open(path) as fh:
        return json.load(fh)["ids"]


def missing_ids(actual: list[str], expected: list[str]) -> list[str]:
    return [e for e in expected if e not in actual]  # expect: L1


def test_export_roundtrip(tmp_path):
    expected = load_expected(str(tmp_path / "golden.json"))
    produced = [r["id"] for r in json.loads((tmp_path / "out.json").read_text())]
    for rid in produced:
        assert rid in expected  # expect-none


class Colour:
    RED = "red"
    GREEN = "green"

    def __repr__(self) -> str:
        parts = []
        for name in dir(self):
            if name not in parts:  # expect-none
                parts.append(name)
        return f"Colour({', '.join(parts)})"


try:
    import ujson as fastjson
except ImportError:
    fastjson = json
