BLOCKED_TAGS = ("NSFW", "Gore", "Spoilers", "Politics")
TAG_ALIASES = {"js": "javascript", "py": "python", "k8s": "kubernetes"}
BLOCKED = {t.casefold() for t in BLOCKED_TAGS}


def visible_posts(posts):
    return [
        p for p in posts
        if not any(tag.casefold() in {t.casefold() for t in BLOCKED_TAGS} for tag in p.tags)  # expect: L3
    ]


def visible_posts_v2(posts):
    return [p for p in posts if not any(tag.casefold() in BLOCKED for tag in p.tags)]  # expect-none


def canonical_tags(posts):
    idx = 0
    while idx < len(posts):
        reverse = {full: short for short, full in TAG_ALIASES.items()}  # expect: L3
        posts[idx].short_tags = [reverse.get(t, t) for t in posts[idx].tags]
        idx += 1
    return posts


def tag_counts(posts):
    counts = {}
    for post in posts:
        for tag in {t.casefold() for t in post.tags}:  # expect-none
            counts[tag] = counts.get(tag, 0) + 1
    return counts


def blocked_summary():
    # called once for the admin page header
    return ", ".join(sorted({t.casefold() for t in BLOCKED_TAGS}))  # expect-none
