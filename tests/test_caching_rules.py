"""Level-3 (caching) rules: what the generated example tests cannot say.

The examples in each rule check detection and the exact fixed text. Here:
fixed code computes the same results when run, PF302 is opt-in, and the
module facts that decide where a hoisted constant may go.
"""

from __future__ import annotations

import ast
import textwrap

from perflint.autofix import fix_text
from perflint.config import Settings
from perflint.engine import lint_source
from perflint.facts import ModuleFacts
from perflint.rules.caching.lru_cache_on_method import LruCacheOnMethod
from perflint.rules.caching.lru_cache_on_property import LruCacheOnProperty
from perflint.rules.caching.recursive_recomputation import RecursiveRecomputation
from perflint.rules.caching.regex_compiled_in_loop import RegexCompiledInLoop


def _run(source: str, function: str, *args):
    namespace: dict = {}
    exec(compile(source, "<test>", "exec"), namespace)
    return namespace[function](*args), namespace


def test_hoisted_patterns_give_the_same_results():
    source = textwrap.dedent(
        """
        import re

        def clean(lines):
            out = []
            for line in lines:
                if re.match(r"#", line):
                    continue
                words = re.split(r"[,;]\\s*", line.strip(), maxsplit=2)
                out.append((words, re.sub("A+", "a", line, 1, re.IGNORECASE), re.findall(r"\\d", line)))
            return out
        """
    )
    fixed, applied = fix_text(source, "m.py", rules=[RegexCompiledInLoop])
    assert applied == 4
    assert "re.match(" not in fixed and "re.sub(" not in fixed
    lines = ["# comment", "aaA, b; c;d 12", "x;y,z 3", "AaAa"]
    assert _run(fixed, "clean", lines)[0] == _run(source, "clean", lines)[0]


def test_two_hoisted_patterns_get_distinct_names():
    source = "import re\nfor s in xs:\n    re.match('a', s)\n    re.match('b', s)\n"
    fixed, _ = fix_text(source, "m.py", rules=[RegexCompiledInLoop])
    constants = [line.split(" = ")[0] for line in fixed.splitlines() if "re.compile(" in line]
    assert len(constants) == 2 and len(set(constants)) == 2
    ast.parse(fixed)


def test_a_hoisted_pattern_is_laid_out_as_pep_8_asks():
    # A blank line after the imports, two before the function that follows.
    source = "import re\ndef words(lines):\n    for s in lines:\n        print(re.split(r'\\s+', s))\n"
    fixed, _ = fix_text(source, "m.py", rules=[RegexCompiledInLoop])
    assert fixed.startswith("import re\n\n_WORDS_PATTERN = re.compile(r'\\s+')\n\n\ndef words(lines):\n")


def test_an_added_import_is_followed_by_the_blank_lines_pep_8_asks():
    # The file starts with the function: the import goes above it, two blank lines apart.
    source = "def ways(n):\n    if n < 2:\n        return 1\n    return ways(n - 1) + ways(n - 2)\n"
    fixed, applied = fix_text(source, "m.py", rules=[RecursiveRecomputation])
    assert applied == 1
    assert fixed.startswith("import functools\n\n\n@functools.cache\ndef ways(n):\n")
    # After a docstring and before a statement: one blank line.
    source = '"""Doc."""\nN = 3\n' + source
    fixed, _ = fix_text(source, "m.py", rules=[RecursiveRecomputation])
    assert fixed.startswith('"""Doc."""\nimport functools\n\nN = 3\n')


def test_cached_recursion_gives_the_same_results():
    source = "def ways(n: int, k: int) -> int:\n    if n <= 0 or k <= 0:\n        return 1\n    return ways(n - 1, k) + ways(n, k - 1)\n"
    fixed, applied = fix_text(source, "m.py", rules=[RecursiveRecomputation])
    assert applied == 1
    result, namespace = _run(fixed, "ways", 8, 6)
    assert result == _run(source, "ways", 8, 6)[0]
    assert namespace["ways"].cache_info().hits > 0


def test_lru_cache_on_method_runs_only_when_selected():
    code = "import functools\nclass A:\n    @functools.cache\n    def f(self):\n        return 1\n"
    by_default = lint_source(code, "m.py", Settings())
    selected = lint_source(code, "m.py", Settings(select=("PF302",)))
    assert not [f for f in by_default if f.code == "PF302"]
    assert [f.code for f in selected] == ["PF302"]
    assert LruCacheOnMethod.opt_in


def test_a_cached_property_is_reported_by_default_and_only_once():
    code = "import functools\nclass A:\n    @property\n    @functools.cache\n    def f(self):\n        return 1\n"
    by_default = lint_source(code, "m.py", Settings())
    both = lint_source(code, "m.py", Settings(select=("PF302", "PF307")))
    assert [f.code for f in by_default if f.code in ("PF302", "PF307")] == ["PF307"]
    assert [f.code for f in both] == ["PF307"]
    assert not LruCacheOnProperty.opt_in


def test_the_cached_property_fix_keeps_the_value_per_instance():
    source = textwrap.dedent(
        """
        import functools

        class Box:
            def __init__(self, n):
                self.n = n

            @property
            @functools.cache
            def double(self):
                return self.n * 2

        def run():
            boxes = [Box(i) for i in range(5)]
            return [b.double for b in boxes], [b.double for b in boxes]
        """
    )
    fixed, applied = fix_text(source, "m.py", rules=[LruCacheOnProperty], unsafe=True)
    assert applied == 1 and "cached_property" in fixed and "functools.cache\n" not in fixed
    assert _run(fixed, "run")[0] == _run(source, "run")[0]


def test_imported_early_lists_only_the_leading_imports():
    tree = ast.parse(
        '"""doc"""\nimport os\ntry:\n    import re as regex\nexcept ImportError:\n    regex = None\n'
        "VERSION = 1\nimport json\n"
    )
    facts = ModuleFacts.from_tree(tree)
    assert facts.imported_early == {"os", "regex"}
    assert "json" in facts.imports and "json" not in facts.imported_early


def test_a_catalogued_call_under_an_import_alias_is_found_past_the_text_prefilter():
    """``from yaml import safe_load as read_yaml``: the rules resolve the alias, and the text
    prefilter reads ``read_yaml(`` as ``safe_load(`` (the piece's shape already does)."""
    source = (
        'from yaml import safe_load as read_yaml\nCONFIG = "a: 1"\n\n'
        "def f(items):\n    for i in items:\n        c = read_yaml(CONFIG)\n        print(c, i)\n"
    )
    for prefilter in (True, False):
        found = [(f.code, f.line) for f in lint_source(source, "x.py", Settings(prefilter=prefilter))]
        assert found == [("PF305", 6)], prefilter
    unrelated = source.replace("from yaml import safe_load as read_yaml", "from myapp.config import read_yaml")
    assert lint_source(unrelated, "x.py") == []
