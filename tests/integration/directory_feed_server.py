"""A local HTTP JSON feed of students for the sync tests: a real server in a thread, pages
linked by `next`, and a bearer token it checks."""

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

TOKEN = "feed-token-123"


@dataclass
class Feed:
    url: str
    pages: list[list[dict[str, Any]]] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


def _handler(feed: Feed) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            feed.requests.append(self.path)
            if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                self._send(401, {"error": "token required"})
                return
            page = int(parse_qs(urlsplit(self.path).query).get("cursor", ["0"])[0])
            items = feed.pages[page] if page < len(feed.pages) else []
            following = f"/students?cursor={page + 1}" if page + 1 < len(feed.pages) else None
            self._send(200, {"students": items, "next": following})

        def _send(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler


@contextmanager
def feed_server() -> Iterator[Feed]:
    feed = Feed(url="")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(feed))
    feed.url = f"http://127.0.0.1:{server.server_address[1]}/students"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield feed
    finally:
        server.shutdown()
        server.server_close()
