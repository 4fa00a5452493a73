from dataclasses import dataclass, field


@dataclass
class Course:
    code: str
    capacity: int
    waitlist: list[int] = field(default_factory=list)
    prerequisites: tuple[str, ...] = ()


def load_completed(student_id: int, transcripts) -> list[str]:
    return [r.course_code for r in transcripts if r.student_id == student_id]


def admit(course: Course, applicants: list[int], transcripts) -> list[int]:
    admitted = []
    for sid in applicants:
        if sid in course.waitlist:  # expect: L1
            continue
        done = load_completed(sid, transcripts)
        if all(p in done for p in course.prerequisites):
            admitted.append(sid)
    return admitted


def not_waitlisted(course: Course, applicants: list[int]) -> list[int]:
    return [a for a in applicants if a not in course.waitlist]  # expect: L1


def honours(students, transcripts) -> list[int]:
    result = []
    for s in students:
        for code in ("MATH101", "PHYS101"):
            if code in load_completed(s.id, transcripts):  # expect-none
                result.append(s.id)
    return result
