"""A local stand-in for the oEmbed providers: answers from tests/data/oembed/, or as a test tells it to.

`/youtube?url=…` answers youtube.json, and so on by provider name. A test may set `server.answers[name]` to
(status, headers, body) or to "hang" (accept, never answer until the test ends), and reads `server.requests`.
"""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(__file__).parent / "data" / "oembed"
PORTS = range(8150, 8160)


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 -- the standard library's name
        server = self.server
        name = self.path.split("?")[0].strip("/")
        server.requests.append(self.path)
        answer = server.answers.get(name)
        if answer == "hang":
            server.release.wait(30)
            return
        if answer is None:
            fixture = FIXTURES / f"{name}.json"
            if not fixture.exists():
                answer = (404, {}, b"not found")
            else:
                answer = (200, {"Content-Type": "application/json"}, fixture.read_bytes())
        status, headers, body = answer
        self.send_response(status)
        for header, value in headers.items():
            self.send_header(header, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def start() -> ThreadingHTTPServer:
    """A server on the first free port of ours (8150-8159), serving in a daemon thread."""
    for port in PORTS:
        try:
            server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        except OSError:
            continue
        server.daemon_threads = True
        server.answers, server.requests, server.release = {}, [], threading.Event()
        server.url = f"http://127.0.0.1:{port}"
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server
    raise RuntimeError("no free port in 8150-8159 for the fake oEmbed server")


def stop(server) -> None:
    server.release.set()
    server.shutdown()
    server.server_close()
