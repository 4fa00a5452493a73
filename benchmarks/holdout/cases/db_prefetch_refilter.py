from django.db.models import Prefetch
from django.shortcuts import render

from forum.models import Post, Thread


def board(request, board_id):
    threads = Thread.objects.filter(board_id=board_id).prefetch_related("posts")
    listing = []
    for thread in threads:
        visible = thread.posts.exclude(hidden=True)  # expect: L2
        latest = thread.posts.order_by("-created").first()  # expect: L2
        listing.append((thread, visible, latest))
    return render(request, "forum/board.html", {"listing": listing})


def board_prefetched(request, board_id):
    threads = Thread.objects.filter(board_id=board_id).prefetch_related(
        Prefetch("posts", queryset=Post.objects.filter(hidden=False).order_by("-created"), to_attr="shown_posts")
    )
    listing = []
    for thread in threads:
        shown = thread.shown_posts  # expect-none
        latest = shown[0] if shown else None  # expect-none
        listing.append((thread, shown, latest))
    return render(request, "forum/board.html", {"listing": listing})


def board_python_filter(request, board_id):
    threads = Thread.objects.filter(board_id=board_id).prefetch_related("posts")
    listing = []
    for thread in threads:
        visible = [p for p in thread.posts.all() if not p.hidden]  # expect-none
        listing.append((thread, visible))
    return render(request, "forum/board.html", {"listing": listing})
