import asyncio
import smtplib
from email.message import EmailMessage

import aiohttp
import grpc
import httpx
import redis.asyncio as aioredis
import requests
from flask import Flask, request

import notify_pb2
import notify_pb2_grpc

app = Flask(__name__)
PUSH_ADDR = "push-gateway:50051"
SMTP_HOST = "smtp.internal"
REDIS_URL = "redis://cache:6379/2"


class PushGateway:
    def __init__(self, addr: str = PUSH_ADDR):
        self.addr = addr
        self._channel = grpc.insecure_channel(addr)  # expect-none
        self.stub = notify_pb2_grpc.PushStub(self._channel)

    def send(self, device, text):
        return self.stub.Send(notify_pb2.Push(device=device, text=text))

    def send_fresh(self, device, text):
        with grpc.insecure_channel(self.addr) as channel:  # expect: L5
            stub = notify_pb2_grpc.PushStub(channel)
            return stub.Send(notify_pb2.Push(device=device, text=text))


def push_all(gw: PushGateway, devices, text):
    return [gw.send_fresh(d, text) for d in devices]


def email_each(recipients, subject, body):
    for rcpt in recipients:
        msg = EmailMessage()
        msg["To"], msg["Subject"] = rcpt, subject
        msg.set_content(body)
        with smtplib.SMTP(SMTP_HOST, 25) as smtp:  # expect: L5
            smtp.send_message(msg)


def email_batch(recipients, subject, body):
    with smtplib.SMTP(SMTP_HOST, 25) as smtp:  # expect-none
        for rcpt in recipients:
            msg = EmailMessage()
            msg["To"], msg["Subject"] = rcpt, subject
            msg.set_content(body)
            smtp.send_message(msg)


@app.post("/hooks/relay")
def relay():
    session = requests.Session()  # expect: L5
    session.headers["Authorization"] = request.headers.get("Authorization", "")
    return session.post("https://hooks.example.com/in", json=request.get_json()).json()


def ping_endpoints(urls):
    codes = {}
    for url in urls:
        with httpx.Client(timeout=3) as client:  # expect: L5
            codes[url] = client.get(url).status_code
    return codes


async def post_all(payloads):
    results = []
    for p in payloads:
        async with aiohttp.ClientSession() as http:  # expect: L5
            async with http.post("https://hooks.example.com/in", json=p) as resp:
                results.append(resp.status)
    return results


class Relay:
    def __init__(self):
        self._http = None

    async def http(self) -> aiohttp.ClientSession:
        if self._http is None:
            self._http = aiohttp.ClientSession()  # expect-none
        return self._http


async def mark_seen(ids):
    for i in ids:
        cache = aioredis.from_url(REDIS_URL)  # expect: L5
        await cache.set(f"seen:{i}", 1, ex=3600)
        await cache.aclose()
