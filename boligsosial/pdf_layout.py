"""WeasyPrint in a process of its own, started before Django, for the one-shot report command.

`manage.py render_report` spends about 0.8 s importing WeasyPrint and about as long reading
the analysis and drawing the chart, both on one core, before the layout itself. Forked at the
very start (manage.py), a child imports WeasyPrint on the other core while the command sets
Django up and makes the HTML; it then gets the HTML through a pipe, lays it out and sends the
PDF back. The command then takes about as long as WeasyPrint alone on the same HTML
(bench/bench_production.py). Everything else (the web, the workers, the tests) lays PDFs out
in its own process (reports.services.html_to_pdf); where fork() is missing, so does this.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import traceback

_prestarted: LayoutProcess | None = None


def layout(html: str, base_url: str) -> bytes:
    """The one way a report's PDF is laid out: A4 from the HTML's own stylesheet, tagged
    PDF/UA-1 (pdf_tags must be given to write_pdf too, or the structure tree is left out)."""
    from weasyprint import HTML  # about 0.8 s: only where a PDF is made

    return HTML(string=html, base_url=base_url).write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 1 << 16):
        chunks.append(chunk)
    return b"".join(chunks)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


class LayoutProcess:
    def __init__(self) -> None:
        html_read, self._html_write = os.pipe()
        self._pdf_read, pdf_write = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the child: never returns
            os.close(self._html_write)
            os.close(self._pdf_read)
            status = 0
            try:
                import weasyprint  # noqa: F401 – the point of starting early

                request = _read_all(html_read)
                if request:
                    base_url, _, html = request.decode("utf-8").partition("\0")
                    _write_all(pdf_write, layout(html, base_url))
            except BaseException:
                traceback.print_exc()
                status = 1
            finally:
                os._exit(status)
        os.close(html_read)
        os.close(pdf_write)

    def layout(self, html: str, base_url: str) -> bytes:
        _write_all(self._html_write, f"{base_url}\0{html}".encode())
        os.close(self._html_write)
        pdf = _read_all(self._pdf_read)
        os.close(self._pdf_read)
        _pid, status = os.waitpid(self.pid, 0)
        if status != 0 or not pdf:
            raise RuntimeError("The PDF layout process failed; see the error above.")
        return pdf

    def cancel(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self._html_write)
            os.close(self._pdf_read)
        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGTERM)
            os.waitpid(self.pid, 0)


def prestart_for(argv: list[str]) -> None:
    """From manage.py: start the layout process when the command will make a PDF."""
    global _prestarted
    if argv[1:2] == ["render_report"] and "html" not in argv and hasattr(os, "fork"):
        if "-h" in argv or "--help" in argv:
            return
        _prestarted = LayoutProcess()


def take_prestarted() -> LayoutProcess | None:
    """The layout process manage.py started, once (None in any other process)."""
    global _prestarted
    started, _prestarted = _prestarted, None
    return started


def cancel_prestarted() -> None:
    started = take_prestarted()
    if started is not None:
        started.cancel()


if __name__ == "__main__":  # pragma: no cover
    sys.exit("Use manage.py render_report.")
