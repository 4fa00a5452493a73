from typing import Iterable, Iterator


def reports_under(manager_id: int, edges: dict[int, list[int]]) -> list[int]:
    visited = []

    def walk(node: int) -> None:
        for child in edges.get(node, []):
            if child not in visited:  # expect: L1
                visited.append(child)
                walk(child)

    walk(manager_id)
    return visited


def reports_under_set(manager_id: int, edges: dict[int, list[int]]) -> set[int]:
    seen: set[int] = set()
    stack = [manager_id]
    while stack:
        node = stack.pop()  # expect-none
        for child in edges.get(node, []):
            if child not in seen:  # expect-none
                seen.add(child)
                stack.append(child)
    return seen


def leaders(people: Iterable[dict]) -> Iterator[dict]:
    managers = list(p["manager_id"] for p in people)
    for p in people:
        if p["id"] in managers:  # expect: L1
            yield p


def chain_of_command(person_id: int, boss_of: dict[int, int]) -> list[int]:
    chain = []
    while person_id in boss_of:  # expect-none
        person_id = boss_of[person_id]
        if person_id in chain:
            break
        chain.append(person_id)
    return chain


def department_heads(people: list[dict]) -> list[dict]:
    return [p for p in people if p["title"] in ("CTO", "CFO", "COO")]  # expect-none
