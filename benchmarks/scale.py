#!/usr/bin/env python3
"""Scale figures through the real console in a pseudo-terminal (100x30): stores seeded with N
connections (10 audiences each) and N commands for N = 1k, 10k, 100k. Measures the import, the
time from spawn until the list shows all N, one search keystroke, and jumping to the last row.
Prints Markdown table rows. Usage: scale.py BACKSTAGE WORKDIR [N ...]"""
import json, os, select, statistics, subprocess, sys, time

sys.path.insert(0, os.path.dirname(__file__))
import terminal as pty_tools  # noqa: E402


def seed(path, count):
    connections = [{"name": f"connection {i:06d}", "client_id": f"client-{i}", "client_secret": "benchmark-secret",
                    "oauth_token_url": "https://idp.example.com/oauth/token",
                    "audiences": [f"https://svc{i}.example.com/api/v{v}/*" for v in range(10)]} for i in range(count)]
    commands = [{"trigger": f"cmd{i}", "url": f"https://svc{i}.example.com/api/v1/run", "display_name": f"Command {i}"}
                for i in range(count)]
    with open(path, "w") as out:
        json.dump({"connections": connections, "commands": commands}, out)
    os.chmod(path, 0o600)


def until_quiet_after(fd, send, predicate=None, quiet=0.05, timeout=60.0):
    """Sends `send`, reads until `predicate(output)` holds (if given) and then `quiet` seconds
    pass without output; returns milliseconds from the send to the last byte."""
    os.write(fd, send)
    start = time.monotonic()
    data, last = b"", None
    while time.monotonic() - start < timeout:
        ready, _, _ = select.select([fd], [], [], quiet)
        if ready:
            try:
                chunk = os.read(fd, 1 << 16)
            except OSError:
                break
            data += chunk
            last = time.monotonic()
        elif last is not None and (predicate is None or predicate(data)):
            return (last - start) * 1000, data
    return None, data


def wait_idle(pid, settle=0.3, timeout=60.0):
    """Waits until the process has used no CPU for `settle` seconds (a large store's matcher is
    built in the background after the list shows; keys are timed once it is done)."""
    def cpu():
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    start, last, since = time.monotonic(), cpu(), time.monotonic()
    while time.monotonic() - start < timeout:
        time.sleep(0.05)
        now = cpu()
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= settle:
            return


def import_store(binary, workdir, name, count):
    """A new store `name`-`count`.sqlite in workdir with `count` seeded items; its path and the
    seconds `backstage import` took."""
    db = os.path.join(workdir, f"{name}-{count}.sqlite")
    bundle = os.path.join(workdir, f"{name}-{count}.json")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    seed(bundle, count)
    start = time.monotonic()
    subprocess.run([binary, "--db", db, "import", bundle], check=True, stdout=subprocess.DEVNULL)
    seconds = time.monotonic() - start
    os.remove(bundle)
    return db, seconds


def measure(binary, workdir, count):
    db, imported = import_store(binary, workdir, "scale", count)
    row("import", count, f"{imported:.1f}", "s")

    env = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8")
    env.pop("NO_COLOR", None)
    opens = []
    for _ in range(3):
        start = time.monotonic()
        pid, fd = pty_tools.spawn([binary, "--db", db], env)
        marker = f"({count})".encode()
        data, last = b"", None
        while time.monotonic() - start < 120:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if ready:
                data += os.read(fd, 1 << 16)
                last = time.monotonic()
            elif last is not None and marker in data:
                break
        opens.append((last - start) * 1000)
        if len(opens) < 3:
            os.write(fd, b"q")
            os.waitpid(pid, 0)
    row("open until the list shows every row", count, f"{statistics.median(opens):.0f}", "ms")
    wait_idle(pid)
    pty_tools.drain(fd, 0.2)
    # Search: "/" then type a name that matches one row, one keystroke at a time.
    until_quiet_after(fd, b"/")
    keys = []
    for character in f"connection {count - 1:06d}":
        elapsed, _ = until_quiet_after(fd, character.encode())
        if elapsed is not None:
            keys.append(elapsed)
    row("search keystroke (median)", count, f"{statistics.median(keys):.2f}", "ms")
    until_quiet_after(fd, b"\x1b")  # Esc clears the search (the selection stays on the match)
    until_quiet_after(fd, b"g", timeout=1)
    elapsed, data = until_quiet_after(fd, b"G")
    row("jump to the last row", count, f"{elapsed:.2f}" if elapsed else "timeout", "ms")
    elapsed, _ = until_quiet_after(fd, b"2", predicate=lambda out: f"({count})".encode() in out)
    row("switch to Slash Commands", count, f"{elapsed:.2f}" if elapsed else "timeout", "ms")
    os.write(fd, b"q")
    os.waitpid(pid, 0)


def row(figure, count, value, unit):
    print(f"| {figure} | {count:,} connections + {count:,} commands | {value} | {unit} |", flush=True)


if __name__ == "__main__":
    binary, workdir = sys.argv[1], sys.argv[2]
    counts = [int(n) for n in sys.argv[3:]] or [1_000, 10_000, 100_000]
    print("| figure | store | value | unit |")
    print("|---|---|---|---|")
    for count in counts:
        measure(binary, workdir, count)
