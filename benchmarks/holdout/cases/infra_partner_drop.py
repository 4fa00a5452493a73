import json
from pathlib import Path

import paramiko
import pika

SFTP_HOST = "files.partner.example"
AMQP_URL = "amqp://guest:guest@rabbit:5672/%2F"


def push_files(paths: list[Path], user: str, key_file: str) -> None:
    for path in paths:
        ssh = paramiko.SSHClient()  # expect: L5
        ssh.set_missing_host_key_policy(paramiko.AutoAddPolicy())
        ssh.connect(SFTP_HOST, username=user, key_filename=key_file)
        with ssh.open_sftp() as sftp:
            sftp.put(str(path), f"/inbound/{path.name}")
        ssh.close()


def push_files_one_session(paths: list[Path], user: str, key_file: str) -> None:
    ssh = paramiko.SSHClient()  # expect-none
    ssh.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    ssh.connect(SFTP_HOST, username=user, key_filename=key_file)
    try:
        with ssh.open_sftp() as sftp:
            for path in paths:
                sftp.put(str(path), f"/inbound/{path.name}")
    finally:
        ssh.close()


def enqueue_jobs(jobs: list[dict]) -> None:
    for job in jobs:
        conn = pika.BlockingConnection(pika.URLParameters(AMQP_URL))  # expect: L5
        conn.channel().basic_publish(exchange="", routing_key="render", body=json.dumps(job))
        conn.close()


def enqueue_jobs_one_connection(jobs: list[dict]) -> None:
    conn = pika.BlockingConnection(pika.URLParameters(AMQP_URL))  # expect-none
    ch = conn.channel()
    for job in jobs:
        ch.basic_publish(exchange="", routing_key="render", body=json.dumps(job))
    conn.close()
