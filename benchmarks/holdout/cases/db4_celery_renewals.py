"""Subscription renewals: Celery beat task, small helpers, an RQ job for receipts."""
from datetime import timedelta

from celery import shared_task
from django.db import transaction
from django.utils import timezone
from rq.decorators import job

from accounts.models import Charge, Plan, Subscription, Tag
from .redis_conn import redis_conn


def _price_for(sub):
    return Plan.objects.get(code=sub.plan_code).monthly_price


def _record_charge(sub, amount):
    return Charge.objects.create(subscription=sub, amount=amount, currency="EUR")


def _label(sub):
    return f"{sub.pk}-{sub.started_at:%Y%m}"


@shared_task
def renew_due():
    due = Subscription.objects.filter(renews_at__lte=timezone.now(), cancelled=False)
    for sub in due:
        amount = _price_for(sub)  # expect: L2
        _record_charge(sub, amount)  # expect: L2
        sub.renews_at += timedelta(days=30)
        sub.save(update_fields=["renews_at"])  # expect: L2


@shared_task
def renew_due_batched():
    due = list(Subscription.objects.filter(renews_at__lte=timezone.now(), cancelled=False))
    prices = dict(Plan.objects.values_list("code", "monthly_price"))  # expect-none
    charges = [Charge(subscription=s, amount=prices[s.plan_code], currency="EUR") for s in due]  # expect-none
    with transaction.atomic():
        Charge.objects.bulk_create(charges)  # expect-none
        for s in due:
            s.renews_at += timedelta(days=30)  # expect-none
        Subscription.objects.bulk_update(due, ["renews_at"])  # expect-none
    return [_label(s) for s in due]  # expect-none


@shared_task
def tag_trials(sub_ids):
    for sub in Subscription.objects.filter(pk__in=sub_ids):
        tag, _ = Tag.objects.get_or_create(name="trial")  # expect: L2
        sub.tags.add(tag)  # expect: L2


@shared_task
def tag_trials_once(sub_ids):
    tag, _ = Tag.objects.get_or_create(name="trial")  # expect-none
    tag.subscriptions.add(*sub_ids)  # expect-none


@job("receipts", connection=redis_conn)
def send_receipts(charge_ids):
    for charge in Charge.objects.filter(pk__in=charge_ids):
        email = charge.subscription.owner.email  # expect: L2
        redis_conn.rpush("mail:outbox", f"{email}:{charge.pk}")  # expect: L2


@job("receipts", connection=redis_conn)
def send_receipts_joined(charge_ids):
    charges = Charge.objects.filter(pk__in=charge_ids).select_related("subscription__owner")  # expect-none
    messages = [f"{c.subscription.owner.email}:{c.pk}" for c in charges]  # expect-none
    if messages:
        redis_conn.rpush("mail:outbox", *messages)  # expect-none
