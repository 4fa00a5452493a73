import itertools


def fetch_all_pages(client, project: str) -> list[dict]:
    issues = []
    cursor = None
    while True:
        page = client.list_issues(project, cursor=cursor)
        issues = issues + page["items"]  # expect: L1
        cursor = page.get("next")
        if not cursor:
            return issues


def fetch_all_pages_extend(client, project: str) -> list[dict]:
    issues: list[dict] = []
    cursor = None
    while True:
        page = client.list_issues(project, cursor=cursor)
        issues += page["items"]  # expect-none
        cursor = page.get("next")
        if not cursor:
            return issues


def flatten_comments(threads: list[list[str]]) -> list[str]:
    return sum(threads, [])  # expect: L1


def flatten_comments_chain(threads: list[list[str]]) -> list[str]:
    return list(itertools.chain.from_iterable(threads))  # expect-none


def merge_labels(issue_labels):
    merged = []
    for labels in issue_labels:
        merged = merged + [label.lower() for label in labels]  # expect: L1
    return merged


def totals(counts: list[int]) -> int:
    return sum(counts, 0)  # expect-none
