"""Benchmarks shared by rules whose fix is the same batching (not a rule module)."""

from __future__ import annotations

from perflint.rule import Benchmark

# One INSERT and one COMMIT per row against one executemany and one commit: what both a
# write per row (PF205) and a session write or commit per item (PF208) cost.
ROW_BY_ROW_WRITES = Benchmark(
    setup=(
        "import sqlite3\n"
        "db = sqlite3.connect(':memory:')\n"
        "db.execute('create table reading (value real)')\n"
        "values = [(float(i),) for i in range(1000)]\n"
    ),
    slow=(
        "for value in values:\n"
        "    db.execute('insert into reading values (?)', value)\n"
        "    db.commit()\n"
    ),
    fast="db.executemany('insert into reading values (?)', values)\ndb.commit()\n",
    size="1,000 rows, SQLite in memory (no network, no fsync)",
)
