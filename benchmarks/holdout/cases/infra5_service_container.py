"""A hand-rolled dependency container and CRUD mixins for the notification service."""
import smtplib
from email.message import EmailMessage
from functools import cached_property

import httpx
import redis
from pymongo import MongoClient

MONGO_URI = "mongodb://mongo:27017"


class Container:
    def __init__(self, settings):
        self.settings = settings

    def mailer(self):
        return smtplib.SMTP(self.settings["smtp_host"])  # expect: L5

    @cached_property
    def redis(self):
        return redis.Redis(host=self.settings["redis_host"])  # expect-none

    def push_client(self):
        return httpx.Client(base_url=self.settings["push_url"], timeout=5)  # expect: L5


container = Container({"smtp_host": "mail", "redis_host": "cache", "push_url": "https://push"})


class MongoCRUDMixin:
    collection_name = ""

    def _collection(self):
        return MongoClient(MONGO_URI).notify[self.collection_name]  # expect: L5

    def get(self, ident):
        return self._collection().find_one({"_id": ident})


class SubscriberService(MongoCRUDMixin):
    collection_name = "subscribers"

    def load_many(self, idents):
        return [self.get(i) for i in idents]


def send_digest(users):
    for user in users:
        msg = EmailMessage()
        msg["To"] = user["email"]
        msg["Subject"] = "Your weekly digest"
        container.mailer().send_message(msg)


def send_digest_one_connection(users):
    with container.mailer() as smtp:
        for user in users:
            msg = EmailMessage()
            msg["To"] = user["email"]
            smtp.send_message(msg)  # expect-none


def push_all(device_tokens, text):
    for token in device_tokens:
        container.push_client().post("/send", json={"to": token, "text": text})


def rate_limited(user_ids):
    return [container.redis.incr(f"rl:{u}") for u in user_ids]  # expect-none
