"""Weekly digest e-mails, built and sent from Celery."""
from celery import shared_task
from django.core.mail import send_mail
from django.template.loader import render_to_string

from .models import Article, Subscriber


class DigestBuilder:
    def __init__(self, subscriber):
        self.subscriber = subscriber
        self.html = ""
        self.parts = []

    def add(self, article) -> None:
        self.html += render_to_string("digest/item.html", {"a": article})  # expect: L1

    def add_part(self, article) -> None:
        self.parts.append(render_to_string("digest/item.html", {"a": article}))  # expect-none

    def body(self) -> str:
        return "".join(self.parts)  # expect-none


def _topics(subscribers) -> list:
    return sum([list(s.topics.all()) for s in subscribers], [])  # expect: L1


def _topics_flat(subscribers) -> list:
    return [t for s in subscribers for t in s.topics.all()]  # expect-none


@shared_task
def send_weekly_digest(subscriber_ids: list[int]) -> int:
    subscribers = list(Subscriber.objects.filter(pk__in=subscriber_ids).prefetch_related("topics"))
    articles = list(Article.objects.filter(topic__in=_topics_flat(subscribers)).order_by("-published"))
    sent = 0
    for sub in subscribers:
        builder = DigestBuilder(sub)
        for art in articles:
            if art.topic in sub.topics.all():
                builder.add(art)
        send_mail("Your week", "", None, [sub.email], html_message=builder.html)
        sent += 1
    return sent


@shared_task
def retry_bounced(addresses: list[str]) -> list[str]:
    pending = list(addresses)
    delivered = []
    for addr in addresses:
        if send_mail("Retry", "", None, [addr]):
            delivered.append(addr)
            pending.remove(addr)  # expect: L1
    return pending


@shared_task
def retry_bounced_set(addresses: list[str]) -> list[str]:
    delivered = {a for a in addresses if send_mail("Retry", "", None, [a])}
    return [a for a in addresses if a not in delivered]  # expect-none


@shared_task
def subject_line(titles: tuple[str, str, str]) -> str:
    line = ""
    for t in titles:
        line += t[:20] + " | "  # expect-none
    return line


@shared_task
def unsubscribe_bulk(emails: list[str]) -> int:
    wanted = set(emails)
    gone = [s for s in Subscriber.objects.only("email") if s.email in wanted]  # expect-none
    return len(gone)
