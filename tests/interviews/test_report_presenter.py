"""The calibration gap has one sign for every reader: own score minus the interviewer's."""

from __future__ import annotations

import pytest

from interviews.report_presenter import (
    calibration_gap,
    candidate_calibration,
    gap_words,
    interviewer_calibration,
)


@pytest.mark.parametrize(
    ("average", "own", "gap", "candidate_reads", "interviewer_reads", "table"),
    [
        (2.0, 3, 1.0, "2.0 is 1.0 lower than your own 3", "3, 1.0 higher than", "+1.0"),
        (3.5, 3, -0.5, "3.5 is 0.5 higher than your own 3", "3, 0.5 lower than", "-0.5"),
        (3.0, 3, 0.0, "Your own 3 matches your interviewer's 3.0", "matches", "0: the same"),
    ],
)
def test_it_words_one_gap_the_same_way_round_for_both_readers(
    average: float, own: int, gap: float, candidate_reads: str, interviewer_reads: str, table: str
) -> None:
    assert calibration_gap(average=average, self_score=own) == gap
    assert candidate_reads in candidate_calibration(average=average, self_score=own)
    assert interviewer_reads in interviewer_calibration(
        average=average, self_score=own, missed=False
    )
    for is_interviewer in (True, False):
        words = gap_words(
            average=average, self_score=own, is_interviewer=is_interviewer, missed=False
        )
        assert words.startswith(table)


def test_it_has_no_gap_without_both_scores() -> None:
    assert calibration_gap(average=None, self_score=3) is None
    assert calibration_gap(average=2.5, self_score=None) is None
    assert gap_words(average=2.5, self_score=None, is_interviewer=False, missed=True) == (
        "No self-assessment"
    )
