import psycopg
from psycopg.rows import dict_row


def record_clicks(conninfo: str, clicks: list[tuple[str, str, int]]) -> None:
    with psycopg.connect(conninfo) as conn:
        with conn.cursor() as cur:
            for campaign, url, ts in clicks:
                cur.execute("INSERT INTO clicks (campaign, url, ts) VALUES (%s, %s, to_timestamp(%s))", (campaign, url, ts))  # expect: L2


def record_clicks_copy(conninfo: str, clicks: list[tuple[str, str, int]]) -> None:
    with psycopg.connect(conninfo) as conn:
        with conn.cursor() as cur:
            with cur.copy("COPY clicks_raw (campaign, url, ts) FROM STDIN") as copy:
                for row in clicks:
                    copy.write_row(row)  # expect-none


def campaign_owners(conninfo: str, campaigns: list[str]) -> dict[str, str]:
    owners = {}
    with psycopg.connect(conninfo, row_factory=dict_row) as conn:
        for name in campaigns:
            row = conn.execute("SELECT owner FROM campaigns WHERE name = %s", (name,)).fetchone()  # expect: L2
            owners[name] = row["owner"] if row else ""
    return owners


def campaign_owners_once(conninfo: str, campaigns: list[str]) -> dict[str, str]:
    with psycopg.connect(conninfo, row_factory=dict_row) as conn:
        rows = conn.execute("SELECT name, owner FROM campaigns WHERE name = ANY(%s)", (campaigns,)).fetchall()  # expect-none
    return {r["name"]: r["owner"] for r in rows}


def per_tenant_totals(tenant_dsns: dict[str, str]) -> dict[str, int]:
    totals = {}
    for tenant, dsn in tenant_dsns.items():
        with psycopg.connect(dsn) as conn:
            totals[tenant] = conn.execute("SELECT count(*) FROM clicks").fetchone()[0]  # expect-none
    return totals
