"""A path segment reaches a view only when the model can hold it: a NUL byte, a letter where
a municipality number goes or an over-long token is a 404 at the URL, never a database error
(issue 11, defect 7)."""

import pytest
from django.test import Client
from django.urls import resolve, reverse

from tests.factories import FAUSKE

pytestmark = pytest.mark.django_db

# Each path with {} where the segment goes, and segments no row can hold.
TOKENS = ["%00", "a%00b", "%C2%B2", "a.b", "x" * 300]
NUMBERS = ["%00", "184%00", "%C2%B2%C2%B2%C2%B2%C2%B2", "18410", "184", "abcd", "１８４１"]
CASES = [
    *[
        (path, segment)
        for path in ["/faktorer/innspill/{}/", "/invitasjon/{}/"]
        for segment in TOKENS
    ],
    *[("/varsler/avmeld/{}/", segment) for segment in ["%00", "a%00b", "%C2%B2", "x" * 300]],
    *[
        (path, segment)
        for path in ["/rapport/kommune/{}/2026/", "/personer/kommune/{}/"]
        for segment in NUMBERS
    ],
]


@pytest.mark.parametrize(("path", "segment"), CASES)
@pytest.mark.parametrize("persona", [None, "administrator"])
def test_a_segment_the_model_cannot_hold_is_a_404(client_for, path, segment, persona):
    client = client_for(persona) if persona else Client()
    client.raise_request_exception = False
    response = client.get(path.format(segment))
    assert response.status_code == 404


def test_the_real_segments_still_resolve(client_for, analysis):
    assert resolve(f"/rapport/kommune/{FAUSKE}/2026/").kwargs == {"number": FAUSKE, "year": 2026}
    assert resolve("/faktorer/innspill/" + "A-b_9" * 8 + "x/").url_name == "invitation_answer"
    response = client_for("administrator").get(reverse("reports:for_round", args=[FAUSKE, 2026]))
    assert response.status_code in {200, 302}
