"""Price list import CLI: click, csv, psycopg2."""
import csv

import click
import psycopg2
from psycopg2.extras import execute_values

UPSERT = (
    "INSERT INTO prices (sku, region, amount) VALUES (%s, %s, %s) "
    "ON CONFLICT (sku, region) DO UPDATE SET amount = EXCLUDED.amount"
)


def _rows(path):
    with open(path, newline="") as fh:
        for rec in csv.DictReader(fh):
            yield rec["sku"], rec["region"], rec["amount"]


def _known_skus(cur, skus):
    cur.execute("SELECT sku FROM products WHERE sku = ANY(%s)", (list(skus),))  # expect-none
    return {r[0] for r in cur.fetchall()}


@click.group()
@click.option("--dsn", envvar="PRICES_DSN", required=True)
@click.pass_context
def cli(ctx, dsn):
    ctx.obj = psycopg2.connect(dsn)  # expect-none


@cli.command()
@click.argument("path")
@click.pass_obj
def load(conn, path):
    with conn, conn.cursor() as cur:
        for sku, region, amount in _rows(path):
            cur.execute("SELECT 1 FROM products WHERE sku = %s", (sku,))  # expect: L2
            if cur.fetchone() is None:
                click.echo(f"unknown sku {sku}")
                continue
            cur.execute(UPSERT, (sku, region, amount))  # expect: L2


@cli.command()
@click.argument("path")
@click.pass_obj
def load_fast(conn, path):
    rows = list(_rows(path))
    with conn, conn.cursor() as cur:
        known = _known_skus(cur, {r[0] for r in rows})
        good = [r for r in rows if r[0] in known]
        execute_values(  # expect-none
            cur,
            "INSERT INTO prices (sku, region, amount) VALUES %s "
            "ON CONFLICT (sku, region) DO UPDATE SET amount = EXCLUDED.amount",
            good,
            page_size=1000,
        )


@cli.command()
@click.pass_obj
def reset(conn):
    with conn, conn.cursor() as cur:
        for table in ("prices", "price_history", "price_audit"):
            cur.execute(f"TRUNCATE {table}")  # expect-none


@cli.command()
@click.argument("path")
@click.pass_obj
def purge(conn, path):
    with conn.cursor() as cur:
        for sku, region, _ in _rows(path):
            cur.execute("DELETE FROM prices WHERE sku = %s AND region = %s", (sku, region))  # expect: L2
            conn.commit()  # expect: L2
