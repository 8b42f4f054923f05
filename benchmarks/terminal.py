#!/usr/bin/env python3
"""Terminal figures through a pseudo-terminal (100x30, TERM=xterm-256color, UTF-8) for backstage
and for `dialog --form`, the C/ncurses reference, in the same run: first frame, bytes and latency
per typed key, tab switch and one-row scroll bytes, peak RSS. Prints Markdown table rows."""
import fcntl, os, pty, select, statistics, struct, sys, termios, time

QUIET = 0.03  # a frame is done after 30 ms without output


def spawn(argv, env):
    pid, fd = pty.fork()
    if pid == 0:
        os.execvpe(argv[0], argv, env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    return pid, fd


def read_until(fd, predicate, timeout=10.0):
    data, start = b"", time.monotonic()
    while time.monotonic() - start < timeout:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            data += chunk
            if predicate(data):
                return data, time.monotonic() - start
    return data, None


def first_frame(fd, settle=0.15, timeout=10.0):
    """Seconds from now until the last byte of the first frame (output then `settle` of silence)."""
    start, last, seen = time.monotonic(), None, False
    while time.monotonic() - start < timeout:
        ready, _, _ = select.select([fd], [], [], settle if seen else 0.05)
        if not ready:
            if seen:
                return last - start
            continue
        try:
            os.read(fd, 65536)
        except OSError:
            return None
        seen, last = True, time.monotonic()
    return None


def drain(fd, quiet=QUIET):
    data = b""
    while True:
        ready, _, _ = select.select([fd], [], [], quiet)
        if not ready:
            return data
        try:
            data += os.read(fd, 65536)
        except OSError:
            return data


def key(fd, text):
    """Sends one key; returns (latency to the first byte echoed, bytes until quiet)."""
    os.write(fd, text.encode())
    start = time.monotonic()
    ready, _, _ = select.select([fd], [], [], 5)
    latency = time.monotonic() - start if ready else None
    return latency, len(drain(fd))


def peak_rss_kb(pid):
    try:
        for line in open(f"/proc/{pid}/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return None


def cpu_ms(pid):
    """CPU time of every thread so far (schedstat, ns): unlike wall time, not stretched by other load."""
    total = 0
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            total += int(open(f"/proc/{pid}/task/{task}/schedstat").read().split()[0])
    except OSError:
        return None
    return total / 1e6


def stop(pid, fd):
    try:
        os.kill(pid, 15)
    except OSError:
        pass
    os.waitpid(pid, 0)
    os.close(fd)


STARTS = 9


def starts(programs, env):
    """Starts each program STARTS times, taking turns, so that load on the machine falls on all
    alike; per program the medians of: first complete frame (ms), CPU time until then (ms), peak
    RSS at that point (MB)."""
    seen = {name: [] for name, _ in programs}
    for _ in range(STARTS):
        for name, argv in programs:
            pid, fd = spawn(argv, env)
            first = first_frame(fd)
            seen[name].append((first * 1000 if first else float("nan"), cpu_ms(pid) or float("nan"), (peak_rss_kb(pid) or 0) / 1024))
            stop(pid, fd)
    return {name: [statistics.median(column) for column in zip(*rows)] for name, rows in seen.items()}


def typing(fd, count=30):
    latencies, sizes = [], []
    for index in range(count):
        latency, size = key(fd, "abcdefghijklmnopqrstuvwxyz0123"[index % 30])
        if latency is not None:
            latencies.append(latency * 1000)
        sizes.append(size)
    return latencies, sizes


def row(figure, program, value, unit):
    print(f"| {figure} | {program} | {value} | {unit} |")


def backstage_session(binary, db, env):
    """Opens the console, switches tab and back, scrolls, opens the add form and types 30 keys
    in it: (latencies, bytes per key, peak RSS MB, bytes of the tab switch, of the scroll)."""
    pid, fd = spawn([binary, "--db", db], env)
    first_frame(fd)
    drain(fd, 0.2)
    _, tab = key(fd, "2")
    key(fd, "1")
    _, scroll = key(fd, "j")
    key(fd, "a")
    drain(fd, 0.2)
    latencies, sizes = typing(fd)
    rss = (peak_rss_kb(pid) or 0) / 1024
    os.write(fd, b"\x03")  # Ctrl-C: the form asks first
    time.sleep(0.1)
    os.write(fd, b"y")
    os.waitpid(pid, 0)
    return latencies, sizes, rss, tab, scroll


# Typing is measured in this many sessions of each program, taking turns: the latencies of one
# session move with whatever else the machine does then (a single pair read 1.3x-1.6x apart).
SESSIONS = 6


def typing_rows(program, latencies, sizes, rss):
    row(f"typed key, median latency ({SESSIONS} sessions of 30 keys, taking turns)", program, f"{statistics.median(latencies):.2f}", "ms")
    row("typed key, p95 latency", program, f"{sorted(latencies)[int(len(latencies) * 0.95) - 1]:.2f}", "ms")
    row("typed key, bytes (median / max)", program, f"{statistics.median(sizes):.0f} / {max(sizes)}", "bytes")
    row("peak RSS", program, f"{rss:.1f}", "MB")


def measure_typing(binary, db, env, with_dialog):
    ours, theirs = ([], [], []), ([], [], [])
    for _ in range(SESSIONS):
        latencies, sizes, rss, tab, scroll = backstage_session(binary, db, env)
        ours[0].extend(latencies), ours[1].extend(sizes), ours[2].append(rss)
        if with_dialog:
            latencies, sizes, rss = dialog_session(env)
            theirs[0].extend(latencies), theirs[1].extend(sizes), theirs[2].append(rss)
    row("switch tab", "backstage", tab, "bytes")
    row("scroll one row", "backstage", scroll, "bytes")
    typing_rows("backstage", ours[0], ours[1], max(ours[2]))
    if with_dialog:
        typing_rows("dialog --form", theirs[0], theirs[1], max(theirs[2]))


DIALOG = ["dialog", "--form", "Outgoing OAuth Connection", "20", "70", "6",
            "Name:", "1", "1", "", "1", "16", "40", "0", "Client ID:", "2", "1", "", "2", "16", "40", "0",
            "Client Secret:", "3", "1", "", "3", "16", "40", "0", "Token URL:", "4", "1", "", "4", "16", "40", "0"]


def from_disk(path):
    """Drops the binary from the page cache, so that it is read as after an install: a file just
    written by the linker sits in the cache in other page groupings, which changes how much of it
    each fault maps (peak RSS moved by up to 2 MB between identical binaries)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


def measure_start(binary, db, env, with_dialog, floors=()):
    """`floors`: (name, binary) of benchmarks/floor's programs, the least a Swift console pays."""
    for path in [binary] + [path for _, path in floors]:
        from_disk(path)
    programs = [("backstage", [binary, "--db", db])] + ([("dialog --form", DIALOG)] if with_dialog else [])
    programs += [(name, [path, "--db", db]) for name, path in floors]
    for name, (frame, cpu, rss) in starts(programs, env).items():
        row(f"first complete frame (median of {STARTS} starts)", name, f"{frame:.1f}", "ms")
        row("CPU time, start to first frame and 150 ms quiet (all threads)", name, f"{cpu:.1f}", "ms")
        row("peak RSS at the first frame", name, f"{rss:.1f}", "MB")


def dialog_session(env):
    """`dialog --form`, 30 keys typed: (latencies, bytes per key, peak RSS MB)."""
    pid, fd = spawn(DIALOG, env)
    first_frame(fd)
    latencies, sizes = typing(fd)
    rss = (peak_rss_kb(pid) or 0) / 1024
    os.write(fd, b"\x1b")
    time.sleep(0.2)
    try:
        os.kill(pid, 15)
    except OSError:
        pass
    os.waitpid(pid, 0)
    return latencies, sizes, rss


if __name__ == "__main__":
    binary, db = sys.argv[1], sys.argv[2]
    # Optional: benchmarks/floor's bin directory.
    floor_bin = sys.argv[3] if len(sys.argv) > 3 else None
    floors = [(f"floor: {name} (benchmarks/floor)", os.path.join(floor_bin, name)) for name in ("floor-swift", "floor-foundation")
              if floor_bin and os.access(os.path.join(floor_bin, name), os.X_OK)]
    # The same floor in a binary that carries all of backstage (Sources/floor-libraries), built beside it.
    carrying = os.path.join(os.path.dirname(binary), "floor-libraries")
    if os.access(carrying, os.X_OK):
        floors.append(("floor: floor-libraries (all of backstage linked in)", carrying))
    env = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8", COLUMNS="100", LINES="30")
    env.pop("NO_COLOR", None)
    print("| figure | program | value | unit |")
    print("|---|---|---|---|")
    has_dialog = any(os.access(os.path.join(p, "dialog"), os.X_OK) for p in os.environ.get("PATH", "").split(":"))
    measure_start(binary, db, env, has_dialog, floors)
    measure_typing(binary, db, env, has_dialog)
    if not has_dialog:
        print("| (dialog is not installed: apt-get install dialog) | dialog --form | - | - |")
