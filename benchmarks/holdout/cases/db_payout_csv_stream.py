import csv

from django.contrib.admin.views.decorators import staff_member_required
from django.http import StreamingHttpResponse

from payouts.models import Payout


class Echo:
    def write(self, value):
        return value


def _payout_rows(payouts):
    yield ["payout", "merchant", "iban", "amount"]
    for p in payouts.iterator(chunk_size=1000):
        yield [p.reference, p.merchant.legal_name, p.bank_account.iban, p.amount]  # expect: L2


def _payout_rows_joined(payouts):
    yield ["payout", "merchant", "iban", "amount"]
    rows = payouts.select_related("merchant", "bank_account").iterator(chunk_size=1000)
    for p in rows:
        yield [p.reference, p.merchant.legal_name, p.bank_account.iban, p.amount]  # expect-none


@staff_member_required
def export_payouts(request):
    payouts = Payout.objects.filter(settled=True).order_by("id")
    writer = csv.writer(Echo())
    stream = (writer.writerow(r) for r in _payout_rows_joined(payouts))
    resp = StreamingHttpResponse(stream, content_type="text/csv")
    resp["Content-Disposition"] = 'attachment; filename="payouts.csv"'
    return resp


@staff_member_required
def export_payouts_legacy(request):
    payouts = Payout.objects.filter(settled=True).order_by("id")
    writer = csv.writer(Echo())
    return StreamingHttpResponse((writer.writerow(r) for r in _payout_rows(payouts)), content_type="text/csv")
