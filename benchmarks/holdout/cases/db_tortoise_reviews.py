from tortoise import fields
from tortoise.models import Model


class Reviewer(Model):
    id = fields.IntField(pk=True)
    handle = fields.CharField(max_length=50)


class Review(Model):
    id = fields.IntField(pk=True)
    stars = fields.SmallIntField()
    reviewer = fields.ForeignKeyField("models.Reviewer", related_name="reviews")


async def star_histogram(reviewer_ids: list[int]) -> dict[str, int]:
    hist = {}
    for rid in reviewer_ids:
        reviewer = await Reviewer.get(id=rid)  # expect: L2
        hist[reviewer.handle] = await Review.filter(reviewer_id=rid).count()  # expect: L2
    return hist


async def review_feed(limit: int = 100) -> list[str]:
    reviews = await Review.all().order_by("-id").limit(limit)
    lines = []
    for review in reviews:
        await review.fetch_related("reviewer")  # expect: L2
        lines.append(f"{review.reviewer.handle}: {review.stars}")
    return lines


async def review_feed_prefetched(limit: int = 100) -> list[str]:
    reviews = await Review.all().order_by("-id").limit(limit).prefetch_related("reviewer")
    return [f"{r.reviewer.handle}: {r.stars}" for r in reviews]  # expect-none


async def handles(reviewer_ids: list[int]) -> dict[int, str]:
    rows = await Reviewer.filter(id__in=reviewer_ids).values("id", "handle")  # expect-none
    return {row["id"]: row["handle"] for row in rows}
