"""Items API in the layout of the FastAPI "SQL databases" tutorial: get_db dependency, crud-style helpers."""
from typing import List

from fastapi import Depends, FastAPI, HTTPException
from sqlalchemy.orm import Session

from . import models, schemas
from .database import SessionLocal

app = FastAPI()


def get_db():
    db = SessionLocal()  # expect-none
    try:
        yield db
    finally:
        db.close()


@app.get("/users/{user_id}/items", response_model=List[schemas.Item])
def read_user_items(user_id: int, db: Session = Depends(get_db)):
    user = db.query(models.User).filter(models.User.id == user_id).first()  # expect-none
    if user is None:
        raise HTTPException(status_code=404, detail="User not found")
    return user.items


@app.post("/items/bulk-owner")
def owners_for_items(item_ids: List[int], db: Session = Depends(get_db)):
    out = {}
    for item_id in item_ids:
        item = db.query(models.Item).filter(models.Item.id == item_id).first()  # expect: L2
        if item:
            out[item_id] = item.owner.email  # expect: L2
    return out


@app.post("/items/bulk-owner-joined")
def owners_for_items_joined(item_ids: List[int], db: Session = Depends(get_db)):
    rows = (
        db.query(models.Item.id, models.User.email)  # expect-none
        .join(models.User, models.Item.owner_id == models.User.id)
        .filter(models.Item.id.in_(item_ids))
        .all()
    )
    return dict(rows)


@app.post("/users/{user_id}/items/", response_model=List[schemas.Item])
def create_items(user_id: int, items: List[schemas.ItemCreate], db: Session = Depends(get_db)):
    created = []
    for item in items:
        db_item = models.Item(**item.dict(), owner_id=user_id)
        db.add(db_item)
        db.commit()  # expect: L2
        db.refresh(db_item)  # expect: L2
        created.append(db_item)
    return created


@app.post("/users/{user_id}/items/batch", response_model=List[schemas.Item])
def create_items_batch(user_id: int, items: List[schemas.ItemCreate], db: Session = Depends(get_db)):
    created = [models.Item(**item.dict(), owner_id=user_id) for item in items]  # expect-none
    db.add_all(created)
    db.commit()  # expect-none
    return created


@app.get("/users/emails")
def user_emails(ids: str, db: Session = Depends(get_db)):
    return [db.get(models.User, int(i)).email for i in ids.split(",")]  # expect: L2
