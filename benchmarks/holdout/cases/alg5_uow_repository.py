"""Customer onboarding: repositories behind a unit of work, services on top."""
import abc
from dataclasses import dataclass, field
from typing import Generic, Iterable, Protocol, TypeVar

T = TypeVar("T")


@dataclass
class Customer:
    id: int
    email: str
    region: str
    tags: list[str] = field(default_factory=list)


class AbstractCustomerRepository(abc.ABC):
    @abc.abstractmethod
    def emails(self) -> list[str]:
        raise NotImplementedError

    @abc.abstractmethod
    def add(self, customer: Customer) -> None:
        raise NotImplementedError


class AbstractUnitOfWork(abc.ABC):
    customers: AbstractCustomerRepository

    def __enter__(self) -> "AbstractUnitOfWork":
        return self

    def __exit__(self, *exc) -> None:
        self.rollback()

    @abc.abstractmethod
    def commit(self) -> None: ...

    @abc.abstractmethod
    def rollback(self) -> None: ...


class InMemoryRepository(Generic[T]):
    def __init__(self) -> None:
        self._items: list[T] = []
        self._by_id: dict[int, T] = {}

    def upsert_many(self, items: Iterable[T]) -> None:
        for item in items:
            current = next((e for e in self._items if e.id == item.id), None)  # expect: L1
            if current is None:
                self._items.append(item)

    def upsert_many_indexed(self, items: Iterable[T]) -> None:
        for item in items:
            if item.id not in self._by_id:  # expect-none
                self._items.append(item)
            self._by_id[item.id] = item


class Clock(Protocol):
    def now(self) -> float: ...


class OnboardingService:
    def __init__(self, uow: AbstractUnitOfWork, clock: Clock) -> None:
        self.uow = uow
        self.clock = clock
        self._pending: list[Customer] = []

    def register(self, signups: list[Customer]) -> int:
        with self.uow:
            known = self.uow.customers.emails()
            added = 0
            for c in signups:
                if c.email in known:  # expect: L1
                    continue
                self.uow.customers.add(c)
                added += 1
            self.uow.commit()
        return added

    def register_fast(self, signups: list[Customer]) -> int:
        with self.uow:
            known = set(self.uow.customers.emails())
            for c in signups:
                if c.email not in known:  # expect-none
                    self.uow.customers.add(c)
                    known.add(c.email)
            self.uow.commit()
        return len(known)

    def queue(self, batches: list[list[Customer]]) -> None:
        for batch in batches:
            self._pending.extend(batch)
            self._pending.sort(key=lambda c: c.region)  # expect: L1

    def queue_once(self, batches: list[list[Customer]]) -> None:
        for batch in batches:
            self._pending.extend(batch)
        self._pending.sort(key=lambda c: c.region)  # expect-none

    def drain(self) -> list[Customer]:
        flushed = []
        while self._pending:
            flushed.append(self._pending.pop(0))  # expect: L1
        return flushed

    def drain_stack(self) -> list[Customer]:
        flushed = []
        while self._pending:
            flushed.append(self._pending.pop())  # expect-none
        return flushed

    def untag(self, customers: list[Customer], tag: str) -> None:
        for c in customers:
            if tag in c.tags:  # expect-none
                c.tags.remove(tag)  # expect-none
