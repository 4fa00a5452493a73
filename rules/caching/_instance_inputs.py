"""What a method of a long-lived object builds from its own configuration (not a rule module).

PF309 (key material) and PF310 (templates) flag a costly object built, in a method that takes a
per-call input, from nothing but the instance's attributes, literals and module names: the same
object on every call of the method. The helpers here decide that shape; each rule names its
calls.
"""

from __future__ import annotations

import re

import libcst as cst
from perflint.analysis import code_of
from perflint.cst_walk import children

_CACHED = re.compile(r"cache|memo", re.I)


def spelled_name(func: cst.BaseExpression) -> str:
    if isinstance(func, cst.Attribute):
        return func.attr.value
    if isinstance(func, cst.Name):
        return func.value
    return ""


def _root(node: cst.BaseExpression) -> str:
    while isinstance(node, (cst.Attribute, cst.Subscript, cst.Call)):
        node = node.func if isinstance(node, cst.Call) else node.value
    return node.value if isinstance(node, cst.Name) else ""


def stores(body: cst.CSTNode, local_names: set[str]) -> bool:
    """The method keeps something beyond the call (on the instance, in a global, a cache); filling
    a local dict (``token_data["sub"] = ...``) does not count."""
    if "cache" in code_of(body).lower():
        return True

    def kept(target: cst.BaseExpression) -> bool:
        if not isinstance(target, (cst.Attribute, cst.Subscript)):
            return False
        root = _root(target)
        return root == "self" or root not in local_names

    stack: list[cst.CSTNode] = [body]
    while stack:
        node = stack.pop()
        if isinstance(node, (cst.Global, cst.Nonlocal)):
            return True
        if isinstance(node, cst.Assign) and any(kept(t.target) for t in node.targets):
            return True
        if isinstance(node, (cst.AnnAssign, cst.AugAssign)) and kept(node.target):
            return True
        stack.extend(children(node))
    return False


def per_call_method(context) -> bool:
    """The current scope is a method of a class with ``self`` and at least one more parameter
    (a per-call input), not a dunder, a test or a cached method."""
    scopes = context.scopes
    if len(scopes) < 3 or scopes[-1].kind != "function" or scopes[-2].kind != "class":
        return False
    method = scopes[-1].node
    if not isinstance(method, cst.FunctionDef):
        return False
    name = method.name.value
    if name.startswith("__") or name.startswith("test"):
        return False
    params = [p.name.value for p in (*method.params.posonly_params, *method.params.params)]
    if not params or params[0] != "self" or len(params) < 2:
        return False
    return not any(_CACHED.search(code_of(d.decorator)) for d in method.decorators)


def from_instance(call: cst.Call, local_names: set[str], args: list | None = None) -> bool:
    """Every input of ``call`` (or of ``args``) is ``self``'s, a literal or a module-level name,
    and one is ``self``'s."""
    seen_self = False
    stack: list[cst.CSTNode] = list(args) if args is not None else [arg.value for arg in call.args]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.Name):
            if node.value == "self":
                seen_self = True
            elif node.value in local_names:
                return False
            continue
        if isinstance(node, cst.Attribute):
            stack.append(node.value)  # the attribute's own name is not a variable
            continue
        if isinstance(node, (cst.Lambda, cst.GeneratorExp, cst.ListComp, cst.SetComp, cst.DictComp)):
            return False
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
            receiver = node.func.value
            if isinstance(receiver, cst.Name) and receiver.value == "self" and node.args:
                return False  # ``self.key_for(kid)``: depends on the call's input
        stack.extend(children(node))
    return seen_self


def built_from_instance(context, call: cst.Call, args: list | None = None) -> bool:
    """``call`` runs in a per-call method (``per_call_method``), reads only the instance's
    configuration (``from_instance``), and the method keeps nothing (``stores``)."""
    if not per_call_method(context):
        return False
    scope = context.scopes[-1]
    return from_instance(call, scope.local_names, args) and not stores(scope.node.body, scope.local_names)
