"""Strawberry GraphQL schema for the course catalogue."""
from __future__ import annotations

from dataclasses import dataclass, field

import strawberry
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from catalogue.repo import CourseRepo


@dataclass(slots=True)
class CourseRow:
    id: int
    title: str
    tag_ids: list[int] = field(default_factory=list)
    prerequisite_ids: list[int] = field(default_factory=list)


@strawberry.type
class Tag:
    id: int
    label: str


async def load_tags(keys: list[int]) -> list[Tag | None]:
    rows = await CourseRepo.tags_by_ids(keys)
    by_id = {r.id: r for r in rows}
    return [by_id.get(k) for k in keys]  # expect-none


async def load_instructors(keys: list[int]) -> list[dict | None]:
    rows: list[dict] = await CourseRepo.instructors_by_ids(keys)
    return [next((r for r in rows if r["id"] == k), None) for k in keys]  # expect: L1


async def load_enrolment_counts(keys: list[int]) -> list[int]:
    rows = await CourseRepo.enrolment_counts(keys)
    ordered = [r["course_id"] for r in rows]
    return [rows[ordered.index(k)]["n"] if k in ordered else 0 for k in keys]  # expect: L1


@strawberry.type
class Course:
    id: int
    title: str
    tag_ids: strawberry.Private[list[int]]
    prerequisite_ids: strawberry.Private[list[int]]

    @strawberry.field
    async def tags(self, info: Info) -> list[Tag]:
        return await info.context["tag_loader"].load_many(self.tag_ids)  # expect-none

    @strawberry.field
    async def prerequisites(self, info: Info) -> list["Course"]:
        by_id: dict[int, CourseRow] = info.context["catalogue_by_id"]
        return [
            Course(id=c.id, title=c.title, tag_ids=c.tag_ids, prerequisite_ids=c.prerequisite_ids)
            for c in (by_id[i] for i in self.prerequisite_ids)  # expect-none
        ]

    @strawberry.field
    def badge(self) -> str:
        if self.title[:3] in ("ML ", "AI "):  # expect-none
            return "data"
        return "general"


@strawberry.type
class Query:
    @strawberry.field
    async def courses(self, info: Info, tag: int | None = None) -> list[Course]:
        rows = await CourseRepo.all_courses()
        hidden: list[int] = await CourseRepo.hidden_course_ids()
        result = []
        for r in rows:
            if r.id in hidden:  # expect: L1
                continue
            if tag is not None and tag not in r.tag_ids:  # expect-none
                continue
            result.append(Course(id=r.id, title=r.title, tag_ids=r.tag_ids, prerequisite_ids=r.prerequisite_ids))
        return result

    @strawberry.field
    async def search(self, info: Info, words: list[str]) -> list[Course]:
        rows = await CourseRepo.all_courses()
        hits = []
        for r in rows:
            if any(w in r.title.lower() for w in words):  # expect-none
                hits.append(r)
        hits.sort(key=lambda r: r.title)  # expect-none
        return [Course(id=r.id, title=r.title, tag_ids=r.tag_ids, prerequisite_ids=r.prerequisite_ids) for r in hits]

    @strawberry.field
    async def related(self, info: Info, course_id: int) -> list[Course]:
        rows = await CourseRepo.all_courses()
        anchor = next(r for r in rows if r.id == course_id)  # expect-none
        shared = []
        for r in rows:
            for t in anchor.tag_ids:
                if t in r.tag_ids:
                    shared.append(r)
                    break
        return [Course(id=r.id, title=r.title, tag_ids=r.tag_ids, prerequisite_ids=r.prerequisite_ids) for r in shared]


def context_getter() -> dict:
    return {
        "tag_loader": DataLoader(load_fn=load_tags),
        "instructor_loader": DataLoader(load_fn=load_instructors),
    }


schema = strawberry.Schema(query=Query)
