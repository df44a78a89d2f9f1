#!/usr/bin/env python3
"""Runs a command and prints its wall time and the CPU time (user + system) of every process it started.

bash's `time` misses the plugins the Pulumi CLI leaves to exit on their own (they are reparented and never reaped by
it); this script makes itself a child subreaper, so such orphans are reparented to it, and reaps them all (killing
what is still running 20 s after the command ended) before reading RUSAGE_CHILDREN.
Usage: cputime.py <command> [args...]   (output of the command is discarded; prints "<wall> <cpu> <exit code>")
"""
import ctypes
import os
import resource
import signal
import subprocess
import sys
import time

PR_SET_CHILD_SUBREAPER = 36
ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
started = time.monotonic()
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
code = proc.wait()
wall = time.monotonic() - started
deadline = time.monotonic() + 20
while True:
    try:
        pid, _ = os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        break
    if pid == 0:
        if time.monotonic() > deadline:
            for entry in os.listdir("/proc"):
                if entry.isdigit():
                    try:
                        with open(f"/proc/{entry}/stat") as f:
                            if int(f.read().rsplit(")", 1)[1].split()[1]) == os.getpid():
                                os.kill(int(entry), signal.SIGKILL)
                    except (OSError, ValueError):
                        pass
        time.sleep(0.2)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{wall:.1f} {usage.ru_utime + usage.ru_stime:.1f} {code}")
