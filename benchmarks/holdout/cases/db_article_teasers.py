from django.http import JsonResponse

from newsroom.models import Article


def teasers(request):
    items = Article.objects.filter(status="live").only("id", "headline", "slug").order_by("-published_at")[:50]
    out = []
    for article in items:
        out.append(
            {
                "headline": article.headline,  # expect-none
                "url": f"/news/{article.slug}/",  # expect-none
                "standfirst": article.standfirst,  # expect: L2
            }
        )
    return JsonResponse({"items": out})


def teasers_fixed(request):
    items = (
        Article.objects.filter(status="live")
        .only("id", "headline", "slug", "standfirst")
        .order_by("-published_at")[:50]
    )
    return JsonResponse(
        {"items": [{"headline": a.headline, "standfirst": a.standfirst} for a in items]}  # expect-none
    )


def word_counts(request):
    items = Article.objects.filter(status="live").defer("body")
    counts = {}
    for article in items:
        counts[article.slug] = len(article.body.split())  # expect: L2
    return JsonResponse(counts)
