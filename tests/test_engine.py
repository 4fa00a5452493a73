"""The engine: parsing, blocks, suppression, ranking, fixes as text edits."""

from __future__ import annotations

import pytest

from perflint import lint_source
from perflint.engine import BlockCache, lint_source as lint_unranked
from perflint.config import Settings
from perflint.fixes import apply_fixes, diff_edits
from perflint.model import Edit, Fix

LOOP = "for line in open(p).readlines():\n    pass\n"


def codes(findings):
    return [(f.code, f.line, f.column) for f in findings]


def test_syntax_error_reports_cpythons_position():
    [finding] = lint_source("def f(:\n    pass\n", "x.py")
    assert (finding.code, finding.line, finding.level) == ("PF000", 1, 0)
    assert finding.message.startswith("SyntaxError")


def test_deep_nesting_is_a_finding_not_a_crash():
    source = "x = " + "(" * 1000 + "1" + ")" * 1000 + "\n"
    [finding] = lint_source(source, "deep.py")
    assert finding.code == "PF000" and "nested" in finding.message


def test_bytes_with_bom_and_crlf_keep_positions():
    data = b"\xef\xbb\xbfimport os\r\n\r\n" + LOOP.replace("\n", "\r\n").encode()
    assert codes(lint_source(data, "x.py")) == [("PF404", 3, 13)]


def test_columns_count_code_points():
    [finding] = lint_source('for line in open("é").readlines():\n    pass\n', "x.py")
    assert (finding.column, finding.end_column) == (13, 34)


def test_positions_in_decorated_functions_and_classes_are_shifted_per_block():
    source = "import os\n\n\n@decorator\nclass A:\n    def m(self, f):\n        " + LOOP.replace("\n    ", "\n            ")
    [finding] = lint_source(source, "x.py")
    assert (finding.line, finding.column) == (7, 21)
    assert finding.context["function"] == "A.m" and finding.context["function_line"] == 6


def test_suppression_comments():
    assert lint_source("for l in open(p).readlines():  # perflint: ignore\n    pass\n") == []
    assert lint_source("for l in open(p).readlines():  # perflint: ignore[PF404]\n    pass\n") == []
    assert lint_source("for l in open(p).readlines():  # perflint: ignore[PF4]\n    pass\n") == []
    assert lint_source("for l in open(p).readlines():  # noqa: PF404\n    pass\n") == []
    assert len(lint_source("for l in open(p).readlines():  # perflint: ignore[PF101]\n    pass\n")) == 1
    assert len(lint_source("for l in open(p).readlines():  # noqa: E501\n    pass\n")) == 1
    assert len(lint_source("for l in open(p).readlines():\n    s = '# perflint: ignore'\n")) == 1


def test_impact_grows_with_loop_depth_and_rank_orders_by_impact():
    source = (
        "def shallow(f):\n    " + LOOP.replace("\n", "\n    ")
        + "\ndef deep(f, rows):\n    for r in rows:\n        for x in rows:\n"
        "            for line in open(f).readlines():\n                pass\n"
    )
    shallow, deep = sorted(lint_unranked(source, "x.py"), key=lambda f: f.line)
    assert deep.impact > shallow.impact
    ranked = lint_source(source, "x.py")
    assert [f.line for f in ranked] == [deep.line, shallow.line]
    assert [f.rank for f in ranked] == [1, 2]


def test_block_cache_reuses_unchanged_blocks_and_shifts_them():
    first = "def a(f):\n    " + LOOP.replace("\n", "\n    ") + "\n\ndef b(f):\n    " + LOOP.replace("\n", "\n    ")
    cache = BlockCache()
    before = lint_unranked(first, "x.py", block_cache=cache)
    edited = first.replace("def a(f):\n", "def a(f):\n    x = 1\n")
    after = lint_unranked(edited, "x.py", block_cache=cache)
    assert cache.hits == 1 and cache.misses == 3
    assert [f.line for f in after] == [3, 8]
    assert after[1].fix.edits[0].line == before[1].fix.edits[0].line + 1
    assert after == lint_unranked(edited, "x.py")


def test_diff_edits_are_minimal_and_apply_back():
    old = "a = 1\nfor x in y.readlines():\n    pass\n"
    new = "a = 1\nfor x in y:\n    pass\n"
    edits = diff_edits(old, new)
    assert edits == [Edit(2, 11, 2, 23, "")]
    assert apply_fixes(old, [Fix("m", "safe", tuple(edits))]) == (new, 1)


