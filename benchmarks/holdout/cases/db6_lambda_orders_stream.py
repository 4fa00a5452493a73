"""AWS Lambda handlers for the order stream: SQS -> DynamoDB, DynamoDB stream -> Redis, API lookups."""
import json
import logging
import os
from decimal import Decimal

import boto3
import redis
from boto3.dynamodb.conditions import Key

logger = logging.getLogger()
logger.setLevel(logging.INFO)

dynamodb = boto3.resource("dynamodb")
orders_table = dynamodb.Table(os.environ["ORDERS_TABLE"])
customers_table = dynamodb.Table(os.environ["CUSTOMERS_TABLE"])
ddb_client = boto3.client("dynamodb")
cache = redis.Redis(host=os.environ["REDIS_HOST"], port=6379, decode_responses=True)

STATUS_INDEXES = ("by-status-new", "by-status-paid")


def ingest_handler(event, context):
    """SQS batch of up to 10k order messages (batch window 30 s)."""
    failures = []
    for record in event["Records"]:
        body = json.loads(record["body"], parse_float=Decimal)
        try:
            orders_table.put_item(Item=body)  # expect: L2
        except Exception:
            logger.exception("put failed for %s", record["messageId"])
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}


def ingest_batched_handler(event, context):
    with orders_table.batch_writer(overwrite_by_pkeys=["order_id"]) as batch:
        for record in event["Records"]:
            batch.put_item(Item=json.loads(record["body"], parse_float=Decimal))  # expect-none
    return {"batchItemFailures": []}


def stream_handler(event, context):
    """DynamoDB stream -> refresh the per-customer order counters in Redis."""
    for record in event.get("Records", []):
        if record["eventName"] != "INSERT":
            continue
        image = record["dynamodb"]["NewImage"]
        customer_id = image["customer_id"]["S"]
        cache.hincrby(f"customer:{customer_id}", "orders", 1)  # expect: L2
        cache.expire(f"customer:{customer_id}", 86400)  # expect: L2


def stream_pipelined_handler(event, context):
    pipe = cache.pipeline(transaction=False)
    for record in event.get("Records", []):
        customer_id = record["dynamodb"]["NewImage"]["customer_id"]["S"]
        pipe.hincrby(f"customer:{customer_id}", "orders", 1)  # expect-none
        pipe.expire(f"customer:{customer_id}", 86400)  # expect-none
    pipe.execute()


def _customer(customer_id):
    resp = customers_table.get_item(Key={"customer_id": customer_id})
    return resp.get("Item")


def enrich_handler(event, context):
    """API Gateway: GET /orders?status=... returns orders with their customer's name."""
    status = event["queryStringParameters"]["status"]
    resp = orders_table.query(IndexName="by-status", KeyConditionExpression=Key("status").eq(status))  # expect-none
    out = []
    for item in resp["Items"]:
        customer = _customer(item["customer_id"])  # expect: L2
        out.append({**item, "customer_name": customer["name"] if customer else None})
    return {"statusCode": 200, "body": json.dumps(out, default=str)}


def enrich_batched_handler(event, context):
    status = event["queryStringParameters"]["status"]
    items = orders_table.query(IndexName="by-status", KeyConditionExpression=Key("status").eq(status))["Items"]
    keys = [{"customer_id": {"S": cid}} for cid in {i["customer_id"] for i in items}][:100]
    got = ddb_client.batch_get_item(RequestItems={os.environ["CUSTOMERS_TABLE"]: {"Keys": keys}})  # expect-none
    names = {c["customer_id"]["S"]: c["name"]["S"] for c in got["Responses"][os.environ["CUSTOMERS_TABLE"]]}
    return {"statusCode": 200, "body": json.dumps([{**i, "customer_name": names.get(i["customer_id"])} for i in items], default=str)}


def reprice_handler(event, context):
    """Step Functions task: reprice every open order of a SKU."""
    sku = event["sku"]
    new_price = Decimal(str(event["price"]))
    pages = ddb_client.get_paginator("query").paginate(  # expect-none
        TableName=os.environ["ORDERS_TABLE"],
        IndexName="by-sku",
        KeyConditionExpression="sku = :s",
        ExpressionAttributeValues={":s": {"S": sku}},
    )
    for page in pages:
        for item in page["Items"]:
            ddb_client.update_item(  # expect: L2
                TableName=os.environ["ORDERS_TABLE"],
                Key={"order_id": item["order_id"]},
                UpdateExpression="SET price = :p",
                ExpressionAttributeValues={":p": {"N": str(new_price)}},
            )


def warmup_handler(event, context):
    for index in STATUS_INDEXES:
        ddb_client.describe_table(TableName=os.environ["ORDERS_TABLE"])  # expect-none
        logger.info("warm %s", index)
    return {"ok": True}
