import csv
import io
import os
from dataclasses import dataclass

import boto3
import paramiko
from google.cloud import storage

TABLE = os.environ.get("EXPORT_TABLE", "exports")
BUCKET = os.environ.get("EXPORT_BUCKET", "exports")
SFTP_HOST = os.environ.get("PARTNER_SFTP", "sftp.partner.example")

s3 = boto3.client("s3")  # expect-none
_gcs = None


def gcs() -> storage.Client:
    global _gcs
    if _gcs is None:
        _gcs = storage.Client()  # expect-none
    return _gcs


@dataclass
class ExportJob:
    export_id: str
    rows: list

    def to_csv(self) -> bytes:
        buf = io.StringIO()
        csv.writer(buf).writerows(self.rows)
        return buf.getvalue().encode()


def mirror_to_gcs(job: ExportJob) -> None:
    bucket = storage.Client().bucket(BUCKET)  # expect: L5
    bucket.blob(f"{job.export_id}.csv").upload_from_string(job.to_csv())


def mirror_to_gcs_shared(job: ExportJob) -> None:
    gcs().bucket(BUCKET).blob(f"{job.export_id}.csv").upload_from_string(job.to_csv())


def lambda_handler(event, context):
    table = boto3.resource("dynamodb").Table(TABLE)  # expect: L5
    jobs = [ExportJob(r["id"], table.get_item(Key={"id": r["id"]})["Item"]["rows"]) for r in event["jobs"]]
    for job in jobs:
        s3.put_object(Bucket=BUCKET, Key=f"{job.export_id}.csv", Body=job.to_csv())
        mirror_to_gcs(job)
    return {"exported": len(jobs)}


def push_to_partner(paths: list[str]) -> None:
    for path in paths:
        ssh = paramiko.SSHClient()  # expect: L5
        ssh.set_missing_host_key_policy(paramiko.AutoAddPolicy())
        ssh.connect(SFTP_HOST, username="exports")
        with ssh.open_sftp() as sftp:
            sftp.put(path, os.path.basename(path))
        ssh.close()


def push_to_partner_once(paths: list[str]) -> None:
    ssh = paramiko.SSHClient()  # expect-none
    ssh.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    ssh.connect(SFTP_HOST, username="exports")
    with ssh.open_sftp() as sftp:
        for path in paths:
            sftp.put(path, os.path.basename(path))
    ssh.close()


def partner_handler(event, context):
    push_to_partner_once([f"/tmp/{k}" for k in event["keys"]])
    return {"pushed": len(event["keys"])}
