#!/usr/bin/env python
"""logscan - summarise the nightly access logs (old ops script)."""
import datetime
import getopt
import re
import sys

DATE_FMT = "%d/%b/%Y:%H:%M:%S"
CUTOVER = "01/Mar/2019:00:00:00"
LINE_PAT = r'^(\S+) \S+ \S+ \[([^\]]+)\] "(\w+) (\S+)'
LINE_RE = re.compile(LINE_PAT)  # expect-none

verbose = 0
counts = {}


def parse_line(line):
    m = LINE_RE.match(line)  # expect-none
    if m is None:
        return None
    return m.group(1), m.group(2).split(" ")[0], m.group(4)


def scan(fh):
    line = fh.readline()
    while line:
        m = re.compile(LINE_PAT).match(line)  # expect: L3
        if m:
            stamp = datetime.datetime.strptime(m.group(2).split(" ")[0], DATE_FMT)  # expect-none
            cutover = datetime.datetime.strptime(CUTOVER, DATE_FMT)  # expect: L3
            if stamp >= cutover:
                counts[m.group(1)] = counts.get(m.group(1), 0) + 1
        line = fh.readline()


def bots(paths):
    found = []
    for p in paths:
        if re.search(r"(bot|crawler|spider)", p, re.I):  # expect: L3
            found.append(p)
    return found


def grep(fh, patterns):
    hits = []
    for line in fh:
        for pat in patterns:
            if re.search(pat, line):  # expect-none
                hits.append(line)
    return hits


def main(argv):
    global verbose
    opts, args = getopt.getopt(argv[1:], "v")
    for o, a in opts:
        if o == "-v":
            verbose = 1
    fmt = re.compile(r"\d+")  # expect-none
    for name in args:
        fh = open(name)
        scan(fh)
        fh.close()
    for k in sorted(counts):
        if fmt.match(k):
            sys.stdout.write("%s %d\n" % (k, counts[k]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
