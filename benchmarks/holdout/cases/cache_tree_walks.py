from dataclasses import dataclass
from typing import Optional


@dataclass
class Node:
    key: int
    left: Optional["Node"] = None
    right: Optional["Node"] = None


def height(node: Optional[Node]) -> int:  # expect-none  # expect-span: 4
    if node is None:
        return 0
    return 1 + max(height(node.left), height(node.right))


def merge_sort(items: list[int]) -> list[int]:  # expect-none  # expect-span: 6
    if len(items) <= 1:
        return items
    mid = len(items) // 2
    left, right = merge_sort(items[:mid]), merge_sort(items[mid:])
    merged, i, j = [], 0, 0
    while i < len(left) and j < len(right):
        if left[i] <= right[j]:
            merged.append(left[i])
            i += 1
        else:
            merged.append(right[j])
            j += 1
    return merged + left[i:] + right[j:]


def find(sorted_keys: list[int], key: int, lo: int = 0, hi: int | None = None) -> int:  # expect-none  # expect-span: 10
    hi = len(sorted_keys) if hi is None else hi
    if lo >= hi:
        return -1
    mid = (lo + hi) // 2
    if sorted_keys[mid] == key:
        return mid
    if sorted_keys[mid] < key:
        return find(sorted_keys, key, mid + 1, hi)
    return find(sorted_keys, key, lo, mid)


def tribonacci(n: int) -> int:  # expect: L3  # expect-span: 4
    if n < 3:
        return 0 if n < 2 else 1
    return tribonacci(n - 1) + tribonacci(n - 2) + tribonacci(n - 3)


def count_leaves(node: Optional[Node]) -> int:  # expect-none  # expect-span: 6
    if node is None:
        return 0
    if node.left is None and node.right is None:
        return 1
    return count_leaves(node.left) + count_leaves(node.right)
