from typing import Iterator


class Role:
    def __init__(self, name: str, grants: list[str]):
        self.name = name
        self.grants = grants


def allowed_actions(roles: list[Role], actions: list[str]) -> dict[str, list[str]]:
    return {
        r.name: [a for a in actions if a in r.grants]
        for r in roles
    }


def users_with_role(users: list[dict], roles: list[Role]) -> Iterator[tuple[dict, Role]]:
    for u in users:
        for role in roles:  # expect: L1  # expect-span: 2
            if role.name == u["role"]:
                yield u, role


def role_index(roles: list[Role], names: list[str]) -> list[int]:
    role_names = [r.name for r in roles]
    return [role_names.index(n) for n in names]  # expect: L1


def orphaned(users: list[dict], roles: list[Role]) -> list[dict]:
    return [u for u in users if u["role"] not in [r.name for r in roles]]  # expect: L1


def orphaned_fast(users: list[dict], roles: list[Role]) -> list[dict]:
    names = {r.name for r in roles}
    return [u for u in users if u["role"] not in names]  # expect-none


def revoke(role: Role, actions: list[str]) -> None:
    for a in actions:
        if a in role.grants:  # expect: L1
            role.grants.remove(a)  # expect: L1
