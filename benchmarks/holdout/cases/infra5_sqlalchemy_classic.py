"""SQLAlchemy 1.x era data access: scoped sessions, session.query and a report job."""
import pymysql
from flask import Flask, jsonify
from sqlalchemy import create_engine
from sqlalchemy.orm import scoped_session, sessionmaker

from .models import Customer, Invoice

app = Flask(__name__)
DB_URL = "mysql+pymysql://app@db/crm"
engine = create_engine(DB_URL, pool_recycle=3600)  # expect-none
Session = scoped_session(sessionmaker(bind=engine))  # expect-none


def get_session():
    eng = create_engine(DB_URL)  # expect: L5
    return sessionmaker(bind=eng)()


@app.route("/customers/<int:cid>")
def customer(cid):
    session = get_session()
    c = session.query(Customer).get(cid)
    return jsonify(name=c.name)


@app.route("/customers2/<int:cid>")
def customer_shared(cid):
    c = Session.query(Customer).get(cid)  # expect-none
    return jsonify(name=c.name)


@app.teardown_appcontext
def remove_session(exc=None):
    Session.remove()  # expect-none


class InvoiceDAO(object):
    def __init__(self, url=DB_URL):
        self.engine = create_engine(url)  # expect: L5
        self.session = sessionmaker(bind=self.engine)()

    def unpaid(self, customer_id):
        return self.session.query(Invoice).filter_by(customer_id=customer_id, paid=False).all()


@app.route("/customers/<int:cid>/unpaid")
def unpaid(cid):
    dao = InvoiceDAO()
    return jsonify([i.number for i in dao.unpaid(cid)])


def legacy_totals(customer_ids):
    totals = {}
    for cid in customer_ids:
        conn = pymysql.connect(host="db", user="app", database="crm")  # expect: L5
        with conn.cursor() as cur:
            cur.execute("SELECT SUM(amount) FROM invoices WHERE customer_id = %s", (cid,))
            totals[cid] = cur.fetchone()[0]
        conn.close()
    return totals


def legacy_totals_one_conn(customer_ids):
    conn = pymysql.connect(host="db", user="app", database="crm")  # expect-none
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT customer_id, SUM(amount) FROM invoices GROUP BY 1")
            return {cid: t for cid, t in cur.fetchall() if cid in set(customer_ids)}
    finally:
        conn.close()


def monthly_report(months):
    rows = []
    for m in months:
        rows.extend(Session.query(Invoice).filter(Invoice.month == m).all())  # expect: L2
    return rows
