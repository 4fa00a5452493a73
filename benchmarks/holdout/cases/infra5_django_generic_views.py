"""Django generic class-based views for a support desk."""
import smtplib
from email.message import EmailMessage

import redis
from django.apps import AppConfig
from django.conf import settings
from django.views.generic import DetailView, FormView, ListView, TemplateView
from elasticsearch import Elasticsearch

from .forms import ContactForm
from .models import Ticket

SEARCH = Elasticsearch(settings.SEARCH_URL)  # expect-none


class TicketSearchView(ListView):
    template_name = "desk/search.html"
    paginate_by = 25

    def get_queryset(self):
        es = Elasticsearch(settings.SEARCH_URL)  # expect: L5
        hits = es.search(index="tickets", q=self.request.GET.get("q", ""))["hits"]["hits"]
        return Ticket.objects.filter(pk__in=[h["_id"] for h in hits])


class TicketSearchViewShared(ListView):
    template_name = "desk/search.html"

    def get_queryset(self):
        hits = SEARCH.search(index="tickets", q=self.request.GET.get("q", ""))["hits"]["hits"]  # expect-none
        return Ticket.objects.filter(pk__in=[h["_id"] for h in hits])


class TicketDetailView(DetailView):
    model = Ticket

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        r = redis.from_url(settings.REDIS_URL)  # expect: L5
        ctx["viewers"] = r.scard(f"ticket:{self.object.pk}:viewers")
        return ctx


class DashboardView(TemplateView):
    template_name = "desk/dashboard.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["open"] = DeskConfig.redis.get("desk:open_count")  # expect-none
        return ctx


class ContactView(FormView):
    form_class = ContactForm
    template_name = "desk/contact.html"
    success_url = "/thanks/"

    def form_valid(self, form):
        msg = EmailMessage()
        msg["To"] = settings.SUPPORT_EMAIL
        msg["Subject"] = form.cleaned_data["subject"]
        msg.set_content(form.cleaned_data["body"])
        with smtplib.SMTP(settings.EMAIL_HOST) as smtp:  # expect: L5
            smtp.send_message(msg)
        return super().form_valid(form)


class DeskConfig(AppConfig):
    name = "desk"
    redis = None

    def ready(self):
        DeskConfig.redis = redis.from_url(settings.REDIS_URL)  # expect-none


def notify_watchers(ticket, watchers):
    with smtplib.SMTP(settings.EMAIL_HOST) as smtp:  # expect-none
        for w in watchers:
            msg = EmailMessage()
            msg["To"] = w.email
            msg["Subject"] = f"Ticket {ticket.pk} updated"
            smtp.send_message(msg)
