"""A client for Statistics Norway's open APIs: PxWebApi 2 (tables) and KLASS (classifications). It
keeps SSB's published limits: at most SSB_QUERIES_PER_MINUTE queries a minute to one address
(30; spread out in each process and counted across processes in the cache), at most
SSB_MAX_CELLS cells a query (800 000; larger queries are split by region), retries a 429 or 5xx
answer with a growing wait (or as long as Retry-After asks), gives up after SSB_TIMEOUT_SECONDS
without an answer, and says in Norwegian what failed when SSB cannot be reached.

PxWebApi 2 data query (GET):
    {SSB_API_URL}/tables/{id}/data?lang=no&outputFormat=json-stat2
        &valueCodes[ContentsCode]=KOSboligSper10000000&valueCodes[Tid]=2022,2023
        &valueCodes[KOKkommuneregion0000]=*
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Iterator
from email.utils import parsedate_to_datetime
from urllib.parse import quote, urlsplit

import requests
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

from keyfigures.jsonstat import TableMetadata, read_metadata

logger = logging.getLogger(__name__)

RETRY_STATUSES = {429, 500, 502, 503, 504}
# Longest wait a Retry-After header may ask for before the fetch gives up instead.
MAX_RETRY_AFTER_SECONDS = 300


class SSBUnavailable(Exception):
    """SSB could not be asked or did not answer usefully; the message says what failed."""


# SSB counts queries per address per minute; the shared count uses windows this long.
PACE_WINDOW_SECONDS = 60.0


class _Pace:
    """At most n queries a minute to each address: spread evenly within this process, and
    counted in the cache across processes (with Redis, every app server and worker share
    the count; with the local-memory cache it is this process's alone)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._next: dict[str, float] = {}

    def wait(self, address: str, per_minute: float) -> None:
        if per_minute <= 0:
            return
        interval = 60.0 / per_minute
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next.get(address, now))
            self._next[address] = start + interval
        if start > now:
            time.sleep(start - now)
        self._wait_for_a_shared_slot(address, per_minute * PACE_WINDOW_SECONDS / 60.0)

    @staticmethod
    def _wait_for_a_shared_slot(address: str, limit: float) -> None:
        while True:
            window = int(time.time() // PACE_WINDOW_SECONDS)
            key = f"ssb-pace:{address}:{window}"
            cache.add(key, 0, timeout=int(PACE_WINDOW_SECONDS * 2) + 1)
            try:
                taken = cache.incr(key)
            except ValueError:  # expired between add and incr: a new window
                continue
            if taken <= max(1, int(limit)):
                return
            time.sleep(max(0.0, (window + 1) * PACE_WINDOW_SECONDS - time.time()))


PACE = _Pace()


def _retry_after(response: requests.Response) -> float | None:
    header = response.headers.get("Retry-After")
    if not header:
        return None
    try:
        return max(float(header), 0.0)
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return None
    return max((moment - timezone.now()).total_seconds(), 0.0)


def value_codes(selection: dict[str, list[str]]) -> str:
    """`valueCodes[Dim]=a,b` for each dimension, brackets kept as PxWebApi 2 documents them."""
    return "&".join(
        f"valueCodes[{quote(dimension, safe='')}]={','.join(quote(c, safe='*') for c in codes)}"
        for dimension, codes in selection.items()
    )


class SSBClient:
    def __init__(
        self,
        *,
        api_url: str | None = None,
        klass_url: str | None = None,
        session: requests.Session | None = None,
    ):
        self.api_url = (api_url or settings.SSB_API_URL).rstrip("/")
        self.klass_url = (klass_url or settings.SSB_KLASS_URL).rstrip("/")
        self.session = session or requests.Session()
        self.session.headers.setdefault("Accept", "application/json")
        self.queries = 0

    def get(self, url: str, *, what: str) -> bytes:
        """One GET, paced, retried on 429 and 5xx; the body, or SSBUnavailable naming `what`."""
        address = urlsplit(url).netloc
        wait = settings.SSB_RETRY_SECONDS
        attempts = settings.SSB_RETRIES + 1
        for attempt in range(1, attempts + 1):
            give_up = False
            PACE.wait(address, settings.SSB_QUERIES_PER_MINUTE)
            self.queries += 1
            try:
                response = self.session.get(url, timeout=settings.SSB_TIMEOUT_SECONDS)
            except requests.Timeout:
                problem = _("SSB did not answer within %(seconds)s seconds") % {
                    "seconds": f"{settings.SSB_TIMEOUT_SECONDS:g}"
                }
            except requests.ConnectionError as error:
                logger.warning("SSB not reachable: %s", error)
                problem = _("could not connect to %(address)s (is the network or SSB down?)") % {
                    "address": address
                }
            except requests.RequestException as error:
                problem = str(error)[:200]
            else:
                if response.status_code == 200:
                    return response.content
                if response.status_code not in RETRY_STATUSES:
                    raise SSBUnavailable(
                        _("SSB refused %(what)s: HTTP %(status)s %(text)s")
                        % {
                            "what": what,
                            "status": response.status_code,
                            "text": response.text[:200].strip(),
                        }
                    )
                problem = _("SSB answered HTTP %(status)s") % {"status": response.status_code}
                asked = _retry_after(response)
                if asked is not None:
                    give_up = asked > MAX_RETRY_AFTER_SECONDS
                    wait = asked
            if attempt >= attempts or give_up:
                raise SSBUnavailable(
                    _("%(what)s failed after %(n)s attempts: %(problem)s.")
                    % {"what": what, "n": attempt, "problem": problem}
                )
            logger.info("SSB query failed (%s), retrying in %.1f s", problem, wait)
            time.sleep(wait)
            wait *= 2
        raise AssertionError("unreachable")  # pragma: no cover

    # --- PxWebApi 2 -----------------------------------------------------------------------

    def table_metadata(self, table: str) -> TableMetadata:
        url = f"{self.api_url}/tables/{quote(table)}/metadata?lang=no&outputFormat=json-stat2"
        body = self.get(url, what=_("The metadata of table %(table)s") % {"table": table})
        return read_metadata(body, table=table)

    def data_queries(
        self, metadata: TableMetadata, selection: dict[str, list[str]]
    ) -> Iterator[tuple[str, dict[str, list[str]]]]:
        """The data URLs for `selection` (all regions), split by region so that no query
        asks for more than SSB_MAX_CELLS cells."""
        region = metadata.region_dimension
        regions = metadata.codes[region]
        per_region = metadata.cells({**selection, region: ["one"]})
        limit = settings.SSB_MAX_CELLS
        if per_region > limit:
            raise SSBUnavailable(
                _(
                    "A query on table %(table)s for one region would be %(n)s cells, more "
                    "than SSB allows."
                )
                % {"table": metadata.table, "n": per_region}
            )
        chunk = max(1, limit // max(per_region, 1))
        groups = (
            [["*"]]
            if chunk >= len(regions)
            else [regions[i : i + chunk] for i in range(0, len(regions), chunk)]
        )
        for codes in groups:
            part = {**selection, region: codes}
            url = (
                f"{self.api_url}/tables/{quote(metadata.table)}/data?lang=no"
                f"&outputFormat=json-stat2&{value_codes(part)}"
            )
            yield url, part

    def table_data(self, url: str, *, table: str, part: int, parts: int) -> bytes:
        what = _("The figures of table %(table)s (query %(part)s of %(parts)s)") % {
            "table": table,
            "part": part,
            "parts": parts,
        }
        return self.get(url, what=what)

    @staticmethod
    def parts(metadata: TableMetadata, selection: dict[str, list[str]]) -> int:
        per_region = metadata.cells({**selection, metadata.region_dimension: ["one"]})
        chunk = max(1, settings.SSB_MAX_CELLS // max(per_region, 1))
        return max(1, math.ceil(len(metadata.codes[metadata.region_dimension]) / chunk))

    # --- KLASS ------------------------------------------------------------------------------

    def klass(self, path: str, *, what: str) -> bytes:
        return self.get(f"{self.klass_url}/{path.lstrip('/')}", what=what)
