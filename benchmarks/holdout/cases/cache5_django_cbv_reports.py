"""Django class-based views for a sales dashboard (generic views, mixins, get_queryset)."""
import json
import re
from datetime import datetime
from functools import lru_cache

from django.conf import settings
from django.db.models import Sum
from django.views.generic import DetailView, ListView, TemplateView
from jsonschema import Draft202012Validator

from .models import Region, Sale

FILTER_SCHEMA = {"type": "object", "properties": {"region": {"type": "string"}, "min": {"type": "number"}}}
QUARTER_STARTS = ("2026-01-01", "2026-04-01", "2026-07-01", "2026-10-01")
PROMO_CODES = ("WINTER10", "BLACKFRIDAY", "VIP2026")


@lru_cache(maxsize=None)
def filter_validator():
    return Draft202012Validator(FILTER_SCHEMA)  # expect-none


class FilterMixin:
    def parsed_filters(self):
        raw = json.loads(self.request.GET.get("f", "{}"))  # expect-none
        Draft202012Validator(FILTER_SCHEMA).validate(raw)  # expect: L3
        return raw


class SaleListView(FilterMixin, ListView):
    model = Sale
    paginate_by = 50

    def get_queryset(self):
        f = self.parsed_filters()
        qs = super().get_queryset().select_related("region")
        return qs.filter(region__code=f["region"]) if "region" in f else qs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        promo = re.compile(r"\b(" + "|".join(PROMO_CODES) + r")\b")  # expect: L3
        ctx["promo_rows"] = [s for s in ctx["object_list"] if promo.search(s.note or "")]
        ctx["quarters"] = [datetime.strptime(q, "%Y-%m-%d") for q in QUARTER_STARTS]  # expect: L3
        return ctx


class SaleListViewV2(ListView):
    model = Sale

    def get_queryset(self):
        raw = json.loads(self.request.GET.get("f", "{}"))  # expect-none
        filter_validator().validate(raw)  # expect-none
        return super().get_queryset().filter(**{k: v for k, v in raw.items() if k == "region"})


class RegionDetailView(DetailView):
    model = Region

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        targets = json.loads(settings.REGION_TARGETS_JSON)  # expect: L3
        ctx["target"] = targets.get(self.object.code)
        ctx["total"] = self.object.sales.aggregate(t=Sum("amount"))["t"]
        return ctx


class DashboardView(TemplateView):
    template_name = "dash.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["regions"] = Region.objects.order_by("code")
        ctx["codes"] = [c.lower() for c in PROMO_CODES]
        ctx["splits"] = self.splits(len(PROMO_CODES) + 8)
        return ctx

    def splits(self, n: int) -> int:  # expect: L3  # expect-span: 4
        if n < 2:
            return 1
        return sum(self.splits(k) * self.splits(n - 1 - k) for k in range(n))

    def levels(self, region) -> int:  # expect-none  # expect-span: 2
        return 1 + sum(self.levels(c) for c in region.subregions)
