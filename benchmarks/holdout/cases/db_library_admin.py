from django.contrib import admin
from django.db.models import Count

from library.models import Book, Loan


@admin.register(Loan)
class LoanAdmin(admin.ModelAdmin):
    list_display = ("id", "borrower_name", "branch_city", "due_on")

    def borrower_name(self, loan):
        return loan.borrower.get_full_name()  # expect: L2

    def branch_city(self, loan):
        return loan.branch.city  # expect: L2


@admin.register(Book)
class BookAdmin(admin.ModelAdmin):
    list_display = ("title", "publisher_label", "author_names", "copies")
    list_select_related = ("publisher",)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs.annotate(copy_total=Count("copies"))

    def publisher_label(self, book):
        return book.publisher.name  # expect-none

    def author_names(self, book):
        return ", ".join(a.last_name for a in book.authors.all())  # expect: L2

    def copies(self, book):
        return book.copy_total  # expect-none

    def isbn_short(self, book):
        return book.isbn[-4:]  # expect-none
