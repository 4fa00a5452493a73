"""Polls app grown from the Django tutorial: function views, no annotations."""
from django.db.models import Count, F
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from .models import Choice, Question, Vote


def index(request):
    latest = Question.objects.filter(pub_date__lte=timezone.now()).order_by("-pub_date")[:20]
    rows = []
    for q in latest:
        rows.append({"text": q.question_text, "choices": q.choice_set.count()})  # expect: L2
    return render(request, "polls/index.html", {"rows": rows})


def index_annotated(request):
    latest = (
        Question.objects.filter(pub_date__lte=timezone.now())
        .annotate(n_choices=Count("choice"))
        .order_by("-pub_date")[:20]
    )
    rows = [{"text": q.question_text, "choices": q.n_choices} for q in latest]  # expect-none
    return render(request, "polls/index.html", {"rows": rows})


def results_json(request):
    data = []
    for choice in Choice.objects.all():
        data.append([choice.question.question_text, choice.choice_text, choice.votes])  # expect: L2
    return JsonResponse({"data": data})


def results_json_joined(request):
    data = []
    for choice in Choice.objects.select_related("question"):
        data.append([choice.question.question_text, choice.choice_text, choice.votes])  # expect-none
    return JsonResponse({"data": data})


def vote_many(request, question_id):
    question = get_object_or_404(Question, pk=question_id)
    for pk in request.POST.getlist("choice"):
        selected = question.choice_set.get(pk=pk)  # expect: L2
        selected.votes += 1
        selected.save()  # expect: L2
    return HttpResponseRedirect(reverse("polls:results", args=(question.id,)))


def vote_many_atomic(request, question_id):
    question = get_object_or_404(Question, pk=question_id)
    picked = request.POST.getlist("choice")
    question.choice_set.filter(pk__in=picked).update(votes=F("votes") + 1)  # expect-none
    return HttpResponseRedirect(reverse("polls:results", args=(question.id,)))


def voters(request, question_id):
    question = get_object_or_404(Question, pk=question_id)
    names = []
    for vote in Vote.objects.filter(choice__question=question):
        if Vote.objects.filter(user_id=vote.user_id, choice__question__pk__lt=question.pk).exists():  # expect: L2
            names.append(vote.user.username)  # expect: L2
    return JsonResponse({"returning": names})


def voter_ids(request, question_id):
    votes = Vote.objects.filter(choice__question_id=question_id)
    return JsonResponse({"ids": [v.user_id for v in votes]})  # expect-none
