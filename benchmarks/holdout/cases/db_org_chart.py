from collections import defaultdict

from django.http import JsonResponse

from people.models import Department


def _subtree(dept: Department) -> dict:
    return {
        "name": dept.name,
        "head": dept.head_id,
        "units": [_subtree(child) for child in dept.subdepartments.all()],  # expect: L2
    }


def org_chart(request, root_id):
    root = Department.objects.get(pk=root_id)
    return JsonResponse(_subtree(root))


def org_chart_flat(request, root_id):
    rows = Department.objects.filter(company=request.user.company).values("id", "name", "head_id", "parent_id")
    children = defaultdict(list)
    for row in rows:
        children[row["parent_id"]].append(row)  # expect-none

    def build(node):
        return {"name": node["name"], "head": node["head_id"], "units": [build(c) for c in children[node["id"]]]}  # expect-none

    root = next(r for r in rows if r["id"] == root_id)
    return JsonResponse(build(root))

