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


def test_a_factor_without_a_score_is_marked_in_the_bar_area_not_in_its_name():
    fig = factor_profile_figure(["Forankring", "Økonomiske ressurser"], [2, None])
    (bars,) = fig.data
    # The factor's name stays the name: the mark is the bar's own text, outside a zero bar.
    assert list(bars.y) == ["Forankring", "Økonomiske ressurser"]
    assert list(bars.text)[1] == "<i>(ikke vurdert)</i>"
    assert list(bars.textposition) == ["inside", "outside"]
    # An axis line separates the names from the bar area.
    assert fig.layout.yaxis.showline is True


def test_the_score_axis_ends_at_five_with_the_scores_inside_their_bars():
    fig = factor_profile_figure(["A", "B"], [5, 1])
    assert tuple(fig.layout.xaxis.range) == (0, 5)
    assert list(fig.data[0].textposition) == ["inside", "inside"]
