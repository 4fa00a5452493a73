"""Legacy worker module: globals, module-level helpers, no annotations."""
import smtplib
import sys
from multiprocessing import Pool

import boto3
import psycopg2
import redis

DSN = "dbname=reports user=worker"
BUCKET = "legacy-reports"
_conn = None
s3 = boto3.client("s3")  # expect-none


def get_conn():
    return psycopg2.connect(DSN)  # expect: L5


def get_shared_conn():
    global _conn
    if _conn is None:
        _conn = psycopg2.connect(DSN)  # expect-none
    return _conn


def mark_done(job_id):
    conn = get_conn()
    cur = conn.cursor()
    cur.execute("UPDATE jobs SET done = true WHERE id = %s", (job_id,))
    conn.commit()


def upload_all(paths):
    for path in paths:
        client = boto3.client("s3")  # expect: L5
        client.upload_file(path, BUCKET, path.split("/")[-1])


def upload_all_shared(paths):
    for path in paths:
        s3.upload_file(path, BUCKET, path.split("/")[-1])  # expect-none


def bump_counters(keys):
    for key in keys:
        r = redis.StrictRedis(host="localhost", port=6379)  # expect: L5
        r.incr(key)


def mail_all(recipients, body):
    for rcpt in recipients:
        server = smtplib.SMTP("mail.internal")  # expect: L5
        server.sendmail("noreply@example.com", [rcpt], body)
        server.quit()


def mail_batch(recipients, body):
    server = smtplib.SMTP("mail.internal")  # expect-none
    for rcpt in recipients:
        server.sendmail("noreply@example.com", [rcpt], body)
    server.quit()


def square_chunk(chunk):
    with Pool(4) as pool:  # expect: L5
        return pool.map(abs, chunk)


def main():
    jobs = [int(a) for a in sys.argv[1:]]
    for job_id in jobs:
        mark_done(job_id)
    for i in range(0, len(jobs), 100):
        square_chunk(jobs[i:i + 100])


if __name__ == "__main__":
    main()
