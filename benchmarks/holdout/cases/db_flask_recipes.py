from flask import Flask, jsonify, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import func

app = Flask(__name__)
db = SQLAlchemy(app)


class Chef(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(80))
    recipes = db.relationship("Recipe", backref="chef", lazy="dynamic")


class Recipe(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(120))
    chef_id = db.Column(db.Integer, db.ForeignKey("chef.id"))
    rating = db.Column(db.Float, default=0.0)


@app.get("/chefs")
def chefs():
    out = []
    for chef in Chef.query.order_by(Chef.name).all():
        out.append({"name": chef.name, "recipes": chef.recipes.count()})  # expect: L2
    return jsonify(out)


@app.get("/chefs/counted")
def chefs_counted():
    rows = (
        db.session.query(Chef.name, func.count(Recipe.id))
        .outerjoin(Recipe, Recipe.chef_id == Chef.id)
        .group_by(Chef.id)
        .all()
    )
    return jsonify([{"name": name, "recipes": n} for name, n in rows])  # expect-none


@app.post("/recipes/ratings")
def update_ratings():
    for entry in request.get_json():
        recipe = db.session.get(Recipe, entry["id"])  # expect: L2
        recipe.rating = entry["rating"]
        db.session.commit()  # expect: L2
    return jsonify(ok=True)


@app.post("/recipes")
def add_recipes():
    for entry in request.get_json():
        db.session.add(Recipe(title=entry["title"], chef_id=entry["chef"]))  # expect-none
    db.session.commit()  # expect-none
    return jsonify(ok=True), 201
