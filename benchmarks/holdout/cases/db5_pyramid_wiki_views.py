"""Pyramid views over a classic SQLAlchemy 1.x session (request.dbsession)."""
from pyramid.view import view_config
from sqlalchemy import Column, ForeignKey, Integer, String, func
from sqlalchemy.ext.declarative import declarative_base
from sqlalchemy.orm import joinedload, relationship

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String)
    role = Column(String)


class Page(Base):
    __tablename__ = "pages"
    id = Column(Integer, primary_key=True)
    name = Column(String, unique=True)
    creator_id = Column(ForeignKey("users.id"))
    creator = relationship(User, backref="created_pages")


class Tag(Base):
    __tablename__ = "tags"
    id = Column(Integer, primary_key=True)
    page_id = Column(ForeignKey("pages.id"))
    label = Column(String)


@view_config(route_name="page_index", renderer="index.jinja2")
def page_index(request):
    pages = request.dbsession.query(Page).order_by(Page.name).all()
    rows = []
    for page in pages:
        rows.append({"name": page.name, "author": page.creator.name})  # expect: L2
    return {"rows": rows}


@view_config(route_name="page_index_fast", renderer="index.jinja2")
def page_index_fast(request):
    pages = request.dbsession.query(Page).options(joinedload(Page.creator)).order_by(Page.name)
    return {"rows": [{"name": p.name, "author": p.creator.name} for p in pages]}  # expect-none


@view_config(route_name="tag_counts", renderer="json")
def tag_counts(request):
    session = request.dbsession
    out = {}
    for page in session.query(Page).all():
        out[page.name] = session.query(Tag).filter(Tag.page_id == page.id).count()  # expect: L2
    return out


@view_config(route_name="tag_counts_grouped", renderer="json")
def tag_counts_grouped(request):
    session = request.dbsession
    q = session.query(Page.name, func.count(Tag.id)).outerjoin(Tag, Tag.page_id == Page.id).group_by(Page.name)  # expect-none
    return dict(q.all())


@view_config(route_name="bulk_retag", request_method="POST", renderer="json")
def bulk_retag(request):
    session = request.dbsession
    for item in request.json_body["pages"]:
        page = session.query(Page).filter_by(name=item["name"]).one()  # expect: L2
        session.add(Tag(page_id=page.id, label=item["label"]))  # expect-none
    return {"ok": True}


@view_config(route_name="bulk_retag_fast", request_method="POST", renderer="json")
def bulk_retag_fast(request):
    session = request.dbsession
    items = request.json_body["pages"]
    ids = dict(session.query(Page.name, Page.id).filter(Page.name.in_([i["name"] for i in items])))  # expect-none
    session.bulk_insert_mappings(Tag, [{"page_id": ids[i["name"]], "label": i["label"]} for i in items])  # expect-none
    return {"ok": True}


@view_config(route_name="promote", request_method="POST", renderer="json")
def promote(request):
    session = request.dbsession
    for user_id in request.json_body["ids"]:
        session.query(User).filter(User.id == user_id).update({"role": "editor"})  # expect: L2
    return {"ok": True}


@view_config(route_name="promote_fast", request_method="POST", renderer="json")
def promote_fast(request):
    ids = request.json_body["ids"]
    request.dbsession.query(User).filter(User.id.in_(ids)).update({"role": "editor"}, synchronize_session=False)  # expect-none
    return {"ok": True}


@view_config(route_name="user_pages", renderer="json")
def user_pages(request):
    users = request.dbsession.query(User).filter(User.role == "editor")
    return {u.name: len(u.created_pages) for u in users}  # expect: L2
