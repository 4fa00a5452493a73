"""GraphQL schema for the catalog (graphene-django). Resolvers run once per parent object."""
import graphene
from django.utils.text import slugify
from graphene_django import DjangoObjectType
from promise import Promise
from promise.dataloader import DataLoader

from catalog.models import Author, Book, Review, Shelf, Tag


class AuthorLoader(DataLoader):
    def batch_load_fn(self, keys):
        authors = Author.objects.in_bulk(keys)  # expect-none
        return Promise.resolve([authors.get(k) for k in keys])


class TagType(DjangoObjectType):
    class Meta:
        model = Tag
        fields = ("id", "label")


class AuthorType(DjangoObjectType):
    book_count = graphene.Int()

    class Meta:
        model = Author
        fields = ("id", "name")

    def resolve_book_count(self, info):
        return getattr(self, "n_books", 0)


class BookType(DjangoObjectType):
    author = graphene.Field(AuthorType)
    tags = graphene.List(TagType)
    rating = graphene.Float()

    class Meta:
        model = Book
        fields = ("id", "title", "isbn")

    def resolve_author(self, info):
        return info.context.loaders.author.load(self.author_id)  # expect-none

    def resolve_tags(self, info):
        return list(self.tags.all())

    def resolve_rating(self, info):
        scores = [r.score for r in self.reviews.all()]  # expect: L2
        return sum(scores) / len(scores) if scores else None


class ShelfType(DjangoObjectType):
    books = graphene.List(BookType)
    labels = graphene.List(graphene.String)

    class Meta:
        model = Shelf
        fields = ("id", "name")

    def resolve_books(self, info):
        return [Book.objects.get(pk=book_id) for book_id in self.book_ids]  # expect: L2

    def resolve_labels(self, info):
        return [entry.book.title for entry in self.entries.all()]  # expect: L2


class Query(graphene.ObjectType):
    books = graphene.List(BookType, first=graphene.Int(default_value=50))
    shelves = graphene.List(ShelfType)
    authors = graphene.List(AuthorType)
    top_reviewers = graphene.List(graphene.String)

    def resolve_books(self, info, first):
        return Book.objects.select_related("author").prefetch_related("tags")[:first]  # expect-none

    def resolve_shelves(self, info):
        return Shelf.objects.filter(owner=info.context.user)

    def resolve_authors(self, info):
        from django.db.models import Count

        return Author.objects.annotate(n_books=Count("books"))  # expect-none

    def resolve_top_reviewers(self, info):
        names = []
        for review in Review.objects.order_by("-score")[:100]:
            names.append(review.reviewer.username)  # expect: L2
        return names


class TagBooks(graphene.Mutation):
    class Arguments:
        book_ids = graphene.List(graphene.ID, required=True)
        label = graphene.String(required=True)

    ok = graphene.Boolean()

    def mutate(self, info, book_ids, label):
        tag, _ = Tag.objects.get_or_create(label=label)  # expect-none
        for book_id in book_ids:
            book = Book.objects.get(pk=book_id)  # expect: L2
            book.tags.add(tag)  # expect: L2
        return TagBooks(ok=True)


class ArchiveShelf(graphene.Mutation):
    class Arguments:
        shelf_id = graphene.ID(required=True)

    ok = graphene.Boolean()

    def mutate(self, info, shelf_id):
        shelf = Shelf.objects.get(pk=shelf_id)  # expect-none
        Book.objects.filter(shelf=shelf).update(archived=True)  # expect-none
        for book in Book.objects.filter(shelf=shelf):
            book.slug = slugify(f"{shelf.name}-{book.title}")
            book.save(update_fields=["slug"])  # expect: L2
        return ArchiveShelf(ok=True)


class Mutation(graphene.ObjectType):
    tag_books = TagBooks.Field()
    archive_shelf = ArchiveShelf.Field()


schema = graphene.Schema(query=Query, mutation=Mutation)
