import grpc
import httpx
import requests

from .proto import pricing_pb2, pricing_pb2_grpc

PRICING_ADDR = "pricing:50051"
_channel = grpc.insecure_channel(PRICING_ADDR)  # expect-none
_stub = pricing_pb2_grpc.PricingStub(_channel)


def quote(sku: str, qty: int) -> float:
    channel = grpc.insecure_channel(PRICING_ADDR)  # expect: L5
    stub = pricing_pb2_grpc.PricingStub(channel)
    reply = stub.Quote(pricing_pb2.QuoteRequest(sku=sku, qty=qty), timeout=2)
    channel.close()
    return reply.price


def price_cart(lines: list[tuple[str, int]]) -> float:
    return sum(quote(sku, qty) for sku, qty in lines)


def quote_shared(sku: str, qty: int) -> float:
    return _stub.Quote(pricing_pb2.QuoteRequest(sku=sku, qty=qty), timeout=2).price


def sync_catalog(skus: list[str], base: str) -> list[dict]:
    out = []
    for sku in skus:
        s = requests.Session()  # expect: L5
        s.headers["Accept"] = "application/json"
        out.append(s.get(f"{base}/catalog/{sku}", timeout=5).json())
    return out


def sync_catalog_httpx(skus: list[str], base: str) -> list[dict]:
    return [httpx.Client(base_url=base).get(f"/catalog/{sku}").json() for sku in skus]  # expect: L5


def sync_catalog_shared(skus: list[str], base: str) -> list[dict]:
    with httpx.Client(base_url=base, timeout=5) as client:  # expect-none
        return [client.get(f"/catalog/{sku}").json() for sku in skus]
