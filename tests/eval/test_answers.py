"""Ask-quality arithmetic on tiny hand-written outcomes (ranx style)."""
from __future__ import annotations

import pytest

from eval.answers import Outcome, abstention_rates, calibrate_threshold, citation_quality, cross_validated_rates, latency


def o(i, oos, support, cited=(), gold=("g",), took=10.0):
    return Outcome(str(i), oos, support < 0.5, support, tuple(cited), () if oos else tuple(gold), took)


OUTCOMES = [o(1, True, 0.2), o(2, True, 0.6), o(3, False, 0.4), o(4, False, 0.7, ("g",)), o(5, False, 0.9, ("x", "g"))]


def test_rates_at_the_recorded_and_at_another_threshold():
    r = abstention_rates(OUTCOMES)  # abstained below 0.5: ids 1 and 3
    assert (r["abstained_out_of_scope"], r["abstained_answerable"]) == (1, 1)
    assert r["recall"] == pytest.approx(1 / 2) and r["false_abstention_rate"] == pytest.approx(1 / 3)
    r = abstention_rates(OUTCOMES, threshold=0.65)  # now 1, 2 and 3 abstain
    assert r["recall"] == 1.0 and r["false_abstention_rate"] == pytest.approx(1 / 3) and r["precision"] == pytest.approx(2 / 3)


def test_calibration_weighs_false_abstentions():
    # Candidates midway between sorted supports; at 0.65: recall 1 - 2·(1/3) = 0.333; at 0.3: 0.5 - 0 = 0.5.
    assert calibrate_threshold(OUTCOMES, false_abstention_cost=2.0) == 0.3
    # At cost 1, any threshold just above the highest out-of-scope support (0.6) gives 1 - 1/3 = 0.667 > 0.5;
    # ties go to the lowest, 0.6 + 5e-7, which rounds to 0.6.
    assert calibrate_threshold(OUTCOMES, false_abstention_cost=1.0) == 0.6
    with pytest.raises(ValueError):
        calibrate_threshold([o(1, True, 0.2)])


def test_cross_validation_counts_every_question_once():
    cv = cross_validated_rates(OUTCOMES * 2, folds=2)
    assert cv["out_of_scope"] + cv["answerable"] == 10


def test_citation_quality_and_latency():
    c = citation_quality(OUTCOMES)  # answered answerable: 4 (cites g) and 5 (cites x, g)
    assert c["answered"] == 2 and c["first_citation_gold"] == 0.5 and c["any_citation_gold"] == 1.0
    assert c["cited_precision"] == pytest.approx(2 / 3) and c["mean_citations"] == 1.5
    lat = latency([o(i, False, 0.9, took=t) for i, t in enumerate([10, 20, 30, 40, 50])])
    assert lat["p50_ms"] == 30.0 and lat["max_ms"] == 50.0 and lat["n"] == 5
