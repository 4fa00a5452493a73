from django.db import models
from django.http import JsonResponse, StreamingHttpResponse
from django.views import View


class Space(models.Model):
    key = models.SlugField(unique=True)
    owner = models.ForeignKey("auth.User", on_delete=models.CASCADE)


class Page(models.Model):
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="pages")
    parent = models.ForeignKey("self", null=True, on_delete=models.CASCADE, related_name="children")
    title = models.CharField(max_length=200)
    position = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.space.key}/{self.title}"

    @property
    def owner_name(self):
        return self.space.owner.username

    def __repr__(self):
        return f"<Page {self.pk} in {self.space.key}>"  # expect-none


def subtree(page):
    return {
        "title": page.title,
        "children": [subtree(c) for c in page.children.order_by("position")],  # expect: L2
    }


def tree_in_memory(space):
    pages = list(space.pages.order_by("position"))
    by_parent = {}
    for p in pages:
        by_parent.setdefault(p.parent_id, []).append(p)  # expect-none

    def build(p):
        return {"title": p.title, "children": [build(c) for c in by_parent.get(p.pk, [])]}  # expect-none

    return [build(p) for p in by_parent.get(None, [])]


class NavigationView(View):
    def get(self, request, key):
        space = Space.objects.get(key=key)
        roots = space.pages.filter(parent=None).order_by("position")
        return JsonResponse({"tree": [subtree(r) for r in roots]})


class BreadcrumbView(View):
    def get(self, request, key):
        pages = Page.objects.filter(space__key=key)
        labels = [str(p) for p in pages]  # expect: L2
        owners = {p.owner_name for p in pages}  # expect: L2
        return JsonResponse({"labels": labels, "owners": sorted(owners)})


class BreadcrumbJoinedView(View):
    def get(self, request, key):
        pages = Page.objects.filter(space__key=key).select_related("space__owner")
        labels = [str(p) for p in pages]  # expect-none
        owners = {p.owner_name for p in pages}  # expect-none
        return JsonResponse({"labels": labels, "owners": sorted(owners)})


def export_titles(request, key):
    def rows(qs):
        yield "id,title,parent\n"
        for page in qs.iterator(chunk_size=2000):
            yield f"{page.pk},{page.title},{page.parent.title if page.parent_id else ''}\n"  # expect: L2

    return StreamingHttpResponse(rows(Page.objects.filter(space__key=key)), content_type="text/csv")


def page_exists(request, key):
    pages = Page.objects.filter(space__key=key, parent=None)
    if pages:  # expect: L2
        return JsonResponse({"ok": True})
    return JsonResponse({"ok": False}, status=404)


def page_total(request, key):
    return JsonResponse({"n": len(Page.objects.filter(space__key=key))})  # expect: L2
