"""Does the current function run again and again? (Not a rule module.)

PF306 asks this of the function it is in. The lead's inference layer answers
it as ``context.runs_repeatedly()``; until that lands on this branch, this
module answers it from what one file shows, and prefers "no":

- a request handler, as ``rules/infrastructure/_per_call.is_request_handler``
  decides (Flask/FastAPI routes, DRF ``@api_view``, Django views in a views
  module), a module-level ``def f(request, ...)`` in a file that imports Django, plus methods of a class-based view (``get``/``post``... of a class
  whose base ends in ``View``, ``ViewSet`` or ``APIView``), and ``@property`` getters,
  which run on every attribute access;
- a Celery task (``@app.task``, ``@shared_task``), an AWS Lambda handler
  (``def handler(event, context)``), a FastAPI dependency (``Depends(name)``
  anywhere in the file), a Django middleware's ``__call__``;
- a function that the same file calls inside a loop or comprehension
  (``[f(x) for x in xs]``; the loop's iterable evaluated once does not count,
  nor a loop over a literal tuple or ``range(<literal>)``).

Everything here should move into ``infer.py`` (``runs_repeatedly``).
"""

from __future__ import annotations

import ast
from typing import Optional

import libcst as cst
from perflint.analysis import dotted_name
from perflint.rules.infrastructure._per_call import is_request_handler

VIEW_METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "list", "create", "retrieve", "update",
                          "partial_update", "destroy"})
MIDDLEWARE_METHODS = frozenset({"__call__", "process_request", "process_view", "process_response"})
LAMBDA_PARAMS = ("event", "context")


def runs_repeatedly(context) -> Optional[str]:
    """Why the current function runs per request, event or item, or None."""
    ask = getattr(context, "runs_repeatedly", None)
    if callable(ask):
        try:
            answer = ask()
        except Exception:  # pragma: no cover - the inference layer must never break a rule
            answer = None
        if answer:
            return answer
    scope = context.scope
    function = scope.node
    if scope.kind != "function" or not isinstance(function, cst.FunctionDef):
        return None
    name = function.name.value
    if name.startswith("test"):
        return None
    if is_request_handler(context, function):
        return "request handler"
    for decorator in function.decorators:
        expr = decorator.decorator.func if isinstance(decorator.decorator, cst.Call) else decorator.decorator
        dotted = dotted_name(expr) or ""
        qualified = context.qualified_name(expr) or ""
        if qualified in ("celery.shared_task", "celery.task") or dotted.endswith((".task", "shared_task")):
            return "Celery task"
    params = [p.name.value for p in function.params.params]
    if tuple(params[-2:]) == LAMBDA_PARAMS and len(params) == 2:
        return "Lambda handler"
    if len(context.scopes) == 2 and params[:1] == ["request"] and _imports_django(context.facts):
        return "Django view"
    scopes = context.scopes
    if len(scopes) >= 2 and scopes[-2].kind == "class" and isinstance(scopes[-2].node, cst.ClassDef):
        cls = scopes[-2].node
        bases = [dotted_name(base.value) or "" for base in cls.bases]
        if name in MIDDLEWARE_METHODS and ("Middleware" in cls.name.value or any("Middleware" in b for b in bases)):
            return "middleware"
        if name in VIEW_METHODS and any(b.endswith(("View", "ViewSet", "APIView")) for b in bases):
            return "class-based view"
        if any(_is_property(context, d) for d in function.decorators):
            return "property (it runs on every access)"
        return None  # methods: `self.f()` in a loop is not tracked
    if len(scopes) != 2:
        return None  # a nested function: its parent decides
    facts = context.facts
    hot = _hot_functions(facts.tree)
    return hot.get(name)


_CACHE: dict[int, tuple[ast.Module, dict[str, str]]] = {}
_LOOPS = (ast.For, ast.AsyncFor, ast.While)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def _hot_functions(tree: Optional[ast.Module]) -> dict[str, str]:
    """Module-level function names -> why they run repeatedly (called in a loop, a
    FastAPI ``Depends``), read once per file."""
    if tree is None:
        return {}
    cached = _CACHE.get(id(tree))
    if cached is not None and cached[0] is tree:
        return cached[1]
    found: dict[str, str] = {}
    stack: list[tuple[ast.AST, bool]] = [(node, False) for node in tree.body if not _is_main_guard(node)]
    while stack:
        node, looping = stack.pop()
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name):
                if looping:
                    found.setdefault(func.id, f"called in a loop at line {node.lineno}")
                if func.id == "Depends" or (isinstance(func, ast.Name) and func.id.endswith("Depends")):
                    for arg in node.args[:1]:
                        if isinstance(arg, ast.Name):
                            found.setdefault(arg.id, "FastAPI dependency")
            elif isinstance(func, ast.Attribute) and func.attr == "Depends":
                for arg in node.args[:1]:
                    if isinstance(arg, ast.Name):
                        found.setdefault(arg.id, "FastAPI dependency")
        if isinstance(node, _LOOPS):
            bounded = isinstance(node, (ast.For, ast.AsyncFor)) and _bounded(node.iter)
            if isinstance(node, (ast.For, ast.AsyncFor)):
                stack.append((node.iter, looping))
                stack.append((node.target, looping))
            else:
                stack.append((node.test, True))
            for child in (*node.body, *node.orelse):
                stack.append((child, looping or not bounded))
            continue
        if isinstance(node, _COMPREHENSIONS):
            first = node.generators[0]
            stack.append((first.iter, looping))
            inner = looping or not _bounded(first.iter)
            for generator in node.generators[1:]:
                stack.append((generator.iter, inner))
            for generator in node.generators:
                stack.extend((test, inner) for test in generator.ifs)
            parts = [node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt]
            stack.extend((part, inner) for part in parts)
            continue
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            looping = False  # a function defined in a loop runs when called
        stack.extend((child, looping) for child in ast.iter_child_nodes(node))
    _CACHE.clear()
    _CACHE[id(tree)] = (tree, found)
    return found


def _imports_django(facts) -> bool:
    """The file imports Django or Django REST framework (its ``def f(request, ...)`` are views)."""
    return any(str(target).startswith(("django.", "rest_framework.")) for target in facts.imports.values())


def _is_property(context, decorator: cst.Decorator) -> bool:
    """``@property`` (not ``cached_property``, which runs once per instance)."""
    expr = decorator.decorator
    if isinstance(expr, cst.Name) and expr.value == "property":
        return not context.is_local("property") and context.qualified_name(expr) in (None, "builtins.property")
    return False


def _bounded(iterable: ast.AST) -> bool:
    """A literal display or ``range(<int literals>)``: a fixed, written-out number of iterations."""
    if isinstance(iterable, (ast.Tuple, ast.List, ast.Set)):
        return True
    if isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Name) and iterable.func.id == "range":
        return all(isinstance(a, ast.Constant) and isinstance(a.value, int) for a in iterable.args)
    return False


def _is_main_guard(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return (
        isinstance(node, ast.If)
        and isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and test.left.id == "__name__"
    )
