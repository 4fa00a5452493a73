"""Tornado handlers for the price-feed gateway."""
import json

import tornado.web
import tornado.websocket

ALLOWED_VENUES = ("xnys", "xnas", "arcx")


class QuoteIngestHandler(tornado.web.RequestHandler):
    def initialize(self, store, blocked):
        self.store = store
        self.blocked_symbols = list(blocked)

    def post(self):
        quotes = json.loads(self.request.body)
        accepted = []
        for q in quotes:
            if q["symbol"] in self.blocked_symbols:  # expect: L1
                continue
            if q["venue"] not in ALLOWED_VENUES:  # expect-none
                continue
            accepted.append(q)
        self.store.save_many(accepted)
        self.write({"accepted": len(accepted)})


class QuoteIngestFastHandler(tornado.web.RequestHandler):
    def initialize(self, store, blocked):
        self.store = store
        self.blocked_symbols = frozenset(blocked)

    def post(self):
        quotes = json.loads(self.request.body)
        accepted = [q for q in quotes if q["symbol"] not in self.blocked_symbols]  # expect-none
        self.store.save_many(accepted)


@tornado.web.stream_request_body
class UploadHandler(tornado.web.RequestHandler):
    def prepare(self):
        self.chunks = []

    def data_received(self, chunk):
        self.chunks.append(chunk)  # expect-none

    def put(self):
        body = b"".join(self.chunks)  # expect-none
        self.write({"bytes": len(body)})


class SnapshotHandler(tornado.web.RequestHandler):
    def get(self):
        rows = self.application.settings["feed"].latest()
        payload = b""
        for r in rows:
            payload += f"{r['symbol']},{r['bid']},{r['ask']}\n".encode()  # expect: L1
        self.set_header("Content-Type", "text/csv")
        self.write(payload)

    def head(self):
        rows = self.application.settings["feed"].latest()
        symbols = sorted(r["symbol"] for r in rows)
        missing = [s for s in self.application.settings["watch"] if s not in symbols]  # expect: L1
        self.set_header("X-Missing", str(len(missing)))


class TickerSocket(tornado.websocket.WebSocketHandler):
    subscribers = set()

    def open(self):
        TickerSocket.subscribers.add(self)  # expect-none

    def on_close(self):
        TickerSocket.subscribers.discard(self)  # expect-none

    def on_message(self, message):
        wanted = set(message.split(","))
        history = self.application.settings["feed"].history()
        for h in history:
            if h["symbol"] in wanted:  # expect-none
                self.write_message(h)


class BookHandler(tornado.web.RequestHandler):
    def get(self):
        orders = self.application.settings["book"].orders()
        levels = []
        for o in orders:
            lvl = next((l for l in levels if l["price"] == o["price"]), None)  # expect: L1
            if lvl is None:
                levels.append({"price": o["price"], "qty": o["qty"]})
            else:
                lvl["qty"] += o["qty"]
        merged = {}
        for o in orders:
            merged[o["price"]] = merged.get(o["price"], 0) + o["qty"]  # expect-none
        self.write({"levels": levels, "merged": merged})
