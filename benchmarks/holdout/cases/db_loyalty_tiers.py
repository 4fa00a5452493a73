from loyalty.models import Member, Tier


def tier_for(points: int) -> Tier:
    return Tier.objects.filter(min_points__lte=points).order_by("-min_points").first()


def assign_tiers(member_ids: list[int]) -> None:
    for member in Member.objects.filter(pk__in=member_ids):
        member.tier = tier_for(member.points)  # expect: L2
    Member.objects.bulk_update(list(Member.objects.filter(pk__in=member_ids)), ["tier"])


def assign_tiers_cached(member_ids: list[int]) -> None:
    tiers = list(Tier.objects.order_by("-min_points"))
    members = list(Member.objects.filter(pk__in=member_ids))
    for member in members:
        member.tier = next((t for t in tiers if t.min_points <= member.points), None)  # expect-none
    Member.objects.bulk_update(members, ["tier"])


if __name__ == "__main__":
    for name, floor in (("bronze", 0), ("silver", 500), ("gold", 2000)):
        Tier.objects.update_or_create(name=name, defaults={"min_points": floor})  # expect-none
