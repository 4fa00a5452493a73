"""Background jobs: a Celery class-based task, Dramatiq actors and Huey tasks over Redis and psycopg2."""
import dramatiq
import psycopg2
import psycopg2.extras
import redis
from celery import Task
from huey import RedisHuey, crontab

from .celery_app import app

huey = RedisHuey("jobs")
cache = redis.Redis(host="cache", decode_responses=True)


class DatabaseTask(Task):
    _conn = None

    @property
    def conn(self):
        if self._conn is None:
            self._conn = psycopg2.connect("dbname=crm")
        return self._conn


@app.task(base=DatabaseTask, bind=True)
def sync_scores(self, contact_ids):
    cur = self.conn.cursor()
    for contact_id in contact_ids:
        score = cache.get(f"score:{contact_id}")  # expect: L2
        cur.execute("UPDATE contacts SET score = %s WHERE id = %s", (score, contact_id))  # expect: L2
    self.conn.commit()


@app.task(base=DatabaseTask, bind=True)
def sync_scores_batched(self, contact_ids):
    scores = cache.mget([f"score:{c}" for c in contact_ids])  # expect-none
    with self.conn.cursor() as cur:
        psycopg2.extras.execute_values(  # expect-none
            cur,
            "UPDATE contacts AS c SET score = v.score FROM (VALUES %s) AS v(id, score) WHERE c.id = v.id",
            list(zip(contact_ids, scores)),
        )
    self.conn.commit()


class ExportTask(Task):
    name = "crm.export"

    def run(self, segment):
        conn = psycopg2.connect("dbname=crm")
        cur = conn.cursor()
        cur.execute("SELECT id, owner_id FROM contacts WHERE segment = %s", (segment,))
        lines = []
        for contact_id, owner_id in cur.fetchall():
            cur.execute("SELECT email FROM owners WHERE id = %s", (owner_id,))  # expect: L2
            lines.append((contact_id, cur.fetchone()[0]))
        return lines


app.register_task(ExportTask())


@dramatiq.actor(max_retries=3)
def warm_profiles(user_ids):
    for uid in user_ids:
        cache.hset(f"profile:{uid}", mapping={"warm": 1})  # expect: L2


@dramatiq.actor
def warm_profiles_piped(user_ids):
    with cache.pipeline(transaction=False) as pipe:
        for uid in user_ids:
            pipe.hset(f"profile:{uid}", mapping={"warm": 1})  # expect-none
        pipe.execute()


@huey.task()
def expire_sessions(session_keys):
    for key in session_keys:
        if cache.exists(key):  # expect: L2
            cache.delete(key)  # expect: L2


@huey.task()
def expire_sessions_once(session_keys):
    if session_keys:
        cache.delete(*session_keys)  # expect-none


@huey.periodic_task(crontab(minute="0"))
def vacuum():
    conn = psycopg2.connect("dbname=crm")
    conn.autocommit = True
    with conn.cursor() as cur:
        for table in ("contacts", "owners", "events"):
            cur.execute(f"VACUUM ANALYZE {table}")  # expect-none
    conn.close()