def test_diff_edits_of_texts_without_a_common_line_are_difflibs():
    """``diff_edits`` skips ``difflib`` when no line is common to both texts: the same edits
    as its opcodes give (checked against ``SequenceMatcher`` on random texts)."""
    import difflib
    import random

    from perflint.fixes import _advance, _common_prefix
    from perflint.source import split_lines

    def by_difflib(old, new):
        a, b = split_lines(old), split_lines(new)
        edits = []
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
            if tag == "equal":
                continue
            before, after = "".join(a[i1:i2]), "".join(b[j1:j2])
            prefix = _common_prefix(before, after)
            suffix = _common_prefix(before[prefix:][::-1], after[prefix:][::-1])
            start, end = _advance(1 + i1, 1, before[:prefix]), _advance(1 + i1, 1, before[: len(before) - suffix])
            edits.append(Edit(*start, *end, after[prefix : len(after) - suffix]))
        return edits

    pool = ["    x = []\n", "    for a in b:\n", "        x.append(a)\n", "    x = [a for a in b]\n", "y\n", "z", "\n", ""]
    rng = random.Random(7)
    disjoint = 0
    for _ in range(3000):
        old = "".join(rng.choice(pool) for _ in range(rng.randrange(4)))
        new = "".join(rng.choice(pool) for _ in range(rng.randrange(4)))
        disjoint += bool(split_lines(old) and split_lines(new) and set(split_lines(old)).isdisjoint(split_lines(new)))
        assert diff_edits(old, new) == by_difflib(old, new), (old, new)
    assert disjoint > 300


def test_overlapping_fixes_apply_one_and_identical_insertions_once():
    source = "abc\n"
    first = Fix("1", "safe", (Edit(1, 1, 1, 1, "import x\n"), Edit(1, 1, 1, 3, "X")))
    second = Fix("2", "safe", (Edit(1, 1, 1, 1, "import x\n"), Edit(1, 2, 1, 4, "Y")))
    third = Fix("3", "safe", (Edit(1, 1, 1, 1, "import x\n"), Edit(1, 4, 1, 4, "!")))
    assert apply_fixes(source, [first, second, third]) == ("import x\nXc!\n", 2)


def test_a_fix_import_joins_the_files_from_import_of_that_module():
    source = (
        "from collections import OrderedDict\n"
        "def f(items):\n"
        "    queue = list(items)\n"
        "    while queue:\n"
        "        queue.pop(0)\n"
    )
    (finding,) = lint_unranked(source, "x.py", Settings(select=("PF103",)))
    fixed, _ = apply_fixes(source, [finding.fix])
    assert fixed.splitlines()[0] == "from collections import OrderedDict, deque"
    assert "queue = deque(items)" in fixed and fixed.count("import") == 1


def test_fixes_read_from_positions_do_what_fixes_from_rewriting_the_piece_do(monkeypatch):
    import perflint.engine as engine
    from perflint.rules import all_rules

    every = Settings(select=tuple(rule.code for rule in all_rules()))
    examples = [example.code for rule in all_rules() for example in rule.invalid if example.fixed is not None]

    def fixed_texts() -> list[str]:
        return [apply_fixes(code, [f.fix])[0] for code in examples for f in lint_unranked(code, "x.py", every) if f.fix]

    fast = fixed_texts()
    rewrite = engine.materialize_fix
    monkeypatch.setattr(engine, "materialize_fix", lambda *args: rewrite(*args[:5]))  # no positions: rewrite
    assert len(fast) >= 40 and fast == fixed_texts()


def test_positions_are_libcsts_own():
    import sysconfig

    import libcst as cst
    from libcst.metadata import MetadataWrapper, PositionProvider

    from perflint.engine import positions_of

    module = cst.parse_module(open(sysconfig.get_path("stdlib") + "/json/decoder.py", encoding="utf-8").read())
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    assert dict(positions_of(module)) == dict(expected)


