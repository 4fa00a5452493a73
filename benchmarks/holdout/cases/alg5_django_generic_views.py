"""Library catalogue pages built on Django's generic class-based views."""
from collections import defaultdict

from django.db.models import Count
from django.views.generic import DetailView, ListView, TemplateView

from catalogue.models import Author, Book, Loan, Shelf

GENRES = ("fiction", "history", "science")


class BookListView(ListView):
    model = Book

    def get_queryset(self):
        qs = super().get_queryset().select_related("author")
        genre = self.request.GET.get("genre")
        if genre in GENRES:  # expect-none
            qs = qs.filter(genre=genre)
        return qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        on_loan = list(Loan.objects.filter(returned_at__isnull=True).values_list("book_id", flat=True))
        context["available"] = [b for b in context["object_list"] if b.id not in on_loan]  # expect: L1
        return context


class BookListFastView(ListView):
    model = Book

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        on_loan = set(Loan.objects.filter(returned_at__isnull=True).values_list("book_id", flat=True))
        context["available"] = [b for b in context["object_list"] if b.id not in on_loan]  # expect-none
        return context


class AuthorIndexView(TemplateView):
    template_name = "catalogue/authors.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        authors = list(Author.objects.order_by("surname"))
        books = list(Book.objects.only("id", "title", "author_id"))
        for author in authors:
            author.titles = [b.title for b in books if b.author_id == author.id]  # expect: L1
        context["authors"] = authors
        return context


class AuthorIndexGroupedView(TemplateView):
    template_name = "catalogue/authors.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        by_author = defaultdict(list)
        for b in Book.objects.only("title", "author_id"):
            by_author[b.author_id].append(b.title)  # expect-none
        authors = list(Author.objects.order_by("surname"))
        for author in authors:
            author.titles = by_author.get(author.id, [])  # expect-none
        context["authors"] = authors
        return context


class ShelfDetailView(DetailView):
    model = Shelf

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        titles = [b.title for b in self.object.books.all()]
        context["duplicates"] = sorted({t for t in titles if titles.count(t) > 1})  # expect: L1
        context["newest"] = sorted(self.object.books.all(), key=lambda b: b.added_at)[-1]  # expect: L1
        context["oldest"] = min(self.object.books.all(), key=lambda b: b.added_at)  # expect-none
        return context


class PopularView(ListView):
    template_name = "catalogue/popular.html"

    def get_queryset(self):
        return Book.objects.annotate(n=Count("loans")).order_by("-n")[:20]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ranked = []
        for book in context["object_list"]:
            ranked.append(book)
        ranked.sort(key=lambda b: b.title)  # expect-none
        context["ranked"] = ranked
        return context
