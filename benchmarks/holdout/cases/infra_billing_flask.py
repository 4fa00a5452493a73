import os

import psycopg2
from flask import Flask, jsonify
from sqlalchemy import create_engine, text
from sqlalchemy.orm import sessionmaker

from .models import Invoice

app = Flask(__name__)
BILLING_DSN = os.environ["BILLING_DSN"]
engine = create_engine(BILLING_DSN, pool_size=10)  # expect-none
Session = sessionmaker(engine)


@app.route("/invoices/<int:invoice_id>")
def show_invoice(invoice_id: int):
    eng = create_engine(BILLING_DSN)  # expect: L5
    with eng.connect() as conn:
        row = conn.execute(text("SELECT number, total FROM invoices WHERE id = :i"), {"i": invoice_id}).one()
    return jsonify(number=row.number, total=float(row.total))


@app.route("/v2/invoices/<int:invoice_id>")
def show_invoice_pooled(invoice_id: int):
    with engine.connect() as conn:  # expect-none
        row = conn.execute(text("SELECT number, total FROM invoices WHERE id = :i"), {"i": invoice_id}).one()
    return jsonify(number=row.number, total=float(row.total))


@app.post("/invoices/<int:invoice_id>/void")
def void_invoice(invoice_id: int):
    with Session() as session:  # expect-none
        session.get(Invoice, invoice_id).status = "void"
        session.commit()
    return jsonify(ok=True)


@app.get("/invoices/<int:invoice_id>/pdf")
def invoice_pdf(invoice_id: int):
    conn = psycopg2.connect(os.environ["BILLING_DSN"])  # expect: L5
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT pdf_key FROM invoices WHERE id = %s", (invoice_id,))
            key = cur.fetchone()[0]
    finally:
        conn.close()
    return jsonify(url=f"https://cdn.example.com/{key}")
