"""Weekly KPI e-mails: a report builder service with injected repository and mailer."""
from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from functools import partial
from typing import Iterator

from jinja2 import Environment, Template
from pydantic import BaseModel, TypeAdapter

KPI_ROW = "<tr><td>{{ name }}</td><td>{{ '%.1f'|format(value) }}</td></tr>"
SUBJECT = "KPIs for week {{ week }}"
WEEK_START = "2026-01-05"

_env = Environment(autoescape=True)
_row = _env.from_string(KPI_ROW)  # expect-none


class Kpi(BaseModel):
    name: str
    value: float


_KPIS = TypeAdapter(list[Kpi])  # expect-none


class ReportBuilder:
    def __init__(self, repo, mailer) -> None:
        self.repo = repo
        self.mailer = mailer

    def rows(self, kpis: list[Kpi]) -> Iterator[str]:
        for k in kpis:
            yield Template(KPI_ROW).render(name=k.name, value=k.value)  # expect: L3

    def rows_v2(self, kpis: list[Kpi]) -> Iterator[str]:
        yield from (_row.render(name=k.name, value=k.value) for k in kpis)  # expect-none

    def week_number(self, day: dt.date) -> int:
        start = dt.datetime.strptime(WEEK_START, "%Y-%m-%d").date()  # expect: L3
        return (day - start).days // 7 + 1

    def send_all(self, team_ids: list[int], day: dt.date) -> int:
        sent = 0
        for team_id in team_ids:
            raw = self.repo.kpi_json(team_id)
            kpis = TypeAdapter(list[Kpi]).validate_json(raw)  # expect: L3
            subject = Template(SUBJECT).render(week=self.week_number(day))  # expect: L3
            self.mailer.send(team_id, subject, "".join(self.rows(kpis)))
            sent += 1
        return sent

    def send_all_v2(self, team_ids: list[int], day: dt.date) -> int:
        subject = _env.from_string(SUBJECT).render(week=self.week_number(day))  # expect-none
        render = partial(_row.render)
        for team_id in team_ids:
            kpis = _KPIS.validate_json(self.repo.kpi_json(team_id))  # expect-none
            self.mailer.send(team_id, subject, "".join(render(name=k.name, value=k.value) for k in kpis))
        return len(team_ids)


@contextmanager
def report_session(builder: ReportBuilder) -> Iterator[ReportBuilder]:
    start = dt.datetime.strptime(WEEK_START, "%Y-%m-%d")  # expect-none
    builder.repo.begin(start)
    try:
        yield builder
    finally:
        builder.repo.end()
