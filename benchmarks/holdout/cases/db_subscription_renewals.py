from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from billing.models import Subscription


@shared_task
def renew_due_subscriptions():
    now = timezone.now()
    due = Subscription.objects.filter(renews_at__lte=now, cancelled=False)
    for sub in due:
        sub.renews_at = sub.renews_at + timedelta(days=sub.plan_days)
        sub.renewal_count += 1
        sub.save(update_fields=["renews_at", "renewal_count"])  # expect: L2


@shared_task
def renew_due_subscriptions_bulk():
    now = timezone.now()
    due = list(Subscription.objects.filter(renews_at__lte=now, cancelled=False))
    for sub in due:
        sub.renews_at = sub.renews_at + timedelta(days=sub.plan_days)  # expect-none
        sub.renewal_count += 1  # expect-none
    Subscription.objects.bulk_update(due, ["renews_at", "renewal_count"], batch_size=1000)  # expect-none


@shared_task
def expire_trials(trial_ids: list[int]):
    for trial_id in trial_ids:
        Subscription.objects.filter(pk=trial_id).update(cancelled=True)  # expect: L2


@shared_task
def expire_trials_once(trial_ids: list[int]):
    Subscription.objects.filter(pk__in=trial_ids).update(cancelled=True)  # expect-none


@shared_task
def purge_cancelled(sub_ids):
    for sub in Subscription.objects.filter(pk__in=sub_ids, cancelled=True):
        sub.refresh_from_db()  # expect: L2
        if sub.cancelled:
            sub.delete()  # expect: L2
