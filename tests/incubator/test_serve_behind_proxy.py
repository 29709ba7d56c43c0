"""`incubator serve` as deployed: JSON log lines on stderr, and forwarded headers
believed only from the proxy addresses in INCUBATOR_FORWARDED_ALLOW_IPS."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def access_line_for(data_dir: Path, allow: str) -> dict[str, Any]:
    """Serve, send one request as if through a proxy, stop; its access log line."""
    port = free_port()
    env = {**os.environ, "INCUBATOR_FORWARDED_ALLOW_IPS": allow}
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "incubator"), "serve", "--port", str(port),
         "--data-dir", str(data_dir)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        url, deadline = f"http://127.0.0.1:{port}", time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/healthz", timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, "no server"
                time.sleep(0.2)
        request = urllib.request.Request(f"{url}/readyz", headers={
            "X-Forwarded-For": "203.0.113.7", "X-Request-ID": "via-proxy"})
        urllib.request.urlopen(request, timeout=10).close()
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=30)
    lines = [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]
    assert len(lines) == len(stderr.splitlines()), f"not all JSON:\n{stderr}"
    (line,) = [x for x in lines if x.get("request_id") == "via-proxy"]
    return line


@pytest.mark.parametrize(("allow", "client"), [("127.0.0.1", "203.0.113.7"),
                                               ("10.1.2.3", "127.0.0.1")])
def test_forwarded_for_is_believed_only_from_the_proxy(tmp_path: Path, allow: str,
                                                       client: str) -> None:
    line = access_line_for(tmp_path, allow)
    assert (line["client"], line["path"], line["status"]) == (client, "/readyz", 200)
