"""Pyramid views over the order ledger (SQLAlchemy 1.x session.query style)."""
from pyramid.httpexceptions import HTTPBadRequest
from pyramid.view import view_config, view_defaults
from sqlalchemy import func

from .models import Customer, Order, OrderLine, Tag


@view_config(route_name="tags_import", renderer="json", request_method="POST")
def import_tags(request):
    existing = [t.name for t in request.dbsession.query(Tag).all()]
    created = []
    for name in request.json_body["tags"]:
        if name in existing:  # expect: L1
            continue
        request.dbsession.add(Tag(name=name))
        existing.append(name)
        created.append(name)
    return {"created": created}


@view_config(route_name="tags_import_fast", renderer="json", request_method="POST")
def import_tags_fast(request):
    existing = {name for (name,) in request.dbsession.query(Tag.name)}
    created = [n for n in request.json_body["tags"] if n not in existing]  # expect-none
    request.dbsession.add_all([Tag(name=n) for n in created])
    return {"created": created}


@view_defaults(route_name="customer_report", renderer="json")
class CustomerReport:
    def __init__(self, request):
        self.request = request
        self.session = request.dbsession

    @view_config(request_method="GET")
    def get(self):
        customers = self.session.query(Customer).order_by(Customer.id).all()
        orders = self.session.query(Order).filter(Order.status == "paid").all()
        out = []
        for c in customers:
            for o in orders:  # expect: L1  # expect-span: 2
                if o.customer_id == c.id:
                    out.append({"customer": c.name, "order": o.ref, "total": o.total})
        return out

    @view_config(request_method="HEAD")
    def totals(self):
        rows = (
            self.session.query(Order.customer_id, func.sum(Order.total))  # expect-none
            .group_by(Order.customer_id)
            .all()
        )
        return dict(rows)

    @view_config(request_method="POST")
    def reorder(self):
        refs = self.request.json_body.get("refs")
        if not refs:
            raise HTTPBadRequest()
        lines = self.session.query(OrderLine).filter(OrderLine.order_ref.in_(refs)).all()
        skus = [ln.sku for ln in lines]
        counts = {s: skus.count(s) for s in skus}  # expect: L1
        return {"top": sorted(counts.items(), key=lambda kv: kv[1])[-1]}  # expect: L1


@view_config(route_name="latest_order", renderer="json")
def latest_order(request):
    totals = [o.total for o in request.dbsession.query(Order).filter_by(customer_id=request.matchdict["id"])]
    biggest = sorted(totals)[-1] if totals else None  # expect: L1
    smallest = min(totals) if totals else None  # expect-none
    return {"max": biggest, "min": smallest}


@view_config(route_name="backorders", renderer="json")
def backorders(request):
    queue = request.dbsession.query(OrderLine).filter(OrderLine.backordered.is_(True)).all()
    shipped = []
    stock = dict(request.dbsession.query(OrderLine.sku, func.count()).group_by(OrderLine.sku).all())
    while queue:
        line = queue.pop(0)  # expect: L1
        if stock.get(line.sku, 0) > 0:  # expect-none
            stock[line.sku] -= 1
            shipped.append(line.id)
    return {"shipped": shipped}
