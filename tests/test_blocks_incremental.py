"""Answers kept from the last keystroke (call facts, repetition, gates) must give what a cold
lint of the same text gives: each edit below is linted through one ``BlockCache`` and compared
with a lint of the text alone."""

from __future__ import annotations

import textwrap

import pytest

from perflint.engine import BlockCache, lint_source

CHAIN = textwrap.dedent(
    """\
    from pymongo import MongoClient

    db = MongoClient().app


    def load_user(uid):
        return db.users.find_one({"_id": uid})


    def enrich(event):
        event["user"] = load_user(event["uid"])
        return event


    def other(x):
        return x + 1


    def handle(events):
        for event in events:
            enrich(event)
    """
)

# (old line, new line): each keeps the number of lines, so the splice and the patched
# inference run, as they do on a keystroke.
EDITS = [
    ('    return db.users.find_one({"_id": uid})', '    return {"_id": uid}'),  # the callee no longer queries
    ('    return db.users.find_one({"_id": uid})', '    return db.users.find({"_id": uid})'),  # same kinds, new chain
    ("    return x + 1", "    return x + 2"),  # an unrelated function
    ("    return x + 1", "    return load_user(x)"),  # a new caller of the querying function
    ("    return x + 1", "    return [load_user(i) for i in x]"),  # a new loop over it: PF209's gate
    ("    return x + 1", "    return list(map(load_user, x))"),  # handed to map: called per item
    ('    event["user"] = load_user(event["uid"])', '    event["user"] = event["uid"]'),  # the middle stops calling
]


def _seen(findings):
    return sorted((f.code, f.line, f.column, f.message) for f in findings)


def _edited(source: str, old: str, new: str) -> str:
    assert old in source
    return source.replace(old, new, 1)


@pytest.mark.parametrize(("old", "new"), EDITS)
def test_an_edit_and_its_undo_lint_as_a_cold_lint_does(old, new):
    cache = BlockCache()
    for source in (CHAIN, _edited(CHAIN, old, new), CHAIN, _edited(CHAIN, old, new)):
        assert _seen(lint_source(source, "x.py", block_cache=cache)) == _seen(lint_source(source, "x.py"))


def test_edits_in_a_row_lint_as_a_cold_lint_does():
    cache = BlockCache()
    source = CHAIN
    lint_source(source, "x.py", block_cache=cache)
    for old, new in EDITS:
        if old not in source:
            continue
        source = _edited(source, old, new)
        assert _seen(lint_source(source, "x.py", block_cache=cache)) == _seen(lint_source(source, "x.py"))


def test_call_facts_of_untouched_functions_are_kept_and_the_edited_callees_callers_recomputed():
    cache = BlockCache()
    lint_source(CHAIN, "x.py", block_cache=cache)
    before = cache.inference
    assert before.function_effects("handle") is not None
    edited = _edited(CHAIN, "    return x + 1", "    return x + 2")
    lint_source(edited, "x.py", block_cache=cache)
    after = cache.inference
    assert after is not before
    # Nothing that ``handle`` reads changed: its answer is the very object computed before.
    assert after._effects.get("handle") is before._effects["handle"]
    stopped = _edited(CHAIN, '    return db.users.find_one({"_id": uid})', '    return {"_id": uid}')
    lint_source(stopped, "x.py", block_cache=cache)
    latest = cache.inference
    assert latest.function_effects("load_user") is None
    assert latest.function_effects("enrich") is None  # it read load_user: recomputed
    assert latest.function_effects("handle") is None


REPOSITORY = textwrap.dedent(
    """\
    class Repo:
        def load(self, key):
            return key

        class Inner:
            @property
            def size(self):
                return 1


    class Service:
        def __init__(self, repo: Repo):
            self.repo = repo

        def run(self, keys):
            for key in keys:
                self.repo.load(key)

        def helper(self):
            def nested():
                return 1
            return nested
    """
)

REPETITION_EDITS = [
    ("        self.repo = repo", "        self.repo = None"),  # no longer a Repo: load is not looped
    ("            self.repo.load(key)", "            self.repo.load"),  # no call
    ("        def nested():", "        def renamed():"),  # a nested def's name
    ("        def size(self):", "        def length(self):"),  # a nested class's property
]


def _repetition(facts, path="x.py"):
    return {key: (repeat.kind, repeat.why) for key, repeat in facts.repetition(path).items()}


@pytest.mark.parametrize(("old", "new"), REPETITION_EDITS)
def test_why_functions_repeat_after_an_edit_is_what_a_cold_read_says(old, new):
    import ast

    from perflint.facts import Mentions, ModuleFacts

    cache = BlockCache()
    edited = _edited(REPOSITORY, old, new)
    for source in (REPOSITORY, edited, REPOSITORY, edited):
        lint_source(source, "x.py", block_cache=cache)
        kept = _repetition(cache.facts[1])
        cold = _repetition(ModuleFacts.from_tree(ast.parse(source), source, Mentions(source)))
        assert kept == cold
    assert ("Repo", "load") in _repetition(ModuleFacts.from_tree(ast.parse(REPOSITORY), REPOSITORY, Mentions(REPOSITORY)))


def test_the_loops_calls_are_kept_for_untouched_functions_and_read_again_for_the_edited_one():
    cache = BlockCache()
    lint_source(CHAIN, "x.py", block_cache=cache)
    before = cache.inference
    assert [scope for scope, _ in before.looped_calls()] == ["handle"]
    lint_source(_edited(CHAIN, "    return x + 1", "    return x + 2"), "x.py", block_cache=cache)
    assert cache.inference._looped["handle"] is before._looped["handle"]  # kept, not read again
    looped = _edited(CHAIN, "    return x + 1", "    return [load_user(i) for i in x]")
    found = lint_source(looped, "x.py", block_cache=cache)
    after = cache.inference
    assert sorted(scope for scope, _ in after.looped_calls()) == ["handle", "other"]
    assert sorted(f.line for f in found if f.code == "PF209") == [16, 21]  # the new loop, and handle's


def test_each_answer_kept_on_a_node_has_an_attribute_name_of_its_own():
    """Two modules that keep different answers under one attribute of the same statement read
    each other's (a file's grown names taken for its grown attributes lost a finding): every
    ``_perflint_*`` name is spelled by one module only."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    spelled_by: dict[str, set[str]] = {}
    for path in [*root.joinpath("server").rglob("*.py"), *root.joinpath("rules").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = None
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith("_perflint_"):
                name = node.value
            elif (
                isinstance(node, ast.BinOp)
                and isinstance(node.left, ast.Name)
                and node.left.id == "MEMO_PREFIX"
                and isinstance(node.right, ast.Constant)
            ):
                name = "_perflint_" + node.right.value
            if name is not None and name.rstrip("_") != "_perflint":
                spelled_by.setdefault(name, set()).add(str(path.relative_to(root)))
    assert len(spelled_by) >= 8  # the memos this test guards are found at all
    shared = {name: sorted(paths) for name, paths in spelled_by.items() if len(paths) > 1}
    assert shared == {}
