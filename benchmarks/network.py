#!/usr/bin/env python3
"""Network figures against a local token server (HTTP/1.1, keep-alive, started here):
whole-process `backstage connections validate` beside `curl` sending the same POST and beside
validate's floors (floor-libraries: the binary that carries all of backstage, starting alone, then
reading the connection with SQLite's C API and posting over a plain socket, then posting with
AsyncHTTPClient), all taking turns; and token fetches per second in one process (backstage-bench
tokens) beside one curl process fetching over a single keep-alive connection. Prints Markdown table rows.
Usage: network.py BACKSTAGE BACKSTAGE_BENCH WORKDIR [FLOOR_LIBRARIES]"""
import http.server, json, os, statistics, subprocess, sys, threading, time

BODY = json.dumps({"access_token": "bench-token", "token_type": "Bearer", "expires_in": 3600}).encode()
FORM = "grant_type=client_credentials&client_id=bench-client&client_secret=bench-secret"


class TokenHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        # One write: headers and body in separate segments meet delayed ACKs (40 ms a request).
        self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" % (len(BODY), BODY))

    def log_message(self, *args):
        pass


def timed(argv, **kwargs):
    start = time.monotonic()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, **kwargs)
    return (time.monotonic() - start) * 1000


def row(figure, program, value, unit):
    print(f"| {figure} | {program} | {value} | {unit} |", flush=True)


def main(backstage, bench, workdir, floor=None):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), TokenHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/oauth/token"
    db = os.path.join(workdir, "network.sqlite")
    subprocess.run([backstage, "--db", db, "connections", "add", "--name", "Bench IdP", "--client-id", "bench-client",
                    "--token-url", url, "--audience", "https://bench.example.com/*", "--client-secret-stdin"],
                   input=b"bench-secret\n", check=True, stdout=subprocess.DEVNULL)
    form_file = os.path.join(workdir, "form")
    with open(form_file, "w") as out:
        out.write(FORM)
    os.chmod(form_file, 0o600)

    whole = "whole process (median of 21, taking turns)"
    runs = [
        (f"validate, {whole}", "backstage connections validate", [backstage, "--db", db, "connections", "validate", "Bench IdP"]),
        (f"the same POST, {whole}", "curl", ["curl", "-sf", "-o", "/dev/null", "-H", "Accept: application/json", "--data-binary",
                                            f"@{form_file}", url]),
    ]
    if floor:
        runs += [
            (f"validate's floor, {whole}", "floor-libraries --exit: the binary's start alone", [floor, "--exit"]),
            (f"validate's floor, {whole}", "floor-libraries --token-socket: and the read, and the POST over a plain socket",
             [floor, "--token-socket", db, "Bench IdP"]),
            (f"validate's floor, {whole}", "floor-libraries --token-ahc: the same POST with AsyncHTTPClient",
             [floor, "--token-ahc", db, "Bench IdP"]),
        ]
    times = [[] for _ in runs]
    for _ in range(21):
        for index, (_, _, argv) in enumerate(runs):
            times[index].append(timed(argv))
    print("| figure | program | value | unit |")
    print("|---|---|---|---|")
    for (figure, program, _), taken in zip(runs, times):
        row(figure, program, f"{statistics.median(taken):.1f}", "ms")

    count = 1000
    fetches = subprocess.run([bench, "tokens", "--url", url, "--count", str(count)], check=True, capture_output=True, text=True)
    row(f"token fetches per second, one process, {count} in a row", "backstage TokenClient", fetches.stdout.strip(), "fetches/s")
    config = os.path.join(workdir, "curl.config")
    with open(config, "w") as out:
        out.write(f'data-binary = "@{form_file}"\nheader = "Accept: application/json"\nsilent\n')
        out.write(f'url = "{url}"\noutput = "/dev/null"\n' * count)
    elapsed = timed(["curl", "-K", config]) / 1000
    row(f"token fetches per second, one process, {count} in a row", "curl (one keep-alive connection)", f"{count / elapsed:.0f}", "fetches/s")
    server.shutdown()


if __name__ == "__main__":
    main(*sys.argv[1:5])
