from django.contrib import admin, messages
from django.db.models import Count
from django.utils.html import format_html

from newsroom.models import Article, Desk, Photo


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("headline", "desk_name", "byline", "photo_count", "editor_email")
    actions = ["publish", "publish_fast", "purge_drafts"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_photos=Count("photos"))

    @admin.display(description="Desk")
    def desk_name(self, obj):
        return obj.desk.title  # expect: L2

    @admin.display(description="Byline")
    def byline(self, obj):
        return ", ".join(a.full_name for a in obj.authors.all())  # expect: L2

    @admin.display(description="Photos")
    def photo_count(self, obj):
        return obj.n_photos  # expect-none

    def editor_email(self, obj):
        return format_html("<a href='mailto:{0}'>{0}</a>", obj.desk.editor.email)  # expect: L2

    @admin.action(description="Publish selected")
    def publish(self, request, queryset):
        for article in queryset:
            article.status = "live"
            article.save(update_fields=["status"])  # expect: L2
        self.message_user(request, "published", messages.SUCCESS)

    @admin.action(description="Publish selected (one query)")
    def publish_fast(self, request, queryset):
        n = queryset.update(status="live")  # expect-none
        self.message_user(request, f"published {n}", messages.SUCCESS)

    def purge_drafts(self, request, queryset):
        for article in queryset.filter(status="draft"):
            article.delete()  # expect: L2


@admin.register(Desk)
class DeskAdmin(admin.ModelAdmin):
    list_display = ("title", "editor_name", "article_total")
    list_select_related = ("editor",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(total=Count("articles"))

    def editor_name(self, obj):
        return obj.editor.get_full_name()  # expect-none

    def article_total(self, obj):
        return obj.total  # expect-none


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    list_display = ("caption", "article_headline")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article")

    def article_headline(self, obj):
        return obj.article.headline  # expect-none

    def __str__(self):
        return f"PhotoAdmin for {self.model._meta.label}"  # expect-none
