"""Generic CRUD service layer with mixins, wired through a small dependency container (Sanic app)."""
from typing import Any, ClassVar, Generic, Optional, Sequence, TypeVar

from sanic import Sanic, json

ModelT = TypeVar("ModelT")
app = Sanic("catalog")


class Container:
    def __init__(self) -> None:
        self._providers: dict[str, Any] = {}

    def register(self, name: str, provider: Any) -> None:
        self._providers[name] = provider

    def resolve(self, name: str) -> Any:
        return self._providers[name]


container = Container()


class AuditMixin:
    def init_audit(self) -> None:
        self.audit_log = b""

    def audit(self, records: Sequence[dict]) -> None:
        for r in records:
            self.audit_log += f"{r['id']}:{r['op']}\n".encode()  # expect: L1


class SoftDeleteMixin:
    deleted_ids: list[int]

    def purge(self, records: Sequence[dict]) -> list[dict]:
        return [r for r in records if r["id"] not in self.deleted_ids]  # expect: L1


class CRUDService(Generic[ModelT], AuditMixin, SoftDeleteMixin):
    key: ClassVar[str] = "id"

    def __init__(self, rows: list[dict]) -> None:
        self.rows = rows
        self.deleted_ids = []
        self.init_audit()

    def get(self, pk: int) -> Optional[dict]:
        return next((r for r in self.rows if r[self.key] == pk), None)

    def get_many(self, pks: Sequence[int]) -> list[dict]:
        return [r for pk in pks for r in self.rows if r[self.key] == pk]  # expect: L1

    def get_many_indexed(self, pks: Sequence[int]) -> list[dict]:
        index = {r[self.key]: r for r in self.rows}
        return [index[pk] for pk in pks if pk in index]  # expect-none

    def delete_many(self, pks: Sequence[int]) -> None:
        for pk in pks:
            row = self.get(pk)
            if row is not None:
                self.rows.remove(row)  # expect: L1
                self.deleted_ids.append(pk)


class ProductService(CRUDService[dict]):
    def visible(self, hidden: list[int]) -> list[dict]:
        return list(filter(lambda r: r["id"] not in hidden, self.rows))  # expect: L1

    def visible_set(self, hidden: list[int]) -> list[dict]:
        hidden_set = frozenset(hidden)
        return [r for r in self.rows if r["id"] not in hidden_set]  # expect-none

    def cheapest(self) -> Optional[dict]:
        return min(self.rows, key=lambda r: r["price"], default=None)  # expect-none

    def cheapest_sorted(self) -> Optional[dict]:
        return sorted(self.rows, key=lambda r: r["price"])[0] if self.rows else None  # expect: L1


container.register("products", ProductService([]))


@app.post("/products/batch")
async def batch_get(request):
    svc: ProductService = container.resolve("products")
    return json(svc.get_many(request.json["ids"]))


@app.get("/products/visible")
async def visible(request):
    svc: ProductService = container.resolve("products")
    hidden = [int(x) for x in request.args.getlist("hidden", [])]
    return json(svc.visible_set(hidden))
