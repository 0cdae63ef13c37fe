"""The report's PDF: its charts drawn, its layout, its tags; and, for the one-shot report
command, all of it prepared in processes of their own before Django starts.

`manage.py render_report` would otherwise spend, one after another on one core: about 0.8 s
importing WeasyPrint, 0.5 s setting Django up, 0.4 s reading the analysis and making the HTML,
and 0.6 s starting plotly-print's JavaScript engine and drawing the two charts. Forked at the
very start (manage.py), one child imports WeasyPrint and pikepdf while another starts the
chart engine, on the other core, while the command sets Django up and makes the HTML. The
chart child then draws what it is sent and the layout child lays out the HTML and adds the
tags WeasyPrint leaves out; the command takes about as long as WeasyPrint alone on the same
HTML (bench/bench_production.py).

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


def layout(html: str, base_url: str) -> bytes:
    """The one way a report's PDF is laid out: A4 from the HTML's own stylesheet, tagged
    PDF/UA-1 (pdf_tags must be given to write_pdf too, or the structure tree is left out),
    with the table headers' scope WeasyPrint leaves out (boligsosial/pdf_tagging.py)."""
    from weasyprint import HTML  # about 0.8 s: only where a PDF is made

    from boligsosial.pdf_tagging import add_header_scopes

    pdf = HTML(string=html, base_url=base_url).write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)
    return add_header_scopes(pdf)


def draw_charts(charts: Sequence[tuple[Figure, str]]) -> list[str]:
    """Each (figure, text alternative) as an SVG document, in order: in the chart process
    manage.py started, when there is one."""
    started = _take("charts")
    if started is not None:
        return json.loads(started.run(json.dumps(charts).encode()))
    return [figure_to_svg(figure, title=title) for figure, title in charts]


def lay_out(html: str, base_url: str) -> bytes:
    """`layout`, in the layout process manage.py started when there is one."""
    started = _take("layout")
    if isinstance(started, LayoutProcess):
        return started.layout(html, base_url)
    return layout(html, base_url)


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
    """A forked child that runs `prepare` at once, then waits for one request, answers it
    with `answer(request)` and ends."""

    # The parent's ends of every child's pipes: a child forked later closes its copies, or
    # an earlier child would never see the end of its request.
    _parent_ends: set[int] = set()

    def __init__(self, prepare: Callable[[], object], answer: Callable[[bytes], bytes]) -> None:
        request_read, self._request_write = os.pipe()
        self._answer_read, answer_write = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the child: never returns
            for fd in (self._request_write, self._answer_read, *Prestarted._parent_ends):
                os.close(fd)
            status = 0
            try:
                prepare()
                if request := _read_all(request_read):
                    _write_all(answer_write, answer(request))
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

    def run(self, request: bytes) -> bytes:
        _write_all(self._request_write, request)
        self._close(self._request_write)
        answer = _read_all(self._answer_read)
        self._close(self._answer_read)
        _pid, status = os.waitpid(self.pid, 0)
        if status != 0 or not answer:
            raise RuntimeError("A process preparing the PDF failed; see the error above.")
        return answer

    def cancel(self) -> None:
        for fd in (self._request_write, self._answer_read):
            with contextlib.suppress(OSError):
                self._close(fd)
        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGTERM)
            os.waitpid(self.pid, 0)


def _prepare_layout() -> None:
    import weasyprint  # noqa: F401 – the point of starting early

    import boligsosial.pdf_tagging  # noqa: F401 – pikepdf


def _answer_layout(request: bytes) -> bytes:
    base_url, _, html = request.decode("utf-8").partition("\0")
    return layout(html, base_url)


def _prepare_charts() -> None:
    from plotly_print.engine import get_engine

    get_engine()  # plotly.js read into QuickJS: most of a first chart's time


def _answer_charts(request: bytes) -> bytes:
    charts = json.loads(request)
    return json.dumps([figure_to_svg(figure, title=title) for figure, title in charts]).encode()


class LayoutProcess(Prestarted):
    """A process that lays out one report: WeasyPrint imported before it is asked."""

    def __init__(self) -> None:
        super().__init__(_prepare_layout, _answer_layout)

    def layout(self, html: str, base_url: str) -> bytes:
        return self.run(f"{base_url}\0{html}".encode())


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


def _take(kind: str) -> Prestarted | None:
    """The process of this kind manage.py started, once (None in any other process)."""
    return _prestarted.pop(kind, None)


def cancel_prestarted() -> None:
    """End the processes nobody used (an error, a report without charts, HTML output)."""
    while _prestarted:
        _kind, started = _prestarted.popitem()
        started.cancel()


if __name__ == "__main__":  # pragma: no cover
    sys.exit("Use manage.py render_report.")
