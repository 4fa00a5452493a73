"""Supplier portal: Django generic views for staff, a Flask-RESTful API for partners."""
import csv
import logging
import subprocess

import requests
from django.conf import settings
from django.views.generic import DetailView, ListView, View
from django.http import HttpResponse
from flask import Flask
from flask_restful import Api, Resource, reqparse

from .models import Supplier

logger = logging.getLogger(__name__)
RATINGS_URL = "https://ratings.example.com/v1/suppliers/"
rating_session = requests.Session()


class SupplierListView(ListView):
    model = Supplier
    paginate_by = 50

    def get_queryset(self):
        return super().get_queryset().filter(active=True).order_by("name")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["ratings"] = {
            s.pk: requests.get(RATINGS_URL + str(s.pk), timeout=5).json()["score"]  # expect: L4
            for s in context["object_list"]
        }
        return context


class SupplierRatedListView(ListView):
    model = Supplier
    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["ratings"] = {
            s.pk: rating_session.get(RATINGS_URL + str(s.pk), timeout=5).json()["score"]  # expect-none
            for s in context["object_list"]
        }
        return context


class SupplierDetailView(DetailView):
    model = Supplier

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rating"] = requests.get(RATINGS_URL + str(self.object.pk), timeout=5).json()  # expect-none
        logger.debug("supplier detail %s rendered for %s" % (self.object.pk, self.request.user))  # expect: L4
        return context


class SupplierCsvExportView(View):
    def get(self, request):
        response = HttpResponse(content_type="text/csv")
        writer = csv.writer(response)
        for supplier in Supplier.objects.iterator():
            writer.writerow([supplier.pk, supplier.name, supplier.country])  # expect-none
        return response


class SupplierSignaturesView(View):
    def post(self, request):
        paths = request.POST.getlist("documents")
        for path in paths:
            subprocess.run(["sha256sum", path], capture_output=True, check=True)  # expect: L4
        return HttpResponse(status=204)


flask_app = Flask(__name__)
api = Api(flask_app)
parser = reqparse.RequestParser()
parser.add_argument("ids", type=int, action="append", required=True)


class PartnerStock(Resource):
    def post(self):
        args = parser.parse_args()
        levels = {}
        for supplier_id in args["ids"]:
            resp = requests.get(f"{settings.STOCK_API}/suppliers/{supplier_id}/stock", timeout=5)  # expect: L4
            levels[supplier_id] = resp.json()
        logger.info("stock lookup for {} suppliers".format(len(args["ids"])))  # expect: L4
        return levels


class PartnerStockBulk(Resource):
    def post(self):
        args = parser.parse_args()
        resp = requests.post(f"{settings.STOCK_API}/suppliers/stock:batch", json={"ids": args["ids"]}, timeout=10)  # expect-none
        logger.info("bulk stock lookup for %d suppliers", len(args["ids"]))  # expect-none
        return resp.json()


class PartnerAudit(Resource):
    def get(self, supplier_id):
        with open(settings.AUDIT_LOG) as fh:
            rows = [line.split("\t") for line in fh if line.startswith(f"{supplier_id}\t")]  # expect-none
        logger.error(f"audit read for {supplier_id}: {len(rows)} rows")  # expect-none
        return {"rows": rows}


api.add_resource(PartnerStock, "/partners/stock")
api.add_resource(PartnerStockBulk, "/partners/stock/bulk")
api.add_resource(PartnerAudit, "/partners/<int:supplier_id>/audit")
