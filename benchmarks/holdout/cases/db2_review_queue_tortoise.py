from tortoise import fields
from tortoise.models import Model


class Author(Model):
    id = fields.IntField(pk=True)
    handle = fields.CharField(max_length=40)


class Submission(Model):
    id = fields.IntField(pk=True)
    title = fields.CharField(max_length=200)
    author = fields.ForeignKeyField("models.Author", related_name="submissions")
    reviewers = fields.ManyToManyField("models.Author", related_name="reviewing")
    state = fields.CharField(max_length=16, default="new")


async def queue_view(limit: int = 50) -> list[dict]:
    items = await Submission.filter(state="new").limit(limit)
    out = []
    for sub in items:
        await sub.fetch_related("author", "reviewers")  # expect: L2
        out.append({"title": sub.title, "by": sub.author.handle, "n": len(sub.reviewers)})
    return out


async def queue_view_prefetched(limit: int = 50) -> list[dict]:
    items = await Submission.filter(state="new").limit(limit).prefetch_related("author", "reviewers")
    return [{"title": s.title, "by": s.author.handle, "n": len(s.reviewers)} for s in items]  # expect-none


async def assign(submission_ids: list[int], reviewer_id: int) -> None:
    reviewer = await Author.get(id=reviewer_id)
    for sid in submission_ids:
        sub = await Submission.get(id=sid)  # expect: L2
        await sub.reviewers.add(reviewer)  # expect: L2


async def close_all(submission_ids: list[int]) -> int:
    return await Submission.filter(id__in=submission_ids).update(state="closed")  # expect-none


async def author_counts(handles: list[str]) -> dict[str, int]:
    counts = {}
    for handle in handles:
        counts[handle] = await Submission.filter(author__handle=handle).count()  # expect: L2
    return counts


async def author_counts_once(handles: list[str]) -> dict[str, int]:
    rows = await Submission.filter(author__handle__in=handles).values("author__handle")  # expect-none
    counts = dict.fromkeys(handles, 0)
    for row in rows:
        counts[row["author__handle"]] += 1
    return counts
