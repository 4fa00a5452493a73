from typing import Sequence

CERTIFIED_ROLES = frozenset({"captain", "first_officer", "purser"})


class CrewPlanner:
    def __init__(self, base: str):
        self.base = base
        self.grounded = []
        self.assigned: dict[str, str] = {}

    def ground(self, employee_id: str) -> None:
        self.grounded.append(employee_id)

    def eligible(self, candidates):
        picked = []
        for c in candidates:
            if c.employee_id in self.grounded:  # expect: L1
                continue
            if c.role not in CERTIFIED_ROLES:  # expect-none
                continue
            if c.employee_id in self.assigned:  # expect-none
                continue
            picked.append(c)
        return picked


def fill_flights(flights, standby: Sequence[str], on_leave: Sequence[str]):
    roster = {}
    i = 0
    while i < len(flights):
        flight = flights[i]
        for emp in standby:
            if emp not in on_leave and emp not in roster.values():  # expect: L1
                roster[flight.number] = emp
                break
        i += 1
    return roster


def shift_label(code: str) -> str:
    if code in ("D", "N", "S"):  # expect-none
        return {"D": "day", "N": "night", "S": "split"}[code]
    return "unknown"
