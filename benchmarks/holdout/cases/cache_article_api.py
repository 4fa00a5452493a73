import json
import os

import markdown
from rest_framework import serializers

from .models import Article

SUMMARY_MD = markdown.Markdown(extensions=["abbr"])
EMBARGO = json.loads(os.environ.get("EMBARGOED_SECTIONS", '["legal", "hr"]'))


class ArticleSerializer(serializers.ModelSerializer):
    summary_html = serializers.SerializerMethodField()
    embargoed = serializers.SerializerMethodField()

    class Meta:
        model = Article
        fields = ["id", "title", "summary_html", "embargoed"]

    def get_summary_html(self, obj: Article) -> str:
        md = markdown.Markdown(extensions=["abbr"])  # expect: L3
        return md.convert(obj.summary)

    def get_embargoed(self, obj: Article) -> bool:
        sections = json.loads(os.environ.get("EMBARGOED_SECTIONS", '["legal", "hr"]'))  # expect: L3
        return obj.section in sections


class ArticleSerializerV2(serializers.ModelSerializer):
    summary_html = serializers.SerializerMethodField()

    class Meta:
        model = Article
        fields = ["id", "title", "summary_html"]

    def get_summary_html(self, obj: Article) -> str:
        return SUMMARY_MD.reset().convert(obj.summary)  # expect-none

    def get_embargoed(self, obj: Article) -> bool:
        return obj.section in EMBARGO  # expect-none
