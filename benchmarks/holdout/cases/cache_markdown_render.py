import markdown
from django.shortcuts import get_object_or_404, render

from .models import Article

RENDERER = markdown.Markdown(extensions=["extra", "sane_lists", "smarty"], output_format="html")


def article_detail(request, slug):
    article = get_object_or_404(Article, slug=slug)
    md = markdown.Markdown(extensions=["extra", "sane_lists", "smarty"], output_format="html")  # expect: L3
    return render(request, "article.html", {"article": article, "body": md.convert(article.body)})


def article_detail_v2(request, slug):
    article = get_object_or_404(Article, slug=slug)
    body = RENDERER.reset().convert(article.body)  # expect-none
    return render(request, "article.html", {"article": article, "body": body})


def render_comments(comments):
    rendered = []
    for comment in comments:
        converter = markdown.Markdown(extensions=["sane_lists"])  # expect: L3
        rendered.append(converter.convert(comment.text))
    return rendered


def render_comments_v2(comments):
    converter = markdown.Markdown(extensions=["sane_lists"])  # expect-none
    return [converter.reset().convert(c.text) for c in comments]
