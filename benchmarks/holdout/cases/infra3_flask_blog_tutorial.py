"""Flask blog, tutorial style: app factory skipped, everything in one module."""
import requests
from flask import Flask, g, jsonify, request
from pymongo import MongoClient
from sqlalchemy import create_engine, text
import redis

app = Flask(__name__)
app.config["DATABASE_URL"] = "postgresql://blog@localhost/blog"
app.config["MONGO_URI"] = "mongodb://localhost:27017"
engine = create_engine(app.config["DATABASE_URL"])  # expect-none
mongo = MongoClient(app.config["MONGO_URI"])  # expect-none


@app.before_request
def open_cache():
    g.cache = redis.Redis(host="localhost")  # expect: L5


@app.route("/posts")
def list_posts():
    eng = create_engine(app.config["DATABASE_URL"])  # expect: L5
    with eng.connect() as conn:
        rows = conn.execute(text("SELECT id, title FROM posts")).fetchall()
    return jsonify([dict(r._mapping) for r in rows])


@app.route("/posts/shared")
def list_posts_shared():
    with engine.connect() as conn:  # expect-none
        rows = conn.execute(text("SELECT id, title FROM posts")).fetchall()
    return jsonify([dict(r._mapping) for r in rows])


@app.route("/comments/<int:post_id>")
def comments(post_id):
    client = MongoClient(app.config["MONGO_URI"])  # expect: L5
    docs = client.blog.comments.find({"post_id": post_id})
    return jsonify([d["body"] for d in docs])


@app.route("/comments/shared/<int:post_id>")
def comments_shared(post_id):
    docs = mongo.blog.comments.find({"post_id": post_id})  # expect-none
    return jsonify([d["body"] for d in docs])


@app.route("/avatar")
def avatar():
    s = requests.Session()  # expect: L5
    s.headers["User-Agent"] = "blog/1.0"
    r = s.get("https://avatars.example.com/" + request.args["user"])
    return r.content


def get_http():
    if "http" not in g:
        g.http = requests.Session()  # expect-none
    return g.http


if __name__ == "__main__":
    app.run(debug=True)
