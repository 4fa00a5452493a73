from dataclasses import dataclass

ALLOWED_DOMAINS = ("example.com", "Example.org", "PARTNER.io", "mail.example.net")
ROLE_WEIGHTS = [("admin", 10), ("editor", 5), ("viewer", 1)]
ALLOWED = frozenset(d.lower() for d in ALLOWED_DOMAINS)
WEIGHTS = dict(ROLE_WEIGHTS)


@dataclass
class Signup:
    email: str
    role: str


def accepted(signups: list[Signup]) -> list[Signup]:
    ok = []
    for s in signups:
        domain = s.email.rsplit("@", 1)[-1].lower()
        if domain in {d.lower() for d in ALLOWED_DOMAINS}:  # expect: L3
            ok.append(s)
    return ok


def accepted_v2(signups: list[Signup]) -> list[Signup]:
    return [s for s in signups if s.email.rsplit("@", 1)[-1].lower() in ALLOWED]  # expect-none


def total_weight(signups: list[Signup]) -> int:
    total = 0
    for s in signups:
        weights = {role: w for role, w in ROLE_WEIGHTS}  # expect: L3
        total += weights.get(s.role, 0)
    return total


def total_weight_v2(signups: list[Signup]) -> int:
    return sum(WEIGHTS.get(s.role, 0) for s in signups)  # expect-none


def domains_by_team(teams: dict[str, list[str]]) -> dict[str, set[str]]:
    # built from each team's own list: nothing to hoist
    return {team: {e.rsplit("@", 1)[-1] for e in emails} for team, emails in teams.items()}  # expect-none
