"""One check against SSB's real PxWebApi 2, deselected unless asked for:
`.venv/bin/python -m pytest -m ssb_live tests/keyfigures/ssb/test_real_api.py`. It reaches
the internet, so the suite never runs it by itself."""

import pytest
from django.conf import settings as django_settings

from keyfigures.models import Indicator
from keyfigures.ssb import SSBClient

pytestmark = [pytest.mark.ssb_live, pytest.mark.django_db]


def test_the_verified_indicators_contents_codes_are_in_ssbs_tables(settings):
    settings.SSB_API_URL = "https://data.ssb.no/api/pxwebapi/v2"
    settings.SSB_RETRIES = 2
    client = SSBClient(api_url=settings.SSB_API_URL)
    for indicator in Indicator.objects.filter(ssb_verified=True):
        meta = client.table_metadata(indicator.ssb_table_id)
        assert indicator.ssb_contents_code in meta.codes[meta.contents_dimension]
    assert django_settings.SSB_API_URL.startswith("https://data.ssb.no")
