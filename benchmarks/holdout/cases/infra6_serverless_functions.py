"""Serverless entry points: AWS Lambda, Azure Functions (v2 model), Google Cloud Functions."""
import json
import logging
import os

import azure.functions as func
import boto3
import functions_framework
import pymysql
import requests
from google.cloud import storage
from pymongo import MongoClient

logger = logging.getLogger()
TABLE = os.environ.get("TABLE", "sessions")
dynamodb = boto3.resource("dynamodb")  # expect-none
sessions_table = dynamodb.Table(TABLE)
_sns = None


def lambda_handler(event, context):
    sqs = boto3.client("sqs")  # expect: L5
    for record in event["Records"]:
        sqs.send_message(QueueUrl=os.environ["OUT_QUEUE"], MessageBody=record["body"])
    return {"statusCode": 200}


def session_handler(event, context):
    item = sessions_table.get_item(Key={"id": event["pathParameters"]["id"]})  # expect-none
    return {"statusCode": 200, "body": json.dumps(item.get("Item", {}), default=str)}


def _notifier():
    global _sns
    if _sns is None:
        _sns = boto3.client("sns")  # expect-none
    return _sns


def alarm_handler(event, context):
    for record in event["Records"]:
        _notifier().publish(TopicArn=os.environ["TOPIC"], Message=record["Sns"]["Message"])
    return {"ok": True}


def batch_writer_handler(event, context):
    for record in event["Records"]:
        table = boto3.resource("dynamodb").Table(TABLE)  # expect: L5
        table.put_item(Item=json.loads(record["body"]))


app = func.FunctionApp(http_auth_level=func.AuthLevel.FUNCTION)


@app.route(route="invoices/{invoice_id}")
def get_invoice(req: func.HttpRequest) -> func.HttpResponse:
    client = MongoClient(os.environ["MONGO_URL"])  # expect: L5
    doc = client.billing.invoices.find_one({"_id": req.route_params["invoice_id"]})
    return func.HttpResponse(json.dumps(doc, default=str), mimetype="application/json")


@app.queue_trigger(arg_name="msg", queue_name="webhooks", connection="AzureWebJobsStorage")
def forward_webhook(msg: func.QueueMessage) -> None:
    with requests.Session() as http:  # expect: L5
        http.post(os.environ["HOOK_URL"], data=msg.get_body(), timeout=10)


@functions_framework.http
def export_report(request):
    gcs = storage.Client()  # expect: L5
    blob = gcs.bucket("reports").blob(request.args["name"])
    return blob.download_as_text()


@functions_framework.cloud_event
def on_upload(cloud_event):
    conn = pymysql.connect(host=os.environ["DB_HOST"], user="etl", database="uploads")  # expect: L5
    with conn.cursor() as cur:
        cur.execute("INSERT INTO uploads (name) VALUES (%s)", (cloud_event.data["name"],))
    conn.commit()


def warm_start():
    gcs = storage.Client()  # expect-none
    return [b.name for b in gcs.list_buckets()]


if __name__ == "__main__":
    print(warm_start())