def test_positions_of_wanted_nodes_stop_early_with_the_same_ranges():
    import sysconfig

    import libcst as cst
    from libcst.metadata import MetadataWrapper, PositionProvider

    from perflint.positions import positions_of

    module = cst.parse_module(open(sysconfig.get_path("stdlib") + "/json/decoder.py", encoding="utf-8").read())
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    calls = [node for node in expected if isinstance(node, cst.Call)]
    wanted = [calls[0], calls[len(calls) // 3], module.body[1]]
    found = positions_of(module, wanted)
    for node in wanted:
        assert found[node] == expected[node]
    assert len(found) < len(expected) // 2  # stopped after the last wanted node
    assert dict(positions_of(module, [])) == dict(expected)  # nothing wanted: every range


def _fixed_examples():
    from perflint.rules import all_rules

    for rule in all_rules():
        for example in rule.invalid:
            if example.fixed is not None:
                yield rule, example


def test_a_lint_without_fix_edits_announces_each_fix_and_fix_of_computes_it(monkeypatch):
    from perflint import engine
    from perflint.engine import fix_of

    checked = 0
    for rule, example in _fixed_examples():
        settings = Settings(select=(rule.code,), rule_options={rule.code: dict(example.options)})
        full = lint_unranked(example.code, "t.py", settings)
        with monkeypatch.context() as patched:
            # No edit is computed, and no rule builds a rewrite, when none is asked for.
            patched.setattr(engine, "materialize_fix", lambda *a, **k: pytest.fail("an edit was computed"))
            announced = lint_unranked(example.code, "t.py", settings, fixes=False)
        assert [(f.code, f.line, f.column) for f in announced] == [(f.code, f.line, f.column) for f in full]
        for complete, partial in zip(full, announced):
            if complete.fix is None:
                assert partial.fix is None
                continue
            assert not partial.fix.complete and partial.fix.edits == ()
            assert (partial.fix.message, partial.fix.applicability) == (complete.fix.message, complete.fix.applicability)
            assert fix_of(example.code, "t.py", partial, settings) == complete.fix
            checked += 1
    assert checked >= 50


@pytest.mark.parametrize(
    ("caller", "code"),
    [
        ("@shared_task\ndef refresh(sku):\n    return quote(sku)\n", "PF502"),  # a task calls it
        ("def refresh(skus):\n    return [quote(sku) for sku in skus]\n", "PF502"),  # a loop calls it
    ],
)
def test_a_cached_piece_follows_its_callers_becoming_hot(caller, code):
    """A piece's findings may depend on other pieces through ``runs_repeatedly`` (PF5xx,
    PF306): the helper's text never changes, but whether it opens a channel per task or per
    item does."""
    helper = (
        "import grpc\nfrom celery import shared_task\n\n\ndef quote(sku):\n"
        "    channel = grpc.insecure_channel('pricing:50051')\n    return PricingStub(channel).Quote(sku)\n\n\n"
    )
    cold = helper + "def refresh(sku):\n    return quote(sku)\n"
    hot = helper + caller
    cache = BlockCache()
    for source, expected in ((cold, []), (hot, [code]), (cold, []), (hot, [code])):
        assert [f.code for f in lint_unranked(source, "x.py", block_cache=cache)] == expected
    assert cache.hits >= 2  # the unchanged pieces still come from the cache


ONCE_LOOPS = {
    "break": "    for name in names:\n        found = Account.objects.get(name=name)\n        break\n",
    "return": "    for name in names:\n        return Account.objects.get(name=name)\n",
    "raise": "    for name in names:\n        Account.objects.get(name=name)\n        raise LookupError(name)\n",
}


@pytest.mark.parametrize("body", ONCE_LOOPS.values(), ids=ONCE_LOOPS.keys())
def test_a_loop_whose_body_always_ends_the_loop_is_not_a_loop(body):
    source = "from shop.models import Account\n\ndef first(names):\n" + body
    assert [f.code for f in lint_unranked(source, "x.py", Settings(select=("PF201",)))] == []


@pytest.mark.parametrize(
    "body",
    [
        "    for name in names:\n        if not name:\n            continue\n        Account.objects.get(name=name)\n        break\n",
        "    for name in names:\n        Account.objects.get(name=name)\n        if name:\n            break\n",
    ],
    ids=["a continue skips the break", "a conditional break"],
)
def test_a_loop_that_may_repeat_stays_a_loop(body):
    source = "from shop.models import Account\n\ndef first(names):\n" + body
    assert [f.code for f in lint_unranked(source, "x.py", Settings(select=("PF201",)))] == ["PF201"]
