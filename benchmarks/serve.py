#!/usr/bin/env python3
"""The console over SSH: `backstage serve` on 127.0.0.1, the real OpenSSH client in a
pseudo-terminal (100x30) through a counting TCP relay. Figures: time from starting `ssh` to the
first complete frame, and bytes per typed key on the terminal and on the wire (encrypted SSH
packets, server to client), beside the local console's. Prints Markdown table rows."""
import os, socket, statistics, subprocess, sys, tempfile, threading, time
sys.path.insert(0, os.path.dirname(__file__))
from terminal import spawn, first_frame, drain, typing, row  # noqa: E402


class Relay:
    """127.0.0.1:port → target, counting the bytes the server sends."""

    def __init__(self, target_port):
        self.target_port, self.down = target_port, 0
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(4)
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            client, _ = self.listener.accept()
            server = socket.create_connection(("127.0.0.1", self.target_port))
            for sock in (client, server):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            threading.Thread(target=self.pipe, args=(client, server, False), daemon=True).start()
            threading.Thread(target=self.pipe, args=(server, client, True), daemon=True).start()

    def pipe(self, source, sink, count):
        while True:
            try:
                data = source.recv(65536)
            except OSError:
                data = b""
            if not data:
                for sock in (source, sink):
                    try:
                        sock.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass
                return
            if count:
                self.down += len(data)
            try:
                sink.sendall(data)
            except OSError:
                return


def main(binary, db):
    work = tempfile.mkdtemp()
    key = os.path.join(work, "id")
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "bench@here", "-f", key], check=True)
    keys = os.path.join(work, "authorized_keys")
    with open(keys, "w") as out:
        out.write(open(key + ".pub").read())
    os.chmod(keys, 0o600)
    env = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8")
    env.pop("NO_COLOR", None)
    env.pop("SSH_AUTH_SOCK", None)
    server = subprocess.Popen([binary, "--db", db, "serve", "--listen", "127.0.0.1:0", "--authorized-keys", keys],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    lines = [server.stdout.readline() for _ in range(3)]
    port = int(lines[0].strip().rsplit(":", 1)[1])
    known = os.path.join(work, "known_hosts")
    relay = Relay(port)
    with open(known, "w") as out:
        out.write(lines[2].split(" ", 1)[1].replace(f"]:{port} ", f"]:{relay.port} "))
    ssh = ["ssh", "-F", "/dev/null", "-o", "IdentitiesOnly=yes", "-o", f"IdentityFile={key}", "-o", f"UserKnownHostsFile={known}",
           "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes", "-o", "LogLevel=ERROR", "-p", str(relay.port), "-tt",
           "backstage@127.0.0.1"]
    try:
        pid, fd = spawn(ssh, env)
        first = first_frame(fd, timeout=20)
        row("ssh start to first complete frame", "backstage serve", f"{first * 1000:.1f}" if first else "timeout", "ms")
        drain(fd, 0.3)
        os.write(fd, b"a")  # the Add form, as in the local figures
        drain(fd, 0.3)
        before = relay.down
        latencies, sizes = typing(fd)
        wire = (relay.down - before) / len(sizes)
        row("typed key, median latency", "backstage serve", f"{statistics.median(latencies):.2f}", "ms")
        row("typed key, terminal bytes (median / max)", "backstage serve", f"{statistics.median(sizes):.0f} / {max(sizes)}", "bytes")
        row("typed key, SSH wire bytes server→client (mean)", "backstage serve", f"{wire:.0f}", "bytes")
        os.write(fd, b"\x03")
        time.sleep(0.1)
        os.write(fd, b"y")
        os.waitpid(pid, 0)
    finally:
        server.terminate()
        server.wait(timeout=15)
        subprocess.run(["rm", "-rf", work])


if __name__ == "__main__":
    print("| figure | program | value | unit |")
    print("|---|---|---|---|")
    main(sys.argv[1], sys.argv[2])
