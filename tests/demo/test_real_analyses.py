"""Demo data is only ever copied from demo data: a copy of a real analysis is not marked.
(Apart from test_demo_data.py, whose tests share the demo data seeded once.)"""

import pytest

from analysis.models import Analysis, AnalysisStatus
from tests.factories import open_year

pytestmark = pytest.mark.django_db


def test_a_copy_of_a_real_analysis_is_not_marked_demo(analysis, planner):
    from analysis.models import Answer
    from analysis.services.rounds import start_from_previous_round
    from reference.models import Question

    Answer.objects.create(
        analysis=analysis,
        question=Question.objects.filter(section__questionnaire=analysis.round.questionnaire)[0],
        value="Vår plan",
    )
    analysis.status = AnalysisStatus.IN_PROGRESS
    analysis.save()
    next_round = open_year(2027)
    copy = start_from_previous_round(
        analysis=Analysis.objects.get(round=next_round, municipality=analysis.municipality),
        by=planner,
    )
    assert not copy.is_demo
