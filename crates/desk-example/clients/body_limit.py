#!/usr/bin/env python3
"""Real HTTP clients against a running desk-example: a body over the server's limit must come
back as the 413 and its JSON body, not as a broken pipe or a reset connection.

    python3 crates/desk-example/clients/body_limit.py http://127.0.0.1:8080 KEY [--rounds N]

Clients: Python's urllib (standard library), requests (when importable), curl (when on PATH,
with and without `Expect: 100-continue`), and Node's fetch (when `node` is on PATH; it runs
body_limit.mjs beside this file). Each sends bodies of 1 MiB + 1 byte, 2 MiB and 6 MiB to a
server with the default 1 MiB limit (and 8 MiB read-through bound), with a Content-Length and
chunked, `--rounds` times each (default 5). After them, a small request must still succeed.

Prints one line per client and case with how many rounds saw the 413, then how many cases
passed, and exits 1 if any round did not see it (or a client named by --require is missing).
"""

import argparse
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request

PATH = "/desk/api/v2/conversations.json"
LIMIT = 1024 * 1024
SIZES = {"1MiB+1": LIMIT + 1, "2MiB": 2 * LIMIT, "6MiB": 6 * LIMIT}
EXPECTED = {"errors": {"body": [f"must be at most {LIMIT} bytes"]}}


def payload(size):
    """A JSON document of exactly `size` bytes."""
    head, tail = b'{"socket_id": "', b'"}'
    return head + b"x" * (size - len(head) - len(tail)) + tail


def chunks(data, size=64 * 1024):
    for start in range(0, len(data), size):
        yield data[start : start + size]


def verdict(status, body):
    """'413' when the answer is the expected one, else what was seen."""
    try:
        parsed = json.loads(body)
    except ValueError:
        parsed = body[:80]
    if status == 413 and parsed == EXPECTED:
        return "413"
    return f"status {status}: {parsed!r}"


def failure(err):
    return f"{type(err).__name__}: {err}"


def urllib_post(base, key, data, chunked):
    body = chunks(data) if chunked else data
    request = urllib.request.Request(base + PATH, data=body, method="POST")
    request.add_header("Authorization", f"Bearer {key}")
    request.add_header("Content-Type", "application/json")
    if not chunked:
        request.add_header("Content-Length", str(len(data)))
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return verdict(response.status, response.read())
    except urllib.error.HTTPError as err:
        return verdict(err.code, err.read())
    except (OSError, http.client.HTTPException) as err:
        return failure(getattr(err, "reason", err))


def requests_post(requests, base, key, data, chunked):
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    try:
        response = requests.post(base + PATH, data=chunks(data) if chunked else data, headers=headers, timeout=30)
        return verdict(response.status_code, response.content)
    except requests.RequestException as err:
        return failure(err)


def curl_post(base, key, data, chunked, expect):
    with tempfile.NamedTemporaryFile(suffix=".json") as file:
        file.write(data)
        file.flush()
        command = ["curl", "-sS", "--max-time", "30", "-o", "-", "-w", "\n%{http_code}", "-X", "POST",
                   "-H", f"Authorization: Bearer {key}", "-H", "Content-Type: application/json",
                   "--data-binary", f"@{file.name}", base + PATH]
        if chunked:
            command[1:1] = ["-H", "Transfer-Encoding: chunked"]
        if not expect:
            command[1:1] = ["-H", "Expect:"]
        run = subprocess.run(command, capture_output=True, timeout=60)
    if run.returncode != 0:
        return f"curl exit {run.returncode}: {run.stderr.decode(errors='replace').strip()}"
    body, _, status = run.stdout.rpartition(b"\n")
    return verdict(int(status), body)


def still_serves(base, key):
    request = urllib.request.Request(base + PATH + "?pageSize=1")
    request.add_header("Authorization", f"Bearer {key}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status == 200
    except (OSError, http.client.HTTPException):
        return False


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base")
    parser.add_argument("key")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--require", default="", help="comma-separated clients that must be present")
    args = parser.parse_args()
    base = args.base.rstrip("/")

    clients = {"urllib": lambda data, chunked: urllib_post(base, args.key, data, chunked)}
    missing = []
    try:
        import requests

        clients[f"requests {requests.__version__}"] = lambda data, chunked: requests_post(
            requests, base, args.key, data, chunked)
    except ImportError:
        missing.append("requests")
    if shutil.which("curl"):
        clients["curl"] = lambda data, chunked: curl_post(base, args.key, data, chunked, expect=True)
        clients["curl, no Expect"] = lambda data, chunked: curl_post(base, args.key, data, chunked, expect=False)
    else:
        missing.append("curl")

    failed = False
    cases = {"passed": 0, "failed": 0}
    print(f"python {sys.version.split()[0]}")
    for name, post in clients.items():
        for label, size in SIZES.items():
            data = payload(size)
            for chunked in (False, True):
                seen = [post(data, chunked) for _ in range(args.rounds)]
                good = seen.count("413")
                framing = "chunked" if chunked else "Content-Length"
                others = sorted(set(s for s in seen if s != "413"))
                print(f"{name:<20} {label:<7} {framing:<15} {good}/{args.rounds} saw the 413"
                      + (f"; others: {others}" if others else ""))
                failed |= good != args.rounds
                cases["passed" if good == args.rounds else "failed"] += 1

    node = shutil.which("node")
    if node:
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "body_limit.mjs")
        run = subprocess.run([node, script, base, args.key, str(args.rounds)], timeout=600,
                             stdout=subprocess.PIPE, text=True)
        print(run.stdout, end="")
        for good, rounds in re.findall(r" (\d+)/(\d+) saw the 413", run.stdout):
            cases["passed" if good == rounds else "failed"] += 1
        failed |= run.returncode != 0
    else:
        missing.append("fetch")

    if not still_serves(base, args.key):
        print("the server no longer answers 200 to a small request")
        failed = True
    required = [name for name in args.require.split(",") if name]
    for name in missing:
        print(f"{name}: not available" + (" (required)" if name in required else ", skipped"))
        failed |= name in required
    # One line per case above; this one sums them up.
    print(f"body_limit: {cases['passed']} passed, {cases['failed']} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
