"""The report's PDF: its charts drawn, its layout, its tags; and, for the one-shot report
command, all of it prepared in processes of their own before Django starts.

`manage.py render_report` would otherwise spend, one after another on one core: about 0.8 s
importing WeasyPrint, 0.5 s setting Django up, 0.4 s reading the analysis and making the HTML,
and 0.6 s starting plotly-print's JavaScript engine and drawing the two charts. Forked at the
very start (manage.py), one child imports WeasyPrint and pikepdf while another starts the
chart engine, on the other core, while the command sets Django up and makes the HTML. The
layout child then gets the HTML and starts at once; the chart child draws the charts
meanwhile, and they reach the layout child by the time WeasyPrint asks for its first image
(a few tenths of a second in). The tags WeasyPrint leaves out are added there too. The
command takes about as long as WeasyPrint alone on the same HTML (bench/bench_production.py).

Everything else (the web, the workers, the tests) draws and lays out in its own process
(reports.services); where fork() is missing, so does this.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sys
import traceback
from collections.abc import Callable, Sequence

from boligsosial.charts import Figure, figure_to_svg

_prestarted: dict[str, Prestarted] = {}


def layout(html: str, base_url: str, charts: Callable[[], dict[str, str]] | None = None) -> bytes:
    """The one way a report's PDF is laid out: A4 from the HTML's own stylesheet, tagged
    PDF/UA-1 (pdf_tags must be given to write_pdf too, or the structure tree is left out),
    with the table headers' scope WeasyPrint leaves out (boligsosial/pdf_tagging.py).

    `charts`, when given, is asked for the charts' SVGs (by their placeholder URL in the HTML)
    when WeasyPrint first needs one, a few tenths of a second into the layout."""
    from weasyprint import HTML  # about 0.8 s: only where a PDF is made

    from boligsosial.pdf_tagging import add_header_scopes

    fetcher = _chart_fetcher(charts) if charts is not None else None
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    return add_header_scopes(document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True))


def _chart_fetcher(charts: Callable[[], dict[str, str]]):
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    class ChartFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if not url.startswith(CHART_URL):
                return super().fetch(url, headers)
            # WeasyPrint would draw the text alternative instead of a chart it failed to
            # load, and write the PDF as if nothing were wrong: stop it.
            try:
                body = charts()[url].encode("utf-8")
            except Exception as error:
                raise FatalURLFetchingError(f"the chart {url} did not arrive") from error
            return URLFetcherResponse(url, body, {"Content-Type": "image/svg+xml"})

    return ChartFetcher()


# Where the PDF's HTML puts a chart still to be drawn (reports.services).
CHART_URL = "about:blank#"

FAILED = "A process preparing the PDF failed; see the error above."


def draw_charts(charts: Sequence[tuple[Figure, str]]) -> list[str]:
    """Each (figure, text alternative) as an SVG document, in order."""
    return [figure_to_svg(figure, title=title) for figure, title in charts]


def is_prestarted() -> bool:
    """Whether manage.py started the chart and layout processes (render_report)."""
    return "layout" in _prestarted


def lay_out_prestarted(
    html: str, base_url: str, charts: Sequence[tuple[str, Figure, str]]
) -> bytes:
    """The PDF from the processes manage.py started: the layout process gets the HTML at
    once and starts; the chart process draws each (placeholder URL, figure, text alternative)
    meanwhile, and the layout process gets the SVGs when it reaches the first chart."""
    layout_process, chart_process = _prestarted.pop("layout"), _prestarted.pop("charts")
    placeholders = [placeholder for placeholder, _figure, _alt in charts]
    try:
        layout_process.send(
            json.dumps({"base_url": base_url, "html": html, "charts": placeholders})
        )
        if charts:
            svgs = json.loads(chart_process.run(json.dumps([[f, alt] for _p, f, alt in charts])))
            layout_process.send(json.dumps(dict(zip(placeholders, svgs, strict=True))))
        else:
            chart_process.cancel()
        return layout_process.result()
    except BaseException:
        # One failed: the other must not wait for what will never come.
        chart_process.cancel()
        layout_process.cancel()
        raise


def _read_exactly(fd: int, size: int) -> bytes | None:
    chunks, left = [], size
    while left:
        chunk = os.read(fd, min(left, 1 << 16))
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _read_message(fd: int) -> bytes | None:
    """One message (its length, then itself), or None when the sender closed the pipe."""
    head = _read_exactly(fd, 8)
    return None if head is None else _read_exactly(fd, int.from_bytes(head, "big"))


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 1 << 16):
        chunks.append(chunk)
    return b"".join(chunks)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


class Prestarted:
    """A forked child that runs `prepare` at once, then waits for a message, answers it with
    `answer(message, receive)` (`receive` waits for the next message) and ends."""

    # The parent's ends of every child's pipes: a child forked later closes its copies, or
    # an earlier child would never see the end of its messages.
    _parent_ends: set[int] = set()

    def __init__(
        self,
        prepare: Callable[[], object],
        answer: Callable[[bytes, Callable[[], bytes]], bytes],
    ) -> None:
        request_read, self._request_write = os.pipe()
        self._answer_read, answer_write = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the child: never returns
            for fd in (self._request_write, self._answer_read, *Prestarted._parent_ends):
                os.close(fd)
            status = 0
            try:
                prepare()
                if (message := _read_message(request_read)) is not None:

                    def receive() -> bytes:
                        if (more := _read_message(request_read)) is None:
                            raise EOFError("the command sent less than the process needs")
                        return more

                    _write_all(answer_write, answer(message, receive))
            except BaseException:
                traceback.print_exc()
                status = 1
            finally:
                os._exit(status)
        os.close(request_read)
        os.close(answer_write)
        Prestarted._parent_ends |= {self._request_write, self._answer_read}

    def _close(self, fd: int) -> None:
        Prestarted._parent_ends.discard(fd)
        os.close(fd)

    def send(self, message: str) -> None:
        data = message.encode("utf-8")
        try:
            _write_all(self._request_write, len(data).to_bytes(8, "big") + data)
        except BrokenPipeError:
            raise RuntimeError(FAILED) from None

    def result(self) -> bytes:
        self._close(self._request_write)
        answer = _read_all(self._answer_read)
        self._close(self._answer_read)
        _pid, status = os.waitpid(self.pid, 0)
        self.pid = None  # reaped: cancel() must not signal a number the system may reuse
        if status != 0 or not answer:
            raise RuntimeError(FAILED)
        return answer

    def run(self, message: str) -> bytes:
        self.send(message)
        return self.result()

    def cancel(self) -> None:
        for fd in (self._request_write, self._answer_read):
            with contextlib.suppress(OSError):
                self._close(fd)
        if self.pid is not None:
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGTERM)
                os.waitpid(self.pid, 0)
            self.pid = None


def _prepare_layout() -> None:
    import weasyprint  # noqa: F401 – the point of starting early

    import boligsosial.pdf_tagging  # noqa: F401 – pikepdf


def _answer_layout(message: bytes, receive: Callable[[], bytes]) -> bytes:
    request = json.loads(message)
    if not request["charts"]:
        return layout(request["html"], request["base_url"])
    svgs: dict[str, str] = {}

    def charts() -> dict[str, str]:
        if not svgs:
            svgs.update(json.loads(receive()))
        return svgs

    pdf = layout(request["html"], request["base_url"], charts)
    # Taken even when no image asked for them: the command sends them before it reads the
    # PDF, and neither would ever finish once both fill their pipes.
    charts()
    return pdf


def _prepare_charts() -> None:
    from plotly_print.engine import get_engine

    get_engine()  # plotly.js read into QuickJS: most of a first chart's time


def _answer_charts(message: bytes, _receive: Callable[[], bytes]) -> bytes:
    return json.dumps(draw_charts(json.loads(message))).encode()


class LayoutProcess(Prestarted):
    """A process that lays out one report: WeasyPrint imported before it is asked."""

    def __init__(self) -> None:
        super().__init__(_prepare_layout, _answer_layout)

    def layout(self, html: str, base_url: str) -> bytes:
        return self.run(json.dumps({"base_url": base_url, "html": html, "charts": []}))


class ChartProcess(Prestarted):
    """A process that draws one report's charts: the chart engine started before it is asked."""

    def __init__(self) -> None:
        super().__init__(_prepare_charts, _answer_charts)


def prestart_for(argv: list[str]) -> None:
    """From manage.py: start the chart and layout processes when the command will make a PDF."""
    if argv[1:2] == ["render_report"] and "html" not in argv and hasattr(os, "fork"):
        if "-h" in argv or "--help" in argv:
            return
        _prestarted["charts"] = ChartProcess()
        _prestarted["layout"] = LayoutProcess()


def cancel_prestarted() -> None:
    """End the processes nobody used (an error, HTML output)."""
    while _prestarted:
        _kind, started = _prestarted.popitem()
        started.cancel()


if __name__ == "__main__":  # pragma: no cover
    sys.exit("Use manage.py render_report.")
