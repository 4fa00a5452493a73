import psycopg2
from psycopg2.extras import execute_values


class MeterRepository:
    def __init__(self, dsn: str):
        self.conn = psycopg2.connect(dsn)

    def save_readings(self, readings):
        with self.conn, self.conn.cursor() as cur:
            for meter_id, kwh, at in readings:
                cur.execute("INSERT INTO readings (meter_id, kwh, taken_at) VALUES (%s, %s, %s)", (meter_id, kwh, at))  # expect: L2

    def save_readings_batched(self, readings):
        with self.conn, self.conn.cursor() as cur:
            execute_values(cur, "INSERT INTO readings (meter_id, kwh, taken_at) VALUES %s", readings, page_size=1000)  # expect-none

    def tariffs(self, meter_ids):
        out = {}
        with self.conn.cursor() as cur:
            for mid in meter_ids:
                cur.execute("SELECT tariff FROM meters WHERE id = %s", (mid,))  # expect: L2
                out[mid] = cur.fetchone()[0]
        return out

    def tariffs_any(self, meter_ids):
        with self.conn.cursor() as cur:
            cur.execute("SELECT id, tariff FROM meters WHERE id = ANY(%s)", (list(meter_ids),))  # expect-none
            return dict(cur.fetchall())

    def scan_all(self, page=5000):
        last = 0
        with self.conn.cursor() as cur:
            while True:
                cur.execute("SELECT id, serial FROM meters WHERE id > %s ORDER BY id LIMIT %s", (last, page))  # expect-none
                rows = cur.fetchall()
                if not rows:
                    break
                yield from rows
                last = rows[-1][0]
