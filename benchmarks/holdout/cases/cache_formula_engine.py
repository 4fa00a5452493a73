import ast

SCORE_EXPR = "0.4 * recency + 0.35 * frequency + 0.25 * monetary"
SCORE_CODE = compile(SCORE_EXPR, "<score>", "eval")


def score_customers(customers):
    scores = {}
    for c in customers:
        code = compile(SCORE_EXPR, "<score>", "eval")  # expect: L3
        scores[c["id"]] = eval(code, {}, {"recency": c["r"], "frequency": c["f"], "monetary": c["m"]})
    return scores


def score_customers_v2(customers):
    return {c["id"]: eval(SCORE_CODE, {}, {"recency": c["r"], "frequency": c["f"], "monetary": c["m"]}) for c in customers}  # expect-none


def evaluate_rows(rows):
    # each row carries its own formula, so each one has to be compiled
    return [eval(compile(r["formula"], "<row>", "eval"), {}, r["vars"]) for r in rows]  # expect-none


class FormulaAudit:
    def __init__(self, allowed_names: set[str]):
        self.allowed_names = allowed_names

    def unknown_names(self, records):
        problems = []
        for rec in records:
            tree = ast.parse(SCORE_EXPR, mode="eval")  # expect: L3
            used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
            problems.extend((rec["id"], name) for name in used - self.allowed_names - rec.keys())
        return problems

    def check_user_formula(self, text: str) -> bool:
        tree = ast.parse(text, mode="eval")  # expect-none
        return all(n.id in self.allowed_names for n in ast.walk(tree) if isinstance(n, ast.Name))
