# The console-expect benchmark's workload through Python pexpect (Debian python3-pexpect), for
# comparison: reads the stream file through pexpect.fdpexpect in `maxread`-byte reads, with the
# same 20 patterns, and reports the markers it found. Run by benchmarks/console-expect.bench.ts.
import json
import os
import re
import sys
import time

import pexpect
import pexpect.fdpexpect

cfg = json.load(sys.stdin)
fd = os.open(cfg["path"], os.O_RDONLY)
child = pexpect.fdpexpect.fdspawn(fd, timeout=None, maxread=cfg["maxread"], searchwindowsize=cfg["window"])
patterns = [re.compile(p.encode("latin1")) for p in cfg["patterns"]]
found = []
deaths = 0
consumed = 0
t0 = time.perf_counter()
c0 = time.process_time()
while True:
    try:
        i = child.expect_list(patterns, timeout=None)
    except pexpect.EOF:
        break
    consumed += len(child.before) + len(child.after)
    if i != 0:
        deaths += 1
        continue
    marker = next(g for g in child.match.groups() if g)
    found.append([int(marker), consumed])
seconds = time.perf_counter() - t0
cpu = time.process_time() - c0
print(json.dumps({"seconds": seconds, "cpu": cpu, "found": found, "deaths": deaths, "pexpect": pexpect.__version__}))
