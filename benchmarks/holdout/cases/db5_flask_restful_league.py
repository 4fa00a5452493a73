"""Flask-RESTful resources over Flask-SQLAlchemy models."""
from flask import request
from flask_restful import Resource
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import joinedload, selectinload

db = SQLAlchemy()


class Team(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(80))
    players = db.relationship("Player", backref="team", lazy="select")


class Player(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(80))
    team_id = db.Column(db.Integer, db.ForeignKey("team.id"))
    rating = db.Column(db.Integer, default=0)


class TeamListResource(Resource):
    def get(self):
        teams = Team.query.all()
        return [{"name": t.name, "size": len(t.players)} for t in teams]  # expect: L2


class TeamListFastResource(Resource):
    def get(self):
        teams = Team.query.options(selectinload(Team.players)).all()
        return [{"name": t.name, "size": len(t.players)} for t in teams]  # expect-none


class PlayerListResource(Resource):
    def get(self):
        players = Player.query.filter(Player.rating > 1000).all()
        return [{"name": p.name, "team": p.team.name} for p in players]  # expect: L2


class PlayerListFastResource(Resource):
    def get(self):
        players = Player.query.options(joinedload(Player.team)).filter(Player.rating > 1000)
        return [{"name": p.name, "team": p.team.name} for p in players]  # expect-none


class RatingBatchResource(Resource):
    def put(self):
        for change in request.get_json():
            player = Player.query.get(change["id"])  # expect: L2
            player.rating = change["rating"]
            db.session.commit()  # expect: L2
        return {"updated": True}


class RatingBatchFastResource(Resource):
    def put(self):
        changes = request.get_json()
        db.session.bulk_update_mappings(Player, [{"id": c["id"], "rating": c["rating"]} for c in changes])  # expect-none
        db.session.commit()  # expect-none
        return {"updated": True}


class TransferResource(Resource):
    def post(self):
        body = request.get_json()
        for player_id in body["players"]:
            db.session.execute(db.update(Player).where(Player.id == player_id).values(team_id=body["team"]))  # expect: L2
        db.session.commit()
        return {"ok": True}


class TransferFastResource(Resource):
    def post(self):
        body = request.get_json()
        db.session.execute(db.update(Player).where(Player.id.in_(body["players"])).values(team_id=body["team"]))  # expect-none
        db.session.commit()  # expect-none
        return {"ok": True}


class TeamDetailResource(Resource):
    def get(self, team_id):
        team = db.get_or_404(Team, team_id)  # expect-none
        return {"name": team.name, "players": [p.name for p in team.players]}  # expect-none
