"""Django class-based and generic views: get_queryset, get_context_data, form_valid."""
from django.db import models
from django.db.models import Count
from django.views.generic import DetailView, ListView
from django.views.generic.edit import FormView


class Venue(models.Model):
    name = models.CharField(max_length=100)
    city = models.CharField(max_length=60)


class Speaker(models.Model):
    name = models.CharField(max_length=100)


class Event(models.Model):
    title = models.CharField(max_length=200)
    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="events")
    starts = models.DateTimeField()
    speakers = models.ManyToManyField(Speaker, related_name="events")


class Ticket(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="tickets")
    holder = models.CharField(max_length=100)
    checked_in = models.BooleanField(default=False)


class EventListView(ListView):
    model = Event
    template_name = "events/list.html"

    def get_queryset(self):
        return Event.objects.order_by("starts")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["rows"] = [(e.title, e.venue.name) for e in self.get_queryset()]  # expect: L2
        return ctx


class EventListFastView(ListView):
    model = Event

    def get_queryset(self):
        return Event.objects.select_related("venue").prefetch_related("speakers").order_by("starts")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["rows"] = [(e.title, e.venue.name, [s.name for s in e.speakers.all()]) for e in self.get_queryset()]  # expect-none
        return ctx


class VenueDetailView(DetailView):
    model = Venue

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        events = self.object.events.all()
        ctx["sold"] = {e.pk: e.tickets.count() for e in events}  # expect: L2
        ctx["speakers"] = {e.pk: [s.name for s in e.speakers.all()] for e in events}  # expect: L2
        return ctx


class VenueDetailFastView(DetailView):
    model = Venue

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        events = self.object.events.annotate(sold=Count("tickets")).prefetch_related("speakers")
        ctx["sold"] = {e.pk: e.sold for e in events}  # expect-none
        ctx["speakers"] = {e.pk: [s.name for s in e.speakers.all()] for e in events}  # expect-none
        return ctx


class CheckInView(FormView):
    template_name = "events/checkin.html"

    def form_valid(self, form):
        for code in form.cleaned_data["codes"].split():
            ticket = Ticket.objects.get(pk=code)  # expect: L2
            ticket.checked_in = True
            ticket.save(update_fields=["checked_in"])  # expect: L2
        return super().form_valid(form)


class CheckInFastView(FormView):
    template_name = "events/checkin.html"

    def form_valid(self, form):
        codes = form.cleaned_data["codes"].split()
        Ticket.objects.filter(pk__in=codes).update(checked_in=True)  # expect-none
        return super().form_valid(form)


class SpeakerListView(ListView):
    model = Speaker
    queryset = Speaker.objects.annotate(n_events=Count("events"))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["busy"] = [s.name for s in self.object_list if s.n_events > 3]  # expect-none
        ctx["first_talks"] = {s.pk: s.events.order_by("starts").first() for s in self.object_list}  # expect: L2
        return ctx
