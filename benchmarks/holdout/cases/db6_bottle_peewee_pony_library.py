"""Small lending-library service: Bottle + peewee for loans, a Pony ORM reporting job."""
import datetime as dt

from bottle import Bottle, request, response
from peewee import (CharField, DateField, ForeignKeyField, IntegerField, Model, PostgresqlDatabase, fn,
                    prefetch)
from pony import orm

db = PostgresqlDatabase("library", user="app", host="db")
app = Bottle()


class BaseModel(Model):
    class Meta:
        database = db


class Member(BaseModel):
    name = CharField()
    email = CharField(unique=True)


class Title(BaseModel):
    isbn = CharField(unique=True)
    name = CharField()


class Copy(BaseModel):
    title = ForeignKeyField(Title, backref="copies")
    shelf = CharField()


class Loan(BaseModel):
    copy = ForeignKeyField(Copy, backref="loans")
    member = ForeignKeyField(Member, backref="loans")
    due = DateField()
    returned = DateField(null=True)
    renewals = IntegerField(default=0)


@app.hook("before_request")
def _connect():
    db.connect(reuse_if_open=True)


@app.get("/overdue")
def overdue():
    today = dt.date.today()
    out = []
    for loan in Loan.select().where(Loan.returned.is_null(), Loan.due < today):
        out.append({"member": loan.member.email, "title": loan.copy.title.name})  # expect: L2
    return {"overdue": out}


@app.get("/overdue/joined")
def overdue_joined():
    today = dt.date.today()
    q = (Loan.select(Loan, Member, Copy, Title).join(Member).switch(Loan).join(Copy).join(Title)
         .where(Loan.returned.is_null(), Loan.due < today))
    return {"overdue": [{"member": l.member.email, "title": l.copy.title.name} for l in q]}  # expect-none


@app.post("/returns")
def returns():
    today = dt.date.today()
    barcodes = request.json["copy_ids"]
    for copy_id in barcodes:
        loan = Loan.get_or_none(Loan.copy == copy_id, Loan.returned.is_null())  # expect: L2
        if loan:
            loan.returned = today
            loan.save()  # expect: L2
    return {"returned": len(barcodes)}


@app.post("/returns/bulk")
def returns_bulk():
    ids = request.json["copy_ids"]
    n = (Loan.update(returned=dt.date.today())  # expect-none
         .where(Loan.copy.in_(ids), Loan.returned.is_null()).execute())
    return {"returned": n}


@app.get("/members/<member_id:int>/history")
def history(member_id):
    member = Member.get_by_id(member_id)  # expect-none
    loans = prefetch(member.loans.order_by(Loan.due.desc()), Copy, Title)
    return {"history": [l.copy.title.name for l in loans]}  # expect-none


@app.post("/renew-all")
def renew_all():
    renewed = []
    for loan in Loan.select().where(Loan.returned.is_null()):
        if Loan.select().where(Loan.copy == loan.copy_id, Loan.id != loan.id).exists():  # expect: L2
            continue
        Loan.update(due=loan.due + dt.timedelta(days=14), renewals=Loan.renewals + 1).where(Loan.id == loan.id).execute()  # expect: L2
        renewed.append(loan.id)
    response.content_type = "application/json"
    return {"renewed": renewed}


@app.get("/shelves")
def shelves():
    counts = Copy.select(Copy.shelf, fn.COUNT(Copy.id).alias("n")).group_by(Copy.shelf)  # expect-none
    return {row.shelf: row.n for row in counts}


# --- reporting job on Pony ORM (separate process) ---
pdb = orm.Database()


class Branch(pdb.Entity):
    code = orm.PrimaryKey(str)
    visits = orm.Set("Visit")


class Visit(pdb.Entity):
    branch = orm.Required(Branch)
    day = orm.Required(dt.date)
    count = orm.Required(int)


@orm.db_session
def load_visits(rows):
    for row in rows:
        branch = Branch.get(code=row["branch"])  # expect: L2
        Visit(branch=branch, day=row["day"], count=row["count"])


@orm.db_session
def busiest(day):
    return orm.select((v.branch.code, v.count) for v in Visit if v.day == day).order_by(-2)[:10]  # expect-none
