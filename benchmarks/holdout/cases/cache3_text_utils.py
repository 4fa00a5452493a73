"""text_utils - string helpers shared by the import scripts (no annotations, globals)."""
import ast
import re

STOPWORDS = ["a", "an", "and", "the", "of", "to", "in", "on", "for", "with"]
ACCENTS = u"\u00e0\u00e1\u00e2\u00e8\u00e9\u00ea\u00ec\u00ed\u00f2\u00f3\u00f9\u00fa"
PLAIN = u"aaaeeeiioouu"
RULE_SRC = "price * qty - discount"
LEGACY_MAP = "{'colour': 'color', 'centre': 'center', 'grey': 'gray'}"

STOP = frozenset(STOPWORDS)  # expect-none
FOLD = str.maketrans(ACCENTS, PLAIN)  # expect-none
RULE = compile(RULE_SRC, "<rule>", "eval")  # expect-none


def keywords(titles):
    result = []
    for t in titles:
        stop = set([w.upper() for w in STOPWORDS])  # expect: L3
        result.append([w for w in t.upper().split() if w not in stop])
    return result


def keywords_v2(titles):
    return [[w for w in t.lower().split() if w not in STOP] for t in titles]  # expect-none


def fold_all(names):
    out = []
    for n in names:
        table = str.maketrans(ACCENTS, PLAIN)  # expect: L3
        out.append(n.translate(table))
    return out


def fold_all_v2(names):
    return [n.translate(FOLD) for n in names]  # expect-none


def totals(lines):
    res = []
    for ln in lines:
        code = compile(RULE_SRC, "<rule>", "eval")  # expect: L3
        res.append(eval(code, {}, ln))
    return res


def totals_custom(lines):
    res = []
    for ln in lines:
        code = compile(ln["formula"], "<rule>", "eval")  # expect-none
        res.append(eval(code, {}, ln))
    return res


def americanize(words):
    out = []
    for w in words:
        mapping = ast.literal_eval(LEGACY_MAP)  # expect: L3
        out.append(mapping.get(w, w))
    return out


def squeeze(s):
    for ch in (" ", "\t"):
        s = re.sub(re.escape(ch) + "+", ch, s)  # expect-none
    return s
