"""Falcon resources over a SQLAlchemy 1.x scoped_session."""
import falcon
from sqlalchemy import Column, ForeignKey, Integer, String, create_engine
from sqlalchemy.ext.declarative import declarative_base
from sqlalchemy.orm import relationship, scoped_session, sessionmaker, subqueryload

Base = declarative_base()
Session = scoped_session(sessionmaker(bind=create_engine("sqlite:///notes.db")))


class Notebook(Base):
    __tablename__ = "notebooks"
    id = Column(Integer, primary_key=True)
    title = Column(String)
    notes = relationship("Note", back_populates="notebook")


class Note(Base):
    __tablename__ = "notes"
    id = Column(Integer, primary_key=True)
    notebook_id = Column(ForeignKey("notebooks.id"))
    notebook = relationship(Notebook, back_populates="notes")
    body = Column(String)


class NotebookCollection:
    def on_get(self, req, resp):
        books = Session.query(Notebook).all()
        resp.media = [{"title": b.title, "notes": [n.body for n in b.notes]} for b in books]  # expect: L2


class NotebookCollectionEager:
    def on_get(self, req, resp):
        books = Session.query(Notebook).options(subqueryload(Notebook.notes)).all()
        resp.media = [{"title": b.title, "notes": [n.body for n in b.notes]} for b in books]  # expect-none


class NoteImport:
    def on_post(self, req, resp, notebook_id):
        for body in req.media["bodies"]:
            Session.add(Note(notebook_id=notebook_id, body=body))  # expect-none
            Session.commit()  # expect: L2
        resp.status = falcon.HTTP_201


class NoteImportOnce:
    def on_post(self, req, resp, notebook_id):
        Session.add_all([Note(notebook_id=notebook_id, body=b) for b in req.media["bodies"]])  # expect-none
        Session.commit()  # expect-none
        resp.status = falcon.HTTP_201


class NoteMove:
    def on_post(self, req, resp):
        for move in req.media["moves"]:
            note = Session.query(Note).get(move["note"])  # expect: L2
            note.notebook_id = move["to"]
        Session.commit()  # expect-none
        resp.media = {"moved": len(req.media["moves"])}


app = falcon.App()
app.add_route("/notebooks", NotebookCollection())
app.add_route("/notebooks/eager", NotebookCollectionEager())
