"""Function-based views from the support portal (tutorial-style Django)."""
import json

import jinja2
import jsonschema
import markdown
from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from tickets.models import Ticket

TICKET_SCHEMA = {
    "type": "object",
    "required": ["subject", "body"],
    "properties": {"subject": {"type": "string"}, "body": {"type": "string"}},
}
SIGNATURE = "<p>-- {{ agent }}<br>{{ team }} support</p>"

ticket_validator = jsonschema.Draft7Validator(TICKET_SCHEMA)  # expect-none
md = markdown.Markdown(extensions=["fenced_code", "tables"])  # expect-none
signature_tpl = jinja2.Template(SIGNATURE)  # expect-none


@require_POST
def create_ticket(request):
    data = json.loads(request.body)  # expect-none
    validator = jsonschema.Draft7Validator(TICKET_SCHEMA)  # expect: L3
    errors = [e.message for e in validator.iter_errors(data)]
    if errors:
        return JsonResponse({"errors": errors}, status=400)
    t = Ticket.objects.create(subject=data["subject"], body=data["body"])
    return JsonResponse({"id": t.pk}, status=201)


@require_POST
def create_ticket_v2(request):
    data = json.loads(request.body)  # expect-none
    errors = [e.message for e in ticket_validator.iter_errors(data)]  # expect-none
    if errors:
        return JsonResponse({"errors": errors}, status=400)
    t = Ticket.objects.create(subject=data["subject"], body=data["body"])
    return JsonResponse({"id": t.pk}, status=201)


def ticket_detail(request, pk):
    ticket = get_object_or_404(Ticket, pk=pk)
    renderer = markdown.Markdown(extensions=["fenced_code", "tables"])  # expect: L3
    body = renderer.convert(ticket.body)
    return render(request, "tickets/detail.html", {"ticket": ticket, "body": body})


def ticket_preview(request, pk):
    ticket = get_object_or_404(Ticket, pk=pk)
    md.reset()
    return HttpResponse(md.convert(ticket.body))  # expect-none


def reply_signature(request):
    tpl = jinja2.Template(SIGNATURE)  # expect: L3
    html = tpl.render(agent=request.user.get_full_name(), team=settings.TEAM_NAME)
    return HttpResponse(html)


def reply_signature_v2(request):
    html = signature_tpl.render(agent=request.user.get_full_name(), team=settings.TEAM_NAME)  # expect-none
    return HttpResponse(html)


def macro_preview(request):
    tpl = jinja2.Template(request.POST["macro"])  # expect-none
    return HttpResponse(tpl.render(ticket=request.POST.get("ticket", "")))
