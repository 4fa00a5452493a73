"""Evaluate merchant-defined pricing rules against cart lines."""
from __future__ import annotations

import ast
import operator
from dataclasses import dataclass, field
from typing import Any

ALLOWED_NODES = (ast.Expression, ast.BinOp, ast.Compare, ast.Name, ast.Constant, ast.Load,
                 ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Gt, ast.Lt, ast.GtE, ast.LtE, ast.BoolOp, ast.And, ast.Or)
DEFAULT_RULE = "price * qty > 100 and qty >= 3"
_default_code = compile(DEFAULT_RULE, "<default-rule>", "eval")  # expect-none


@dataclass
class Rule:
    name: str
    expression: str
    discount: float
    code: Any = field(init=False, repr=False)

    def __post_init__(self) -> None:
        tree = ast.parse(self.expression, mode="eval")  # expect-none
        if not all(isinstance(n, ALLOWED_NODES) for n in ast.walk(tree)):
            raise ValueError(f"rule {self.name!r} uses a forbidden construct")
        self.code = compile(tree, f"<rule {self.name}>", "eval")  # expect-none


def matches_default(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    hits = []
    for line in lines:
        code = compile(DEFAULT_RULE, "<default-rule>", "eval")  # expect: L3
        if eval(code, {"__builtins__": {}}, line):
            hits.append(line)
    return hits


def matches_default_v2(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [ln for ln in lines if eval(_default_code, {"__builtins__": {}}, ln)]  # expect-none


def discounts(rules: list[Rule], lines: list[dict[str, Any]]) -> dict[str, float]:
    totals: dict[str, float] = {}
    for rule in rules:
        for line in lines:
            if eval(rule.code, {"__builtins__": {}}, line):  # expect-none
                totals[rule.name] = totals.get(rule.name, 0.0) + rule.discount * line["price"]
    return totals


def audit_default(lines: list[dict[str, Any]]) -> int:
    checked = 0
    pending = list(lines)
    while pending:
        line = pending.pop()
        tree = ast.parse(DEFAULT_RULE, mode="eval")  # expect: L3
        names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
        if names <= line.keys():
            checked += 1
    return checked


OPS = {ast.Add: operator.add, ast.Sub: operator.sub}


def evaluate(node: ast.AST, env: dict[str, float]) -> float:  # expect-none  # expect-span: 9
    match node:
        case ast.Expression(body=body):
            return evaluate(body, env)
        case ast.BinOp(left=left, op=op, right=right):
            return OPS[type(op)](evaluate(left, env), evaluate(right, env))
        case ast.Name(id=name):
            return env[name]
        case ast.Constant(value=value):
            return value
    raise ValueError(ast.dump(node))
