"""A Tornado service: handlers render receipts, filter comments and score uploads."""
import json
import os
import re
from functools import lru_cache

import jinja2
import joblib
import markdown
import tornado.ioloop
import tornado.web
import yaml

RECEIPT_TMPL = "<h1>{{ shop }}</h1>{% for l in lines %}<p>{{ l.name }} {{ l.total }}</p>{% endfor %}"
BANNED = ("spam", "scam", "casino", "viagra", "crypto giveaway")
RULES_YAML = """
max_len: 2000
allow_links: false
"""
MODEL_FILE = os.environ.get("MODEL_FILE", "/srv/model.joblib")
RECEIPT = jinja2.Template(RECEIPT_TMPL)  # expect-none
BANNED_RE = re.compile("|".join(map(re.escape, BANNED)), re.I)  # expect-none


@lru_cache(maxsize=1)
def model():
    return joblib.load(MODEL_FILE)  # expect-none


class ReceiptHandler(tornado.web.RequestHandler):
    def get(self, order_id: str) -> None:
        lines = self.application.db.lines(order_id)
        tmpl = jinja2.Template(RECEIPT_TMPL)  # expect: L3
        self.write(tmpl.render(shop="Acme", lines=lines))


class ReceiptHandlerV2(tornado.web.RequestHandler):
    def get(self, order_id: str) -> None:
        lines = self.application.db.lines(order_id)
        self.write(RECEIPT.render(shop="Acme", lines=lines))  # expect-none


class CommentHandler(tornado.web.RequestHandler):
    async def post(self) -> None:
        body = json.loads(self.request.body)  # expect-none
        rules = yaml.safe_load(RULES_YAML)  # expect: L3
        banned = re.compile("|".join(map(re.escape, BANNED)), re.I)  # expect: L3
        text = body["text"][: rules["max_len"]]
        if banned.search(text):
            raise tornado.web.HTTPError(422)
        html = markdown.Markdown(extensions=["extra"]).convert(text)  # expect: L3
        self.write({"html": html})


class CommentHandlerV2(tornado.web.RequestHandler):
    md = markdown.Markdown(extensions=["extra"])  # expect-none

    async def post(self) -> None:
        body = json.loads(self.request.body)  # expect-none
        if BANNED_RE.search(body["text"]):
            raise tornado.web.HTTPError(422)
        self.md.reset()
        self.write({"html": self.md.convert(body["text"])})


class ScoreHandler(tornado.web.RequestHandler):
    def post(self) -> None:
        features = json.loads(self.request.body)["features"]  # expect-none
        clf = joblib.load(MODEL_FILE)  # expect: L3
        limits = json.loads(os.environ.get("SCORE_LIMITS", "{}"))  # expect: L3
        score = float(clf.predict_proba([features])[0][1])
        self.write({"score": min(score, limits.get("cap", 1.0))})


class ScoreHandlerV2(tornado.web.RequestHandler):
    def post(self) -> None:
        features = json.loads(self.request.body)["features"]  # expect-none
        self.write({"score": float(model().predict_proba([features])[0][1])})


def make_app() -> tornado.web.Application:
    settings = yaml.safe_load(RULES_YAML)  # expect-none
    return tornado.web.Application(
        [(r"/receipt/(\d+)", ReceiptHandler), (r"/comments", CommentHandler), (r"/score", ScoreHandler)],
        **settings,
    )


if __name__ == "__main__":
    make_app().listen(8888)
    tornado.ioloop.IOLoop.current().start()
