from flask import Blueprint, abort, jsonify, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import joinedload

db = SQLAlchemy()
bp = Blueprint("recipes", __name__)

recipe_tags = db.Table(
    "recipe_tags",
    db.Column("recipe_id", db.ForeignKey("recipe.id"), primary_key=True),
    db.Column("tag_id", db.ForeignKey("tag.id"), primary_key=True),
)


class Cook(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(80))


class Tag(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    label = db.Column(db.String(40), unique=True)


class Recipe(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(120))
    cook_id = db.Column(db.ForeignKey("cook.id"))
    cook = db.relationship(Cook)
    tags = db.relationship(Tag, secondary=recipe_tags)
    ratings = db.relationship("Rating", lazy="dynamic")


class Rating(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    recipe_id = db.Column(db.ForeignKey("recipe.id"))
    stars = db.Column(db.Integer)


@bp.get("/recipes")
def list_recipes():
    recipes = Recipe.query.order_by(Recipe.title).limit(100).all()
    return jsonify([
        {
            "title": r.title,
            "cook": r.cook.name,  # expect: L2
            "tags": [t.label for t in r.tags],  # expect: L2
            "votes": r.ratings.count(),  # expect: L2
        }
        for r in recipes
    ])


@bp.get("/recipes/eager")
def list_recipes_eager():
    recipes = Recipe.query.options(joinedload(Recipe.cook), joinedload(Recipe.tags)).limit(100).all()
    return jsonify([{"title": r.title, "cook": r.cook.name, "tags": [t.label for t in r.tags]} for r in recipes])  # expect-none


@bp.post("/recipes/tag")
def tag_recipes():
    payload = request.get_json() or abort(400)
    tag = Tag.query.filter_by(label=payload["tag"]).first_or_404()  # expect-none
    for recipe_id in payload["ids"]:
        recipe = db.session.get(Recipe, recipe_id)  # expect: L2
        if recipe is None:
            continue
        recipe.tags.append(tag)
        db.session.commit()  # expect: L2
    return jsonify(ok=True)


@bp.post("/recipes/tag-batched")
def tag_recipes_batched():
    payload = request.get_json() or abort(400)
    tag = Tag.query.filter_by(label=payload["tag"]).first_or_404()
    recipes = Recipe.query.filter(Recipe.id.in_(payload["ids"])).all()  # expect-none
    for recipe in recipes:
        recipe.tags.append(tag)
    db.session.commit()  # expect-none
    return jsonify(ok=len(recipes))
