"""Volunteer rosters: Flask-SQLAlchemy 3 with db.select, legacy Model.query and bulk paths."""
from flask import Blueprint, jsonify, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import joinedload

db = SQLAlchemy()
bp = Blueprint("rosters", __name__)


class Volunteer(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(80))
    team_id = db.Column(db.ForeignKey("team.id"))
    team = db.relationship("Team")
    hours = db.Column(db.Integer, default=0)


class Team(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    label = db.Column(db.String(40))


class Shift(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    volunteer_id = db.Column(db.ForeignKey("volunteer.id"))
    length = db.Column(db.Integer)


@bp.post("/shifts/close")
def close_shifts():
    shifts = db.session.scalars(db.select(Shift).where(Shift.id.in_(request.json["ids"]))).all()  # expect-none
    for shift in shifts:
        Volunteer.query.filter_by(id=shift.volunteer_id).update({"hours": Volunteer.hours + shift.length})  # expect: L2
    db.session.commit()
    return jsonify(ok=True)


@bp.get("/volunteers")
def volunteers():
    people = db.session.scalars(db.select(Volunteer).order_by(Volunteer.name))
    return jsonify([{"name": v.name, "team": v.team.label} for v in people])  # expect: L2


@bp.get("/volunteers/joined")
def volunteers_joined():
    people = db.session.scalars(db.select(Volunteer).options(joinedload(Volunteer.team)))  # expect-none
    return jsonify([{"name": v.name, "team": v.team.label} for v in people])  # expect-none


@bp.post("/volunteers/lookup")
def lookup():
    found = []
    for vid in request.json["ids"]:
        person = db.session.execute(db.select(Volunteer).filter_by(id=vid)).scalar_one_or_none()  # expect: L2
        if person is not None:
            found.append(person.name)
    return jsonify(found)


@bp.post("/volunteers/lookup-legacy")
def lookup_legacy():
    return jsonify([Volunteer.query.get(vid).name for vid in request.json["ids"]])  # expect: L2


@bp.post("/volunteers/lookup-once")
def lookup_once():
    people = Volunteer.query.filter(Volunteer.id.in_(request.json["ids"])).all()  # expect-none
    return jsonify([p.name for p in people])  # expect-none


@bp.post("/teams")
def create_teams():
    for label in request.json["labels"]:
        db.session.add(Team(label=label))  # expect-none
    db.session.commit()  # expect-none
    return jsonify(ok=True)


@bp.post("/teams/slow")
def create_teams_each():
    for label in request.json["labels"]:
        db.session.add(Team(label=label))
        db.session.commit()  # expect: L2
    return jsonify(ok=True)
