import json
import smtplib
from email.message import EmailMessage

from celery import shared_task
from kafka import KafkaProducer

SMTP_HOST = "mail.internal"
producer = KafkaProducer(bootstrap_servers=["kafka:9092"], value_serializer=lambda v: json.dumps(v).encode())  # expect-none


def _message(to: str, subject: str, body: str) -> EmailMessage:
    msg = EmailMessage()
    msg["To"], msg["From"], msg["Subject"] = to, "noreply@shop.example", subject
    msg.set_content(body)
    return msg


@shared_task
def send_digest(recipients: list[str], body: str) -> None:
    for rcpt in recipients:
        with smtplib.SMTP(SMTP_HOST, 587) as smtp:  # expect: L5
            smtp.starttls()
            smtp.send_message(_message(rcpt, "Your weekly digest", body))


@shared_task
def send_digest_one_connection(recipients: list[str], body: str) -> None:
    with smtplib.SMTP(SMTP_HOST, 587) as smtp:  # expect-none
        smtp.starttls()
        for rcpt in recipients:
            smtp.send_message(_message(rcpt, "Your weekly digest", body))


@shared_task
def publish_order_event(order_id: int, status: str) -> None:
    p = KafkaProducer(bootstrap_servers=["kafka:9092"])  # expect: L5
    p.send("orders", json.dumps({"id": order_id, "status": status}).encode())
    p.flush()


@shared_task
def publish_order_event_shared(order_id: int, status: str) -> None:
    producer.send("orders", {"id": order_id, "status": status})
