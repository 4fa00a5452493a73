"""Counting helpers from the old pricing spreadsheet port (module functions, globals)."""

MEMO = {}
SEQ_A = "GATTACAGATTACA"
SEQ_B = "TACGATTAGCATTA"


def stairs(n):  # expect: L3  # expect-span: 4
    if n <= 1:
        return 1
    return stairs(n - 1) + stairs(n - 2) + (stairs(n - 3) if n > 2 else 0)


def stairs_memo(n):  # expect-none  # expect-span: 7
    if n <= 1:
        return 1
    if n in MEMO:
        return MEMO[n]
    MEMO[n] = stairs_memo(n - 1) + stairs_memo(n - 2) + (stairs_memo(n - 3) if n > 2 else 0)
    return MEMO[n]


def catalan(n):  # expect: L3  # expect-span: 6
    if n < 2:
        return 1
    total = 0
    for i in range(n):
        total = total + catalan(i) * catalan(n - 1 - i)
    return total


def catalan_table(n):  # expect-none
    c = [1] * (n + 1)
    for i in range(2, n + 1):
        c[i] = sum([c[j] * c[i - 1 - j] for j in range(i)])
    return c[n]


def common(i, j):  # expect: L3  # expect-span: 6
    if i == len(SEQ_A) or j == len(SEQ_B):
        return 0
    if SEQ_A[i] == SEQ_B[j]:
        return 1 + common(i + 1, j + 1)
    return max(common(i + 1, j), common(i, j + 1))


def tiles(width):  # expect: L3  # expect-span: 5
    if width < 0:
        return 0
    if width == 0:
        return 1
    return tiles(width - 1) + 2 * tiles(width - 2)


def power(base, exp):  # expect-none  # expect-span: 6
    if exp == 0:
        return 1
    half = power(base, exp // 2)
    if exp % 2:
        return half * half * base
    return half * half


def flatten(tree):  # expect-none  # expect-span: 7
    out = []
    for item in tree:
        if isinstance(item, list):
            out.extend(flatten(item))
        else:
            out.append(item)
    return out


def gcd(a, b):  # expect-none  # expect-span: 4
    if b == 0:
        return a
    return gcd(b, a % b)
