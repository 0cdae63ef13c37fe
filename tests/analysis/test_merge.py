"""The three-way merge that keeps two people's changes apart (analysis/merge.py)."""

import datetime

from analysis import merge


def base(**values):
    return merge.fingerprints(values)


def test_a_field_this_person_did_not_touch_keeps_what_is_saved_now():
    result = merge.merge(mine={"a": "old"}, saved={"a": "theirs"}, base=base(a="old"))
    assert result == merge.Merge(changes={}, conflicts={})


def test_a_field_only_this_person_changed_is_written():
    result = merge.merge(mine={"a": "mine"}, saved={"a": "old"}, base=base(a="old"))
    assert result.changes == {"a": "mine"} and not result.conflicts


def test_a_field_both_changed_differently_is_a_conflict_with_both_values():
    result = merge.merge(mine={"a": "mine"}, saved={"a": "theirs"}, base=base(a="old"))
    assert result.conflicts == {"a": ("theirs", "mine")} and not result.changes


def test_a_field_both_changed_to_the_same_value_is_no_conflict():
    result = merge.merge(mine={"a": "same"}, saved={"a": "same"}, base=base(a="old"))
    assert result == merge.Merge()


def test_without_a_base_the_version_number_decides():
    fresh = merge.merge(mine={"a": "mine"}, saved={"a": "old"}, base=None, loaded_fresh=True)
    stale = merge.merge(mine={"a": "mine"}, saved={"a": "old"}, base=None, loaded_fresh=False)
    assert fresh.changes == {"a": "mine"}
    assert stale.conflicts == {"a": ("old", "mine")}


def test_browser_line_ends_empty_text_and_related_rows_compare_as_the_same_value():
    assert merge.same("a\r\nb", "a\nb")
    assert merge.same("", None)
    assert merge.same([3, 1, 2], (1, 2, 3))
    assert merge.same(datetime.date(2026, 1, 2), "2026-01-02")
    assert not merge.same(False, None)


def test_rebase_shows_the_saved_record_with_this_persons_changes_on_top():
    shown = merge.rebase(
        mine={"a": "old", "b": "mine"},
        saved={"a": "theirs", "b": "old"},
        base=base(a="old", b="old"),
    )
    assert shown == {"a": "theirs", "b": "mine"}


def test_a_base_that_is_not_what_a_form_sends_is_rejected():
    assert merge.decode_base('{"a": "1"}') == {"a": "1"}
    assert merge.decode_base("not json") is None
    assert merge.decode_base('["a"]') is None
    assert merge.decode_base('{"a": 1}') is None
    assert merge.decode_base("") is None
