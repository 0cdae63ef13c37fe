from factors.charts import factor_profile_figure


def test_profile_figure_has_one_bar_per_factor_with_the_scores_as_text():
    fig = factor_profile_figure(["A", "B", "C"], [1, None, 5])
    (bars,) = fig.data
    assert list(bars.y) == ["A", "B", "C"]
    assert list(bars.x) == [1, 0, 5]
    assert list(bars.text)[0] == "1" and list(bars.text)[2] == "5"


def test_profile_figure_adds_the_users_view_and_previous_round_as_separate_series():
    fig = factor_profile_figure(["A"], [3], users_scores=[2], previous_scores=[1])
    assert [list(t.x) for t in fig.data] == [[1], [3], [2]]
    assert fig.layout.showlegend is True
