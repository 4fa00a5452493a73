from typing import List, Optional


class SlugRegistry:
    reserved: List[str] = ["admin", "api", "static", "login", "logout", "signup", "help", "about"]

    def __init__(self) -> None:
        self.taken: List[str] = []

    def claim(self, title: str) -> str:
        base = title.lower().replace(" ", "-")
        slug, n = base, 1
        while slug in self.taken or slug in self.reserved:  # expect-none
            n += 1
            slug = f"{base}-{n}"
        self.taken.append(slug)
        return slug

    def claim_all(self, titles: list[str]) -> list[str]:
        fresh = []
        for t in titles:
            if t.lower() in self.taken:  # expect: L1
                continue
            fresh.append(self.claim(t))
        return fresh


def unknown_slugs(requested: list[str], known: Optional[list[str]] = None) -> list[str]:
    known = known or []
    return [r for r in requested if r not in known]  # expect: L1
