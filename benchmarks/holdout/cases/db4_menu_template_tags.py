"""Template tags for a CMS: a nested site menu, breadcrumbs, an author strip."""
from django import template
from django.utils.html import format_html_join

from cms.models import Author, MenuItem, Page

register = template.Library()


def _menu_branch(item, depth):
    return {
        "title": item.title,
        "url": item.url,
        "children": [_menu_branch(child, depth + 1) for child in item.children.all()],  # expect: L2
    }


@register.simple_tag
def site_menu(slug):
    root = MenuItem.objects.get(menu__slug=slug, parent=None)  # expect-none
    return _menu_branch(root, 0)


@register.simple_tag
def site_menu_flat(slug):
    items = list(MenuItem.objects.filter(menu__slug=slug).order_by("tree_id", "lft"))  # expect-none
    by_parent = {}
    for item in items:
        by_parent.setdefault(item.parent_id, []).append(item)  # expect-none

    def branch(item):
        return {"title": item.title, "children": [branch(c) for c in by_parent.get(item.id, [])]}  # expect-none

    return [branch(i) for i in by_parent.get(None, [])]


@register.inclusion_tag("cms/authors.html")
def author_strip(section):
    pages = Page.objects.filter(section=section, published=True)
    cards = []
    for page in pages:
        cards.append({"name": page.author.display_name, "avatar": page.author.avatar_url})  # expect: L2
    return {"cards": cards}


@register.inclusion_tag("cms/authors.html")
def author_strip_joined(section):
    pages = Page.objects.filter(section=section, published=True).select_related("author")  # expect-none
    return {"cards": [{"name": p.author.display_name} for p in pages]}  # expect-none


@register.simple_tag
def crumbs(page):
    trail = []
    node = page
    while node.parent_id is not None:
        node = Page.objects.get(pk=node.parent_id)
        trail.append(node.title)
    return " / ".join(reversed(trail))


@register.simple_tag
def contributor_list(page):
    ids = page.contributor_ids or []
    names = Author.objects.filter(pk__in=ids).values_list("display_name", flat=True)  # expect-none
    return format_html_join(", ", "{}", ((n,) for n in names))
