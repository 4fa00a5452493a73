#!/usr/bin/env python
"""Nightly invoice report. Old cron script, module globals, no annotations."""
import sys
import MySQLdb

DB = None
CUR = None
VERBOSE = False


def connect(host, user, passwd):
    global DB, CUR
    DB = MySQLdb.connect(host=host, user=user, passwd=passwd, db="billing")
    CUR = DB.cursor()


def open_invoice_ids():
    CUR.execute("SELECT id FROM invoices WHERE status = 'open'")  # expect-none
    return [r[0] for r in CUR.fetchall()]


def customer_names(invoice_ids):
    names = {}
    for iid in invoice_ids:
        CUR.execute("SELECT c.name FROM customers c JOIN invoices i ON i.customer_id = c.id WHERE i.id = %s", (iid,))  # expect: L2
        row = CUR.fetchone()
        names[iid] = row[0] if row else "?"
    return names


def customer_names_joined(invoice_ids):
    marks = ",".join(["%s"] * len(invoice_ids))
    CUR.execute(  # expect-none
        "SELECT i.id, c.name FROM customers c JOIN invoices i ON i.customer_id = c.id WHERE i.id IN (%s)" % marks,
        tuple(invoice_ids),
    )
    return dict(CUR.fetchall())


def mark_reminded(invoice_ids):
    i = 0
    while i < len(invoice_ids):
        CUR.execute("UPDATE invoices SET reminded = 1 WHERE id = %s", (invoice_ids[i],))  # expect: L2
        i += 1
    DB.commit()


def mark_reminded_many(invoice_ids):
    CUR.executemany("UPDATE invoices SET reminded = 1 WHERE id = %s", [(x,) for x in invoice_ids])  # expect-none
    DB.commit()


def dump_lines():
    CUR.execute("SELECT id, amount FROM invoice_lines ORDER BY id")  # expect-none
    row = CUR.fetchone()
    while row is not None:
        if VERBOSE:
            print("%s\t%s" % row)
        row = CUR.fetchone()  # expect-none


def main(argv):
    connect(argv[1], argv[2], argv[3])
    ids = open_invoice_ids()
    for iid, name in sorted(customer_names(ids).items()):
        print("%-8s %s" % (iid, name))
    for table in ("invoices", "invoice_lines"):
        CUR.execute("ANALYZE TABLE %s" % table)  # expect-none
    mark_reminded(ids)
    DB.close()


if __name__ == "__main__":
    main(sys.argv)
