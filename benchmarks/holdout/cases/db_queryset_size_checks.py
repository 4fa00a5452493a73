from django.shortcuts import render

from helpdesk_app.models import Ticket


def queue_summary(request):
    open_tickets = Ticket.objects.filter(status="open", team=request.user.team)
    urgent = Ticket.objects.filter(status="open", priority__gte=4)
    context = {
        "open_total": len(open_tickets),  # expect: L2
        "has_urgent": bool(urgent),  # expect: L2
    }
    return render(request, "helpdesk/summary.html", context)


def queue_summary_counted(request):
    open_tickets = Ticket.objects.filter(status="open", team=request.user.team)
    context = {
        "open_total": open_tickets.count(),  # expect-none
        "has_urgent": Ticket.objects.filter(status="open", priority__gte=4).exists(),  # expect-none
    }
    return render(request, "helpdesk/summary.html", context)


def my_queue(request):
    mine = Ticket.objects.filter(assignee=request.user).order_by("-updated")[:25]
    if not mine:  # expect-none
        return render(request, "helpdesk/empty.html")
    return render(request, "helpdesk/queue.html", {"tickets": mine, "n": len(mine)})  # expect-none


def escalate_if_stale(request):
    stale = Ticket.objects.filter(status="open", updated__lt=request.user.team.sla_cutoff())
    if stale:  # expect: L2
        request.user.team.notify_lead("stale tickets waiting")
    return render(request, "helpdesk/ok.html")
