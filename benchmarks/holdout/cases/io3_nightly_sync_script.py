#!/usr/bin/env python
# -*- coding: utf-8 -*-
"""nightly_sync.py - pull partner feeds, push to the warehouse (old cron script)."""
import os
import sys
import json
import logging
import subprocess

import requests

log = logging.getLogger("nightly_sync")

FEED_BASE = "https://partners.example.com/feeds/"
LOGFILE = "/var/log/nightly_sync.log"
STATUS = None
http = requests.Session()


def fetch_feed(name):
    resp = requests.get(FEED_BASE + name + ".json", timeout=30)  # expect: L4
    resp.raise_for_status()
    return resp.json()


def fetch_feed_shared(name):
    return http.get(FEED_BASE + name + ".json", timeout=30).json()  # expect-none


def note(msg):
    fh = open(LOGFILE, "a")  # expect: L4
    fh.write(msg + "\n")
    fh.close()


def process(names):
    global STATUS
    total = 0
    for name in names:
        rows = fetch_feed(name)
        note("fetched %s (%d rows)" % (name, len(rows)))
        log.debug("feed %s first row: %s" % (name, json.dumps(rows[:1])))  # expect: L4
        log.debug("feed %s has %d rows", name, len(rows))  # expect-none
        total += len(rows)
    STATUS = "ok"
    log.info("processed " + str(total) + " rows")  # expect: L4
    log.warning("status now %s" % STATUS)  # expect-none
    return total


def stage_outputs(outdir):
    for fn in os.listdir(outdir):
        if fn.endswith(".csv"):
            subprocess.call("git add " + os.path.join(outdir, fn), shell=True)  # expect: L4


def stage_outputs_once(outdir):
    paths = [os.path.join(outdir, fn) for fn in os.listdir(outdir) if fn.endswith(".csv")]
    if paths:
        subprocess.call(["git", "add", "--"] + paths)  # expect-none


def main(argv):
    if len(argv) < 2:
        print("usage: nightly_sync.py FEED...")  # expect-none
        return 2
    process(argv[1:])
    for fn in ("a.csv", "b.csv"):
        print("wrote %s" % fn)  # expect-none
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
