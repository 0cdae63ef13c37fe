import pytest

from tests.keyfigures.ssb.server import API, KLASS, SSBServer


@pytest.fixture
def ssb_server(settings):
    """PxWebApi 2 and KLASS on loopback, with the app pointed at them and SSB's pace and
    waits shortened so that the tests run fast (the limits themselves are tested apart)."""
    with SSBServer() as server:
        settings.SSB_API_URL = server.url + API
        settings.SSB_KLASS_URL = server.url + KLASS
        settings.SSB_QUERIES_PER_MINUTE = 0
        settings.SSB_RETRY_SECONDS = 0.01
        settings.SSB_RETRIES = 4
        settings.SSB_TIMEOUT_SECONDS = 2
        yield server
