"""Guestbook app in the style of the Flask tutorial (flaskr): sqlite3 via get_db()."""
import sqlite3

from flask import Flask, g, request, redirect, url_for, render_template

app = Flask(__name__)
app.config["DATABASE"] = "guestbook.sqlite"


def get_db():
    if "db" not in g:
        g.db = sqlite3.connect(app.config["DATABASE"])
        g.db.row_factory = sqlite3.Row
    return g.db


@app.teardown_appcontext
def close_db(e=None):
    db = g.pop("db", None)
    if db is not None:
        db.close()


@app.route("/")
def index():
    db = get_db()
    entries = db.execute("SELECT id, author_id, body FROM entry ORDER BY id DESC").fetchall()  # expect-none
    shown = []
    for entry in entries:
        author = db.execute("SELECT username FROM user WHERE id = ?", (entry["author_id"],)).fetchone()  # expect: L2
        shown.append((author["username"], entry["body"]))
    return render_template("index.html", entries=shown)


@app.route("/joined")
def index_joined():
    db = get_db()
    entries = db.execute(  # expect-none
        "SELECT e.id, u.username, e.body FROM entry e JOIN user u ON u.id = e.author_id ORDER BY e.id DESC"
    ).fetchall()
    return render_template("index.html", entries=entries)


@app.route("/tag", methods=["POST"])
def tag_entries():
    db = get_db()
    tag = request.form["tag"]
    for entry_id in request.form.getlist("entry_id"):
        db.execute("INSERT INTO entry_tag (entry_id, tag) VALUES (?, ?)", (entry_id, tag))  # expect: L2
    db.commit()
    return redirect(url_for("index"))


@app.route("/tag-many", methods=["POST"])
def tag_entries_many():
    db = get_db()
    tag = request.form["tag"]
    rows = [(eid, tag) for eid in request.form.getlist("entry_id")]
    db.executemany("INSERT INTO entry_tag (entry_id, tag) VALUES (?, ?)", rows)  # expect-none
    db.commit()
    return redirect(url_for("index"))


@app.route("/counts")
def counts():
    db = get_db()
    users = db.execute("SELECT id, username FROM user").fetchall()  # expect-none
    totals = dict((u["username"], db.execute("SELECT COUNT(*) FROM entry WHERE author_id = ?", (u["id"],)).fetchone()[0]) for u in users)  # expect: L2
    return render_template("counts.html", totals=totals)


def init_db():
    db = get_db()
    for stmt in ("DROP TABLE IF EXISTS entry", "DROP TABLE IF EXISTS user"):
        db.execute(stmt)  # expect-none
    db.commit()
