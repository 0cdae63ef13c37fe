"""Where am I, what's next (issue 15, item 4, first half): every part ends with links to the
previous and the next part, and the last one leads to checking the answers."""

import pytest
from django.urls import reverse

from analysis.selectors.sections import section_url

pytestmark = pytest.mark.django_db


def parts_in_order(analysis):
    return list(analysis.round.questionnaire.sections.order_by("order"))


def test_each_part_links_to_its_neighbours_in_the_questionnaires_order(client_for, analysis):
    sections = parts_in_order(analysis)
    client = client_for("planner")
    for at, section in enumerate(sections):
        page = client.get(section_url(analysis, section))
        nav = page.text.split('class="part-nav')[1].split("</nav>")[0]
        assert f"Del {at + 1} av {len(sections)}" in nav
        if at > 0:
            assert f'href="{section_url(analysis, sections[at - 1])}" rel="prev"' in nav
        else:
            assert 'rel="prev"' not in nav
        if at + 1 < len(sections):
            assert f'href="{section_url(analysis, sections[at + 1])}" rel="next"' in nav
        else:
            assert reverse("analysis:check_answers", args=[analysis.pk]) in nav
