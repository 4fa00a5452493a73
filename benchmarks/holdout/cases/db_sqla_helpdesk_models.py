from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship, selectinload


class Base(DeclarativeBase):
    pass


class Agent(Base):
    __tablename__ = "agents"
    id: Mapped[int] = mapped_column(primary_key=True)
    handle: Mapped[str] = mapped_column(String(40))


class Queue(Base):
    __tablename__ = "queues"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(80))


class Case(Base):
    __tablename__ = "cases"
    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(200))
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id"))
    queue_id: Mapped[int] = mapped_column(ForeignKey("queues.id"))
    agent: Mapped[Agent] = relationship()
    queue: Mapped[Queue] = relationship(lazy="joined")
    notes: Mapped[list["Note"]] = relationship(back_populates="case")


class Note(Base):
    __tablename__ = "notes"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    case: Mapped[Case] = relationship(back_populates="notes")


def open_cases_report(session: Session) -> list[tuple[str, str, str, int]]:
    report = []
    for case in session.scalars(select(Case).order_by(Case.id)):
        report.append(
            (
                case.subject,
                case.agent.handle,  # expect: L2
                case.queue.title,  # expect-none
                len(case.notes),  # expect: L2
            )
        )
    return report


def open_cases_report_loaded(session: Session) -> list[tuple[str, str, int]]:
    stmt = select(Case).options(selectinload(Case.agent), selectinload(Case.notes)).order_by(Case.id)
    return [(c.subject, c.agent.handle, len(c.notes)) for c in session.scalars(stmt)]  # expect-none
