"""Community leaderboard: querysets handed to sorted/max/map callbacks, and a groupby report."""
from functools import partial
from itertools import groupby
from operator import attrgetter

from django.db.models import Count, F
from django.http import JsonResponse

from forum.models import Answer, Member, Post


def _score(post):
    return post.votes.count() * 2 + post.author.reputation


def top_posts(request):
    posts = Post.objects.filter(board=request.GET["board"])
    ranked = sorted(posts, key=lambda p: p.author.reputation, reverse=True)  # expect: L2
    return JsonResponse({"ids": [p.pk for p in ranked[:20]]})


def top_posts_db(request):
    posts = Post.objects.filter(board=request.GET["board"]).order_by("-author__reputation")[:20]  # expect-none
    return JsonResponse({"ids": [p.pk for p in posts]})


def hottest(request):
    posts = Post.objects.filter(board=request.GET["board"])
    best = max(posts, key=_score)  # expect: L2
    return JsonResponse({"id": best.pk})


def hottest_db(request):
    best = (
        Post.objects.filter(board=request.GET["board"])
        .annotate(heat=Count("votes") * 2 + F("author__reputation"))  # expect-none
        .order_by("-heat")
        .first()
    )
    return JsonResponse({"id": best.pk})


def member_emails(request):
    members = Member.objects.filter(team=request.GET["team"])
    emails = list(map(lambda m: m.profile.contact_email, members))  # expect: L2
    return JsonResponse({"emails": emails})


def member_emails_joined(request):
    members = Member.objects.filter(team=request.GET["team"]).select_related("profile")  # expect-none
    return JsonResponse({"emails": list(map(attrgetter("profile.contact_email"), members))})  # expect-none


def answers_by_thread(request):
    answers = Answer.objects.filter(post__board=request.GET["board"]).order_by("post_id")
    report = {}
    for post_id, group in groupby(answers, key=attrgetter("post_id")):  # expect-none
        report[post_id] = [a.author.username for a in group]  # expect: L2
    return JsonResponse(report)


def bump_all(request):
    bump = partial(Post.objects.filter(board=request.GET["board"]).update, bumped=True)  # expect-none
    bump()
    return JsonResponse({"ok": True})
