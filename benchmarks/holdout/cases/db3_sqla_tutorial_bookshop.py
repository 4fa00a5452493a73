"""Bookshop script in the style of the classic SQLAlchemy ORM tutorial (declarative_base, Query API)."""
from sqlalchemy import Column, ForeignKey, Integer, String, create_engine
from sqlalchemy.ext.declarative import declarative_base
from sqlalchemy.orm import relationship, sessionmaker, joinedload, subqueryload

Base = declarative_base()
engine = create_engine("sqlite:///bookshop.db")
Session = sessionmaker(bind=engine)
session = Session()


class Author(Base):
    __tablename__ = "authors"
    id = Column(Integer, primary_key=True)
    name = Column(String)
    books = relationship("Book", back_populates="author")


class Book(Base):
    __tablename__ = "books"
    id = Column(Integer, primary_key=True)
    title = Column(String)
    isbn = Column(String, unique=True)
    author_id = Column(Integer, ForeignKey("authors.id"))
    author = relationship("Author", back_populates="books")


def print_catalogue():
    for book in session.query(Book).order_by(Book.title):
        print("%s by %s" % (book.title, book.author.name))  # expect: L2


def print_catalogue_joined():
    for book in session.query(Book).options(joinedload(Book.author)).order_by(Book.title):
        print("%s by %s" % (book.title, book.author.name))  # expect-none


def author_sizes():
    return dict((a.name, len(a.books)) for a in session.query(Author))  # expect: L2


def author_sizes_loaded():
    authors = session.query(Author).options(subqueryload(Author.books)).all()
    return dict((a.name, len(a.books)) for a in authors)  # expect-none


def restock(isbns):
    found = []
    for isbn in isbns:
        book = session.query(Book).filter_by(isbn=isbn).first()  # expect: L2
        if book is not None:
            found.append(book)
    return found


def restock_in(isbns):
    return session.query(Book).filter(Book.isbn.in_(isbns)).all()  # expect-none


def import_titles(rows):
    for title, isbn, author_id in rows:
        session.add(Book(title=title, isbn=isbn, author_id=author_id))
        session.commit()  # expect: L2


def import_titles_once(rows):
    for title, isbn, author_id in rows:
        session.add(Book(title=title, isbn=isbn, author_id=author_id))  # expect-none
    session.commit()  # expect-none


def rename_authors(mapping):
    for old, new in mapping.items():
        session.query(Author).filter(Author.name == old).update({"name": new})  # expect: L2
    session.commit()


if __name__ == "__main__":
    Base.metadata.create_all(engine)
    print_catalogue()
