"""A local stand-in for SSB's PxWebApi 2 and KLASS on loopback: answers written from SSB's
documented formats, selected by the query's `valueCodes[...]` like the real API, and a script
of troubles (429 with Retry-After, 503, a timeout, a malformed body) for the next queries."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, unquote, urlsplit

from tests.keyfigures.ssb.answers import PER_1000, REGION, dataset

API = "/api/pxwebapi/v2"
KLASS = "/api/klass/v1"


@dataclass
class Table:
    regions: dict[str, str]
    years: list[str]
    cells: dict[tuple, object]
    updated: str = "2025-06-16T06:00:00Z"
    contents: dict[str, str] = field(
        default_factory=lambda: {PER_1000: "Kommunalt disponerte boliger per 1000 innbyggere"}
    )


@dataclass
class Trouble:
    status: int = 200
    body: bytes | None = None
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)


class SSBServer:
    def __init__(self):
        self.tables: dict[str, Table] = {}
        self.klass: dict[str, object] = {}  # path after /api/klass/v1/ → JSON answer
        self.troubles: list[tuple[str, Trouble]] = []  # (path prefix, trouble), in order
        self.requests: list[tuple[float, str]] = []
        self._lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def trouble(self, prefix: str, *troubles: Trouble) -> None:
        with self._lock:
            self.troubles += [(prefix, t) for t in troubles]

    def _next_trouble(self, path: str) -> Trouble | None:
        with self._lock:
            for n, (prefix, trouble) in enumerate(self.troubles):
                if path.startswith(prefix):
                    del self.troubles[n]
                    return trouble
        return None

    def data_requests(self) -> list[str]:
        return [p for _t, p in self.requests if "/data?" in p]

    def answer(self, path: str, query: dict[str, str]) -> tuple[int, object]:
        if path.startswith(KLASS + "/"):
            key = path[len(KLASS) + 1 :]
            if key in self.klass:
                return 200, self.klass[key]
            return 404, {"error": "not found"}
        parts = path[len(API) :].strip("/").split("/")
        if len(parts) != 3 or parts[0] != "tables" or parts[1] not in self.tables:
            return 404, {"type": "Not found", "title": "No such table"}
        table = self.tables[parts[1]]
        if parts[2] == "metadata":
            document = dataset(
                regions=table.regions,
                years=table.years,
                contents=table.contents,
                updated=table.updated,
                table=parts[1],
            )
            document.pop("value")
            document.pop("status")
            return 200, document
        if parts[2] != "data" or query.get("outputFormat") != "json-stat2":
            return 400, {"title": "Bad request"}
        selection = {
            key[len("valueCodes[") : -1]: value.split(",")
            for key, value in query.items()
            if key.startswith("valueCodes[")
        }

        def pick(codes: dict | list, dimension: str):
            chosen = selection.get(dimension, ["*"])
            if chosen == ["*"]:
                return codes
            unknown = set(chosen) - set(codes)
            if unknown:
                raise LookupError(f"{dimension}: {sorted(unknown)}")
            if isinstance(codes, dict):
                return {code: label for code, label in codes.items() if code in chosen}
            return [code for code in codes if code in chosen]

        try:
            regions = pick(table.regions, REGION)
            contents = pick(table.contents, "ContentsCode")
            years = pick(table.years, "Tid")
        except LookupError as error:
            return 400, {"title": f"Unknown value codes {error}"}
        return 200, dataset(
            regions=regions,
            years=years,
            contents=contents,
            cells=table.cells,
            updated=table.updated,
            table=parts[1],
        )

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - the name http.server calls
                split = urlsplit(self.path)
                server.requests.append((time.monotonic(), unquote(self.path)))
                trouble = server._next_trouble(split.path)
                if trouble is not None:
                    time.sleep(trouble.delay)
                    if trouble.status != 200 or trouble.body is not None:
                        self._send(trouble.status, trouble.body or b"", trouble.headers)
                        return
                query = dict(parse_qsl(split.query, keep_blank_values=True))
                status, document = server.answer(split.path, query)
                self._send(status, json.dumps(document).encode(), {})

            def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                    self.send_header("Content-Length", str(len(body)))
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (the timeout test)

            def log_message(self, format, *args):  # noqa: A002 - http.server's signature
                pass

        return Handler

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
