from collections import deque


def install_order(root: str, requires: dict[str, list[str]]) -> list[str]:
    pending = [root]
    resolved = []
    while pending:
        name = pending.pop(0)  # expect: L1
        if name in resolved:  # expect: L1
            continue
        resolved.append(name)
        pending.extend(requires.get(name, []))
    return resolved


def install_order_fast(root: str, requires: dict[str, list[str]]) -> list[str]:
    pending = deque([root])
    done: set[str] = set()
    order = []
    while pending:
        name = pending.popleft()  # expect-none
        if name in done:  # expect-none
            continue
        done.add(name)
        order.append(name)
        pending.extend(requires.get(name, []))
    return order


def reverse_deps(target: str, requires: dict[str, list[str]]) -> list[str]:
    out = []
    for pkg, deps in requires.items():
        if target in deps:  # expect-none
            out.append(pkg)
    return out


def unwind(stack: list[str]) -> list[str]:
    popped = []
    while stack:
        popped.append(stack.pop())  # expect-none
    return popped
