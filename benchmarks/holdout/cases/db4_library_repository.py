"""Library catalogue: SQLAlchemy 2.0 models with properties, a repository with dunder access."""
from __future__ import annotations

from sqlalchemy import ForeignKey, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship, selectinload


class Base(DeclarativeBase):
    pass


class Author(Base):
    __tablename__ = "authors"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]


class Book(Base):
    __tablename__ = "books"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str]
    author_id: Mapped[int] = mapped_column(ForeignKey("authors.id"))
    author: Mapped[Author] = relationship()
    loans: Mapped[list[Loan]] = relationship(back_populates="book")

    @property
    def byline(self) -> str:
        return f"{self.title} by {self.author.name}"


class Loan(Base):
    __tablename__ = "loans"
    id: Mapped[int] = mapped_column(primary_key=True)
    book_id: Mapped[int] = mapped_column(ForeignKey("books.id"))
    book: Mapped[Book] = relationship(back_populates="loans")
    returned: Mapped[bool] = mapped_column(default=False)


class Catalogue:
    def __init__(self, session: Session) -> None:
        self.session = session

    def __getitem__(self, book_id: int) -> Book:
        return self.session.get(Book, book_id)  # expect-none

    def __iter__(self):
        for book_id in self.session.scalars(select(Book.id)):
            yield self.session.get(Book, book_id)  # expect: L2

    def bylines(self) -> list[str]:
        return [b.byline for b in self.session.scalars(select(Book))]  # expect: L2

    def bylines_loaded(self) -> list[str]:
        stmt = select(Book).options(selectinload(Book.author))  # expect-none
        return [b.byline for b in self.session.scalars(stmt)]  # expect-none

    def on_loan(self) -> dict[str, int]:
        counts = {}
        for book in self.session.scalars(select(Book)):
            counts[book.title] = sum(1 for loan in book.loans if not loan.returned)  # expect: L2
        return counts

    def shelf(self, ids: list[int]) -> list[str]:
        return [self[i].title for i in ids]  # expect: L2

    def shelf_once(self, ids: list[int]) -> list[str]:
        return list(self.session.scalars(select(Book.title).where(Book.id.in_(ids))))  # expect-none
