"""GraphQL API: strawberry types, graphene resolvers and ariadne bindables over one schema."""
from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Optional

import graphene
import jsonschema
import markdown
import strawberry
from ariadne import ObjectType, QueryType
from strawberry.dataloader import DataLoader
from strawberry.types import Info

BANNED_WORDS = ("spoiler", "leak", "nsfw", "giveaway")
LAUNCH_DATE = "2024-03-01"
FILTER_SCHEMA = {"type": "object", "properties": {"tag": {"type": "string"}, "limit": {"type": "integer"}}}
MD_EXTENSIONS = ["tables", "fenced_code", "toc"]
RENDERER = markdown.Markdown(extensions=MD_EXTENSIONS)  # expect-none
LAUNCHED = datetime.strptime(LAUNCH_DATE, "%Y-%m-%d")  # expect-none
BANNED_RE = re.compile("|".join(re.escape(w) for w in BANNED_WORDS), re.I)  # expect-none
FILTER_VALIDATOR = jsonschema.Draft7Validator(FILTER_SCHEMA)  # expect-none


@strawberry.type
class Post:
    id: strawberry.ID
    title: str
    body_md: str
    published: str

    @strawberry.field
    def body_html(self) -> str:
        renderer = markdown.Markdown(extensions=MD_EXTENSIONS)  # expect: L3
        return renderer.convert(self.body_md)

    @strawberry.field
    def body_html_shared(self) -> str:
        RENDERER.reset()  # expect-none
        return RENDERER.convert(self.body_md)

    @strawberry.field
    def is_post_launch(self) -> bool:
        launch = datetime.strptime(LAUNCH_DATE, "%Y-%m-%d")  # expect: L3
        return datetime.fromisoformat(self.published) >= launch

    @strawberry.field
    def published_at(self) -> datetime:
        return datetime.strptime(self.published, "%Y-%m-%dT%H:%M:%S")  # expect-none

    @strawberry.field
    def is_clean(self) -> bool:
        pattern = re.compile("|".join(re.escape(w) for w in BANNED_WORDS), re.I)  # expect: L3
        return pattern.search(self.title) is None


async def load_authors(keys: list[int]) -> list[dict]:
    rows = await fetch_authors(keys)  # expect-none
    by_id = {r["id"]: r for r in rows}
    return [by_id.get(k) for k in keys]


def make_context() -> dict:
    return {"author_loader": DataLoader(load_fn=load_authors)}  # expect-none


@strawberry.type
class Query:
    @strawberry.field
    def posts(self, info: Info, filters: Optional[strawberry.scalars.JSON] = None) -> list[Post]:
        validator = jsonschema.Draft7Validator(FILTER_SCHEMA)  # expect: L3
        validator.validate(filters or {})
        return [Post(**p) for p in info.context["repo"].posts(filters)]

    @strawberry.field
    def posts_checked(self, info: Info, filters: Optional[strawberry.scalars.JSON] = None) -> list[Post]:
        FILTER_VALIDATOR.validate(filters or {})  # expect-none
        return [Post(**p) for p in info.context["repo"].posts(filters)]


class CommentNode(graphene.ObjectType):
    text = graphene.String()
    flags = graphene.List(graphene.String)
    meta = graphene.JSONString()

    def resolve_flags(root, info):
        raw = json.loads(root.flags_json or "[]")  # expect-none
        return [f for f in raw if f]

    def resolve_meta(root, info):
        defaults = json.loads('{"pinned": false, "locked": false, "score": 0}')  # expect: L3
        return {**defaults, **(root.meta or {})}


query = QueryType()
review = ObjectType("Review")


@review.field("excerpt")
def resolve_excerpt(obj, info):
    cleaner = re.compile("|".join(map(re.escape, BANNED_WORDS)), re.IGNORECASE)  # expect: L3
    return cleaner.sub("***", obj["text"])[:140]


@review.field("safeExcerpt")
def resolve_safe_excerpt(obj, info):
    return BANNED_RE.sub("***", obj["text"])[:140]  # expect-none


@query.field("reviews")
def resolve_reviews(_, info, since: str):
    cutoff = datetime.strptime(since, "%Y-%m-%d")  # expect-none
    return [r for r in info.context["reviews"] if r["created"] >= cutoff and r["created"] >= LAUNCHED]
