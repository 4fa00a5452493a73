"""Old-style management command (BaseCommand with add_arguments, print-based output)."""
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import Account, Profile, Tag
from orders.models import Order


class Command(BaseCommand):
    help = "Clean up dormant accounts and re-tag customers"

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=365)
        parser.add_argument("--tag", default="vip")

    def handle(self, *args, **options):
        self.tag_name = options["tag"]
        dormant = Account.objects.filter(last_login__isnull=True)
        self.archive(dormant)
        self.retag(Account.objects.filter(is_active=True))

    def archive(self, accounts):
        for acc in accounts:
            acc.refresh_from_db()  # expect: L2
            if acc.order_set.exists():  # expect: L2
                continue
            acc.delete()  # expect: L2

    def archive_bulk(self, accounts):
        with_orders = set(Order.objects.values_list("account_id", flat=True).distinct())
        doomed = [a.pk for a in accounts if a.pk not in with_orders]  # expect-none
        Account.objects.filter(pk__in=doomed).delete()  # expect-none

    def retag(self, accounts):
        for acc in accounts:
            tag, created = Tag.objects.get_or_create(name=self.tag_name)  # expect: L2
            profile = Profile.objects.get(account=acc)  # expect: L2
            profile.tags.add(tag)  # expect: L2

    def retag_bulk(self, accounts):
        tag, _ = Tag.objects.get_or_create(name=self.tag_name)  # expect-none
        through = Profile.tags.through
        links = [through(profile_id=p, tag_id=tag.pk) for p in Profile.objects.filter(account__in=accounts).values_list("pk", flat=True)]  # expect-none
        with transaction.atomic():
            through.objects.bulk_create(links, ignore_conflicts=True)  # expect-none

    def report(self, accounts):
        for acc in accounts.select_related("profile"):
            print("%s %s" % (acc.pk, acc.profile.display_name))  # expect-none
        for acc in accounts:
            print("%s %s" % (acc.pk, acc.profile.display_name))  # expect: L2
