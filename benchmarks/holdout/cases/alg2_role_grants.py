"""Expands role inheritance into effective grants for the access service."""
import itertools

import attr


@attr.s(auto_attribs=True)
class Role:
    name: str
    inherits: list[str] = attr.Factory(list)
    grants: list[str] = attr.Factory(list)


def expand(roles: dict[str, Role], root: str) -> list[str]:
    granted: list[str] = []
    visited: list[str] = []

    def walk(name: str) -> None:
        if name in visited:  # expect: L1
            return
        visited.append(name)
        role = roles[name]
        for g in role.grants:
            if g not in granted:  # expect: L1
                granted.append(g)
        for parent in role.inherits:
            walk(parent)

    walk(root)
    return granted


def expand_iterative(roles: dict[str, Role], root: str) -> list[str]:
    granted: dict[str, None] = {}
    stack = [root]
    visited = set()
    while stack:
        name = stack.pop()  # expect-none
        if name in visited:  # expect-none
            continue
        visited.add(name)
        granted.update(dict.fromkeys(roles[name].grants))
        stack.extend(roles[name].inherits)
    return list(granted)


def matrix(users, roles, actions: list[str]) -> dict[str, dict[str, bool]]:
    out = {}
    for u in users:
        grants = expand(roles, u["role"])
        out[u["login"]] = {a: a in grants for a in actions}  # expect: L1
    return out


def matrix_sets(users, roles, actions: list[str]) -> dict[str, dict[str, bool]]:
    out = {}
    for u in users:
        grants = set(expand_iterative(roles, u["role"]))
        out[u["login"]] = {a: a in grants for a in actions}  # expect-none
    return out


def every_grant(roles: dict[str, Role]) -> list[str]:
    return sum((r.grants for r in roles.values()), [])  # expect: L1


def every_grant_chained(roles: dict[str, Role]) -> list[str]:
    return list(itertools.chain.from_iterable(r.grants for r in roles.values()))  # expect-none


def is_admin(role: Role) -> bool:
    return "admin" in role.grants or role.name in ("root", "owner")  # expect-none
