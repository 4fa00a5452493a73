"""Django comments: moderation and Markdown rendering for list pages and the API."""
import re

import markdown
from django.views.generic import ListView
from rest_framework import serializers

from .models import Comment
from .moderation import BLOCKED_TERMS

MD_EXTENSIONS = ["fenced_code", "tables", "sane_lists"]
_md = markdown.Markdown(extensions=MD_EXTENSIONS, output_format="html")  # expect-none
_blocked = re.compile(r"\b(" + "|".join(map(re.escape, BLOCKED_TERMS)) + r")\b", re.I)  # expect-none


def mask_blocked(text: str) -> str:
    pattern = re.compile("|".join(re.escape(t) for t in BLOCKED_TERMS), re.IGNORECASE)  # expect: L3
    return pattern.sub(lambda m: "*" * len(m.group()), text)


def mask_blocked_v2(text: str) -> str:
    return _blocked.sub(lambda m: "*" * len(m.group()), text)  # expect-none


def render(text: str) -> str:
    _md.reset()
    return _md.convert(text)  # expect-none


class CommentListView(ListView):
    model = Comment
    paginate_by = 50

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        rendered = []
        for comment in ctx["object_list"]:
            md = markdown.Markdown(extensions=MD_EXTENSIONS)  # expect: L3
            rendered.append((comment, md.convert(mask_blocked(comment.body))))
        ctx["rendered"] = rendered
        return ctx


class ModeratedListView(ListView):
    model = Comment

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["rendered"] = [(c, render(mask_blocked_v2(c.body))) for c in ctx["object_list"]]  # expect-none
        return ctx


class CommentSerializer(serializers.ModelSerializer):
    html = serializers.SerializerMethodField()
    excerpt = serializers.SerializerMethodField()

    class Meta:
        model = Comment
        fields = ["id", "author", "html", "excerpt"]

    def get_html(self, obj: Comment) -> str:
        converter = markdown.Markdown(extensions=MD_EXTENSIONS)  # expect: L3
        return converter.convert(obj.body)

    def get_excerpt(self, obj: Comment) -> str:
        words = obj.body.split()
        return " ".join(words[:30]) + ("…" if len(words) > 30 else "")  # expect-none
