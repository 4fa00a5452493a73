"""Settlement jobs: a Celery class-based task, Dramatiq actors and Huey periodic tasks."""
import bisect
from collections import deque

import dramatiq
from celery import Task
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from settlement.app import celery_app
from settlement.gateway import bank_feed, ledger_feed


class ReconcileTask(Task):
    name = "settlement.reconcile"
    max_retries = 3

    def __init__(self):
        self.unmatched: list[dict] = []
        self.report = ""

    def run(self, account_id):
        ledger = ledger_feed(account_id)
        bank = bank_feed(account_id)
        for entry in ledger:
            hit = [b for b in bank if b["ref"] == entry["ref"]]  # expect: L1
            if not hit:
                self.unmatched.append(entry)
                self.report += f"{entry['ref']} missing\n"  # expect: L1
        return len(self.unmatched)


reconcile = celery_app.register_task(ReconcileTask())


class ReconcileIndexedTask(Task):
    name = "settlement.reconcile_indexed"

    def run(self, account_id):
        bank_by_ref = {b["ref"]: b for b in bank_feed(account_id)}
        lines = []
        for entry in ledger_feed(account_id):
            if entry["ref"] not in bank_by_ref:  # expect-none
                lines.append(f"{entry['ref']} missing")
        return "\n".join(lines)  # expect-none


@dramatiq.actor(max_retries=5)
def net_positions(account_ids):
    for account_id in account_ids:
        trades = ledger_feed(account_id)
        symbols = []
        for t in trades:
            if t["symbol"] not in symbols:  # expect: L1
                symbols.append(t["symbol"])
        for s in symbols:
            qty = sum(t["qty"] for t in trades if t["symbol"] == s)  # expect: L1
            print(account_id, s, qty)


@dramatiq.actor
def replay(events):
    backlog = deque(events)
    done = 0
    while backlog:
        ev = backlog.popleft()  # expect-none
        done += ev["amount"]
    return done


@db_task()
def settle_fees(account_ids):
    fees = []
    for account_id in account_ids:
        for entry in ledger_feed(account_id):
            fees.insert(0, entry["fee"])  # expect: L1
    return fees


@db_task()
def settle_fees_sorted(account_ids):
    fees = []
    for account_id in account_ids:
        for entry in ledger_feed(account_id):
            bisect.insort(fees, entry["fee"])  # expect-none
    return fees


@db_periodic_task(crontab(minute="*/15"))
def sweep():
    statuses = ["open", "held", "settled"]
    for entry in ledger_feed("house"):
        if entry["status"] in statuses:  # expect-none
            entry["swept"] = True
        sorted_fees = sorted(entry["fees"])  # expect-none
        entry["median_fee"] = sorted_fees[len(sorted_fees) // 2] if sorted_fees else 0
