"""Course catalogue service: prerequisites, waitlists and seat offers."""
from typing import List, Optional, Sequence

from pydantic import BaseModel


class Course(BaseModel):
    code: str
    title: str
    enrolled: List[int] = []
    waitlist: List[int] = []


class CatalogService:
    def __init__(self, repo, mailer):
        self.repo = repo
        self.mailer = mailer
        self.offers: list[int] = []

    def _active_student_ids(self) -> List[int]:
        return [s["id"] for s in self.repo.students() if s["active"]]

    def inactive_enrolments(self, course: Course) -> list[int]:
        active = self._active_student_ids()
        return [sid for sid in course.enrolled if sid not in active]  # expect: L1

    def inactive_enrolments_fast(self, course: Course) -> list[int]:
        active = set(self._active_student_ids())
        return [sid for sid in course.enrolled if sid not in active]  # expect-none

    def promote(self, course: Course, seats: int) -> None:
        while seats > 0 and course.waitlist:
            sid = course.waitlist.pop(0)  # expect: L1
            course.enrolled.append(sid)
            self.offers.insert(0, sid)  # expect: L1
            seats -= 1

    def both_lists(self, course: Course) -> list[int]:
        return [sid for sid in course.waitlist if sid in course.enrolled]  # expect: L1

    def codes_in(self, courses: Sequence[Course], wanted: frozenset[str]) -> list[Course]:
        return [c for c in courses if c.code in wanted]  # expect-none


def missing_prereqs(taken: Sequence[str], catalog: dict[str, list[str]]) -> dict[str, list[str]]:
    done = sorted(taken)
    return {code: [p for p in prereqs if p not in done] for code, prereqs in catalog.items()}  # expect: L1


def front_row_seat(course: Course) -> Optional[int]:
    for seat in (1, 2, 3, 4):
        if seat not in course.enrolled:  # expect-none
            return seat
    return None
