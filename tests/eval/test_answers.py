"""Ask-quality arithmetic on tiny hand-written outcomes (ranx style)."""
from __future__ import annotations

import pytest

from policyqa.eval.answers import Outcome, abstention_rates, calibrate_threshold, citation_quality, cross_validated_rates, latency


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
    # At cost 1, any threshold between the highest out-of-scope support (0.6) and the next (0.7) gives
    # 1 - 1/3 = 0.667 > 0.5: halfway, 0.65.
    assert calibrate_threshold(OUTCOMES, false_abstention_cost=1.0) == 0.65
    with pytest.raises(ValueError):
        calibrate_threshold([o(1, True, 0.2)])


def test_cross_validation_counts_every_question_once():
    cv = cross_validated_rates(OUTCOMES * 2, folds=2)
    assert cv["out_of_scope"] + cv["answerable"] == 10


def test_cross_validation_judges_each_fold_by_the_threshold_of_the_others():
    # Sorted by id, fold 0 = {1, 3, 5}, fold 1 = {2, 4, 6}.
    outs = [o(1, True, 0.2), o(2, True, 0.3), o(3, False, 0.8), o(4, False, 0.9), o(5, True, 0.85), o(6, False, 0.25)]
    # Fold 0 calibrates on {2, 4, 6}: 0.24 (below all), mids 0.275, 0.6, 0.91 (above all) score 0, -1, 0, -1
    #   -> 0.24 (lowest of the tie);
    #   held out: 1 abstains (0.2), 3 and 5 do not -> out-of-scope 5 is missed.
    # Fold 1 calibrates on {1, 3, 5}: 0.19, mids 0.5, 0.825, 0.86 score 0, 0.5, -1.5, -1 -> 0.5;
    #   held out: 2 abstains (0.3), 4 does not, 6 (answerable, 0.25) abstains wrongly.
    assert calibrate_threshold([outs[i] for i in (1, 3, 5)]) == 0.24
    assert calibrate_threshold([outs[i] for i in (0, 2, 4)]) == 0.5
    cv = cross_validated_rates(outs, folds=2)
    assert (cv["abstained_out_of_scope"], cv["abstained_answerable"]) == (2, 1)
    assert cv["recall"] == pytest.approx(2 / 3) and cv["false_abstention_rate"] == pytest.approx(1 / 3)
    assert cv["precision"] == pytest.approx(2 / 3)


def test_citation_quality_and_latency():
    c = citation_quality(OUTCOMES)  # answered answerable: 4 (cites g) and 5 (cites x, g)
    assert c["answered"] == 2 and c["first_citation_gold"] == 0.5 and c["any_citation_gold"] == 1.0
    assert c["cited_precision"] == pytest.approx(2 / 3) and c["mean_citations"] == 1.5
    lat = latency([o(i, False, 0.9, took=t) for i, t in enumerate([10, 20, 30, 40, 50])])
    assert lat["p50_ms"] == 30.0 and lat["max_ms"] == 50.0 and lat["n"] == 5


def test_citation_quality_without_answers_is_none_not_zero():
    c = citation_quality([o(1, True, 0.9, ("x",)), o(2, False, 0.1)])
    assert c["answered"] == 0 and c["first_citation_gold"] is None and c["cited_precision"] is None


# ---------------------------------------------------------------- on the real answerer (a few questions)
# Clearly out of scope (support far under the threshold) and clearly answered ones, all three scripts.
SAMPLE_IDS = ("en46", "en48", "hant46", "en01", "en05", "hans02", "hans04", "hant02", "hant05")


@pytest.fixture(scope="module")
def sample():
    from policyqa.eval.dataset import load_questions

    qs = {q.id: q for q in load_questions()}
    return [qs[i] for i in SAMPLE_IDS]


@pytest.mark.slow
def test_ask_quality_on_real_answers(answerer, sample):
    from policyqa.eval.answers import ask_outcomes
    from policyqa.eval.run import ask_quality

    outcomes = ask_outcomes(answerer, sample)
    assert [x.id for x in outcomes] == list(SAMPLE_IDS)
    assert all(x.abstained == (x.support < answerer.threshold) for x in outcomes)
    q = ask_quality(answerer, sample, "hybrid")
    assert (q["out_of_scope"], q["answerable"]) == (3, 6) and q["threshold"] == answerer.threshold
    assert (q["abstained_out_of_scope"], q["abstained_answerable"]) == (3, 0)
    assert q["citations"]["answered"] == 6 and q["citations"]["first_citation_gold"] == 1.0
    # Perfectly separated supports: the calibrated threshold lies between the two groups.
    oos = max(x.support for x in outcomes if x.should_abstain)
    ans = min(x.support for x in outcomes if not x.should_abstain)
    assert oos < q["calibrated_threshold"] < ans
    assert q["latency_ms"]["n"] == 9 and 0 < q["latency_ms"]["p50_ms"] <= q["latency_ms"]["p95_ms"] <= q["latency_ms"]["max_ms"]


@pytest.mark.slow
def test_measure_ask_times_each_question_once_after_warmup(answerer, sample):
    from policyqa.eval.answers import measure_ask

    calls = []
    real_ask = answerer.ask

    class Counting:  # counts calls, answers through the real answerer
        threshold = answerer.threshold

        def ask(self, q, **kw):
            calls.append(q)
            return real_ask(q, **kw)

    m = measure_ask(Counting(), sample[:4], warmup=2)
    assert len(calls) == 6 and calls[:2] == calls[2:4] == [q.query for q in sample[:2]]
    assert m["n"] == 4 and 0 < m["p50_ms"] <= m["p95_ms"] <= m["max_ms"] and m["mean_ms"] > 0
    with pytest.raises(ValueError):
        measure_ask(answerer, [])


def test_calibrated_threshold_never_rounds_below_a_support_it_rejects():
    t = calibrate_threshold([o(1, True, 0.80914), o(2, False, 0.93)])
    assert t == round((0.80914 + 0.93) / 2, 4)  # halfway, not a hair above the support it rejects
