#!/usr/bin/env python3
"""One-item CLI answers at scale, whole process (spawn to exit), beside the same answer on a
5-connection store in the same run: `commands match URL` (linked, and a near miss), `connections
show NAME` and `commands show TRIGGER`. Stores as scale.py seeds them (10 audiences per connection,
one command per connection). Prints Markdown table rows. Usage: cli.py BACKSTAGE WORKDIR [N ...]"""
import os, statistics, subprocess, sys, time

sys.path.insert(0, os.path.dirname(__file__))
import scale  # noqa: E402

RUNS = 21


def imported(binary, workdir, count):
    return scale.import_store(binary, workdir, "cli", count)[0]


def whole_process(binary, db, arguments):
    """Median milliseconds from spawn to exit; the answer must succeed."""
    times = []
    for _ in range(RUNS):
        start = time.monotonic()
        subprocess.run([binary, *arguments, "--db", db], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append((time.monotonic() - start) * 1000)
    return statistics.median(times)


def figures(binary, db, count):
    middle = count // 2
    return [
        ("`commands match URL` (linked by a wildcard)", ["commands", "match", f"https://svc{middle}.example.com/api/v3/run"]),
        ("`commands match URL` (not linked, a near miss)", ["commands", "match", f"http://SVC{middle}.example.com/api/v3/run"]),
        ("`connections show NAME`", ["connections", "show", f"connection {middle:06d}"]),
        ("`commands show TRIGGER`", ["commands", "show", f"cmd{middle}"]),
    ]


if __name__ == "__main__":
    binary, workdir = sys.argv[1], sys.argv[2]
    counts = [int(n) for n in sys.argv[3:]] or [1_000, 10_000, 100_000]
    print("| figure | store | value | unit | × the 5-connection store |")
    print("|---|---|---|---|---|")
    reference_db = imported(binary, workdir, 5)
    reference = {label: whole_process(binary, reference_db, arguments) for label, arguments in figures(binary, reference_db, 5)}
    for label, value in reference.items():
        print(f"| {label} | 5 connections + 5 commands | {value:.1f} | ms | 1.00 |", flush=True)
    for count in counts:
        db = imported(binary, workdir, count)
        for label, arguments in figures(binary, db, count):
            value = whole_process(binary, db, arguments)
            print(f"| {label} | {count:,} connections + {count:,} commands | {value:.1f} | ms | {value / reference[label]:.2f} |", flush=True)
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(db + suffix):
                os.remove(db + suffix)
