"""Warehouse app: a post_save signal fanning out notifications, admin list columns and actions."""
from django.contrib import admin
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from .models import Notification, Shelf, StockMove, Watcher


@receiver(post_save, sender=StockMove)
def notify_watchers(sender, instance, created, **kwargs):
    if not created:
        return
    for watcher in instance.shelf.watchers.all():
        Notification.objects.create(user=watcher.user, move=instance, kind="stock")  # expect: L2


@receiver(post_save, sender=Shelf)
def notify_shelf_watchers(sender, instance, created, **kwargs):
    watchers = Watcher.objects.filter(shelf=instance).values_list("user_id", flat=True)  # expect-none
    Notification.objects.bulk_create(  # expect-none
        [Notification(user_id=uid, shelf=instance, kind="shelf") for uid in watchers]  # expect-none
    )


@admin.register(StockMove)
class StockMoveAdmin(admin.ModelAdmin):
    list_display = ("id", "sku", "shelf_code", "warehouse_city", "mover")
    actions = ["confirm_moves", "confirm_moves_bulk"]

    @admin.display(description="Shelf")
    def shelf_code(self, obj):
        return obj.shelf.code  # expect: L2

    @admin.display(description="City")
    def warehouse_city(self, obj):
        return obj.shelf.warehouse.city  # expect: L2

    def mover(self, obj):
        return obj.moved_by_id  # expect-none

    @admin.action(description="Confirm selected moves")
    def confirm_moves(self, request, queryset):
        for move in queryset:
            move.confirmed_at = timezone.now()
            move.save(update_fields=["confirmed_at"])  # expect: L2

    @admin.action(description="Confirm selected moves (one UPDATE)")
    def confirm_moves_bulk(self, request, queryset):
        queryset.update(confirmed_at=timezone.now())  # expect-none


@admin.register(Shelf)
class ShelfAdmin(admin.ModelAdmin):
    list_display = ("code", "warehouse_city", "watcher_total")
    list_select_related = ("warehouse",)

    def warehouse_city(self, obj):
        return obj.warehouse.city  # expect-none

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(n_watchers=Count("watchers"))  # expect-none

    def watcher_total(self, obj):
        return obj.n_watchers  # expect-none
