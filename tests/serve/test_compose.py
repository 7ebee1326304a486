"""compose/cite and the Answer record on tiny hand-made clauses (no model)."""
from __future__ import annotations

import pytest

from policyqa.corpus.types import DocMeta, Unit
from policyqa.serve.answer import COMPOSE_MARGIN, Scored, cite, compose
from policyqa.serve.facts import SAME_CLAUSE_MARGIN
from policyqa.serve.records import Answer, Source

DOC = DocMeta("go-en", "go", "en", "Guiding Opinions", "Guiding Opinions", number="No. 258", date="2023-12-28")


def unit(cid: str, text: str, lang="en", number="") -> Unit:
    return Unit("go-en" if lang == "en" else "go-zh", f"go/{cid}", lang, "clause", ("Section",), number, text, 0, len(text))


def source(u: Unit, rank=1, parallel=()) -> Source:
    return Source(u, DOC if u.lang == "en" else None, parallel, rank, 0.5)


def scored(src: Source, sentence: str, score: float, position=0) -> Scored:
    start = src.unit.text.index(sentence)
    return Scored(src, start, start + len(sentence), sentence, position, support=score, score=score)


A = source(unit("c1", "(1) Cut taxes. Firms get a credit. Audits follow.", number="(1)"))
B = source(unit("c2", "Banks lend more. Rates fall."), rank=2)


def test_compose_takes_the_best_and_close_ones_without_repeats():
    best = scored(A, "Firms get a credit.", 0.90, 1)
    dup = scored(B, "Banks lend more.", 0.895)
    same_text = Scored(source(B.unit, rank=3), 0, 19, "Firms get a credit.", 0, 0.89, 0.89)  # same words, other clause
    near = scored(A, "Audits follow.", 0.90 - COMPOSE_MARGIN + 0.001, 2)
    far = scored(B, "Rates fall.", 0.90 - COMPOSE_MARGIN - 0.001, 1)
    assert compose([best, dup, same_text, near, far]) == [best, dup, near]
    assert compose([best, far, dup]) == [best, dup]  # one out of the margin is skipped, the next may still join
    # A sentence of the anchor's own clause joins on weaker evidence (SAME_CLAUSE_MARGIN).
    own = scored(A, "Audits follow.", 0.90 - SAME_CLAUSE_MARGIN + 0.001, 2)
    other = scored(B, "Rates fall.", 0.90 - SAME_CLAUSE_MARGIN + 0.001, 1)
    assert compose([best, own, other]) == [best, own]
    many = [scored(A, "Firms get a credit.", 0.9, 1), scored(A, "Audits follow.", 0.9, 2),
            scored(B, "Banks lend more.", 0.9), scored(B, "Rates fall.", 0.9, 1)]
    assert len(compose(many)) == 3
    assert compose([]) == []


def test_cite_numbers_clauses_by_first_use_and_keeps_their_sentences_in_text_order():
    picked = [scored(B, "Rates fall.", 0.9, 1), scored(A, "Firms get a credit.", 0.89, 1), scored(B, "Banks lend more.", 0.88, 0)]
    citations, text = cite(picked, "en")
    assert [(c.n, c.source.unit.clause_id) for c in citations] == [(1, "go/c2"), (2, "go/c1")]
    assert text == "Banks lend more. [1] Rates fall. [1] Firms get a credit. [2]"
    # Quotes stay best first, with offsets into the clause text.
    q = citations[0].quotes
    assert [x.text for x in q] == ["Rates fall.", "Banks lend more."]
    assert all(B.unit.text[x.start:x.end] == x.text for x in q)


def test_chinese_markers_have_no_space_unless_an_english_clause_is_cited():
    zh = source(unit("c6", "（六）促进协同。建设产业大脑。", "zh-Hans", "（六）"))
    citations, text = cite([scored(zh, "建设产业大脑。", 0.9, 1)], "zh-Hans")
    assert text == "建设产业大脑。[1]"
    _, mixed = cite([scored(zh, "建设产业大脑。", 0.9, 1), scored(A, "Firms get a credit.", 0.89, 1)], "zh-Hans")
    assert mixed == "建设产业大脑。[1] Firms get a credit. [2]"


def test_answer_json_and_text():
    zh = unit("c1", "（一）減稅。企業獲得抵免。", "zh-Hant", "（一）")
    a_src = source(A.unit, parallel=((zh, None),))
    citations, text = cite([scored(a_src, "Firms get a credit.", 0.9, 1)], "en")
    ans = Answer("Is there a credit?", text, False, 12.345, "en", tuple(citations), (B,), support=0.9, threshold=0.871)
    out = ans.to_dict()
    assert list(out)[:6] == ["question", "answer", "abstained", "took_ms", "lang", "mode"]
    assert out["took_ms"] == 12.35 and "note" not in out and "llm_fallback" not in out
    c = out["citations"][0]
    assert {k: c[k] for k in ("n", "doc_id", "clause_id", "lang", "number", "quote", "doc_number", "date")} == {
        "n": 1, "doc_id": "go-en", "clause_id": "go/c1", "lang": "en", "number": "(1)", "quote": "Firms get a credit.",
        "doc_number": "No. 258", "date": "2023-12-28"}
    assert c["text"] == A.unit.text and c["heading"] == ["Section"] and c["title"] == "(1) Cut taxes"
    assert [(p["lang"], p["title"], p["text"]) for p in c["parallel"]] == [("zh-Hant", "（一）減稅", zh.text)]
    assert [r["clause_id"] for r in out["related"]] == ["go/c2"]
    lines = ans.to_text().splitlines()
    assert lines[0] == "Firms get a credit. [1]"
    assert lines[1] == "[1] Guiding Opinions No. 258, 2023-12-28"
    assert "“Firms get a credit.”  (go/c1@en)" in ans.to_text() and "related:" in lines


def test_an_acronym_its_document_defined_counts_as_its_long_form_unless_it_names_an_issuer():
    from policyqa.serve.sentbank import SentenceBank

    defines = unit("c1", "The Ministry of Industry and Information Technology (MIIT) will help small and medium enterprises (SMEs).")
    uses = unit("c2", "MIIT will prevent overdue payments to SMEs.")
    bank = SentenceBank([defines, uses], encoder=None, precompute_limit=0,
                        issuers=["Ministry of Industry and Information Technology"])
    tokens = bank.sentences(uses)[0].tokens
    assert set(bank.tokenize("small and medium enterprises")) <= tokens
    assert not set(bank.tokenize("ministry information")) & tokens
    plain = SentenceBank([defines, uses], encoder=None, precompute_limit=0)
    assert set(bank.tokenize("ministry information")) <= plain.sentences(uses)[0].tokens


def test_a_chinese_word_is_found_in_an_english_sentence_by_its_best_sense():
    from policyqa.serve.sentbank import SentenceBank

    soe = unit("c3", "We will make state-owned enterprises stronger.")
    firms = unit("c4", "Enterprises drive growth.")
    zh = unit("c5", "做强做优做大国有企业。", lang="zh-Hans")
    bank = SentenceBank([soe, firms, zh], encoder=None, precompute_limit=0)
    words = bank.query_words("国有企业", "zh-Hans")
    # CC-CEDICT: 国有企业 "state-owned enterprise" -- three English tokens, all in the first sentence.
    assert [w for w, _ in words.glossed] == ["国有企业"]
    assert bank.overlap(words, bank.sentences(soe)[0], "en") == 1.0
    assert abs(bank.overlap(words, bank.sentences(firms)[0], "en") - 1 / 3) < 1e-9
    # Against a Chinese sentence the question's own tokens count, as for any same-language pair.
    assert bank.overlap(words, bank.sentences(zh)[0], "zh-Hans") == 1.0


def test_a_lower_ranked_clause_needs_more_evidence_the_further_the_search_put_it_behind():
    from policyqa.serve.facts import CLEAR_EVIDENCE, RETRIEVAL_LEAD, anchor_first

    top = Source(A.unit, DOC, (), 1, 0.9)
    close_behind = Source(B.unit, DOC, (), 2, 0.9)
    far_behind = Source(B.unit, DOC, (), 2, 0.4)  # the search scored it 0.5 behind
    ours = scored(top, "Firms get a credit.", 0.30, 1)
    margin = CLEAR_EVIDENCE + 0.01
    challenger = scored(close_behind, "Banks lend more.", 0.30 + margin)
    assert anchor_first([challenger, ours])[0] is challenger  # tied search scores: CLEAR_EVIDENCE is enough
    challenger = scored(far_behind, "Banks lend more.", 0.30 + margin)
    assert anchor_first([challenger, ours])[0] is ours
    challenger = scored(far_behind, "Banks lend more.", 0.30 + margin + RETRIEVAL_LEAD * 0.5)
    assert anchor_first([challenger, ours])[0] is challenger


def test_other_clauses_add_their_best_sentences_each_within_the_margin():
    from policyqa.serve.facts import OTHER_CLAUSES, OTHER_MARGIN, OTHER_SENTENCES, other_clauses

    C = source(unit("c3", "Parks go green. Parks go digital."), rank=3)
    D = source(unit("c4", "Ports expand."), rank=4)
    E = source(unit("c5", "Roads widen."), rank=5)
    anchor = scored(A, "Cut taxes.", 0.80)
    picked = [anchor, scored(A, "Firms get a credit.", 0.75, 1)]  # the anchor's whole clause
    b1 = scored(B, "Banks lend more.", 0.78)
    b2 = scored(B, "Rates fall.", 0.77, 1)  # B's second sentence: two per clause
    c1 = scored(C, "Parks go digital.", 0.80 - OTHER_MARGIN + 0.001, 1)
    d1 = scored(D, "Ports expand.", 0.80 - OTHER_MARGIN + 0.0005)
    e1 = scored(E, "Roads widen.", 0.80 - OTHER_MARGIN + 0.0002)
    ranked = [anchor, b1, b2, picked[1], c1, d1, e1]
    assert (OTHER_CLAUSES, OTHER_SENTENCES) == (3, 2)
    assert other_clauses(ranked, anchor, picked) == [b1, b2, c1, d1]  # E: over the count
    F = source(unit("c6", "Funds grow. Loans grow. Bonds grow."), rank=2)
    f1, f2, f3 = (scored(F, t, sc, i) for i, (t, sc) in enumerate([("Funds grow.", 0.77), ("Loans grow.", 0.78), ("Bonds grow.", 0.76)]))
    # a third sentence of a clause is over the count; its sentences come in reading order
    assert other_clauses([anchor, f2, f1, f3, c1], anchor, picked) == [f1, f2, c1]
    # out of the margin ends the search, and a clause already picked never comes back
    far = scored(C, "Parks go green.", 0.80 - OTHER_MARGIN - 0.001)
    assert other_clauses([anchor, far, b1], anchor, picked) == []
    assert other_clauses([anchor, b1], anchor, picked + [b1]) == []


def test_density_is_the_mean_of_the_nearest_other_clauses_sentences_less_the_median(encoder):
    import numpy as np

    from policyqa.serve.sentbank import DENSITY_NEIGHBOURS, SentenceBank

    en = unit("c1", "Enterprises drive industrialization. Banks lend to firms.")
    zh = unit("c1", "企业是工业化的主体。银行向企业放贷。", lang="zh-Hans")  # the same clause, translated
    others = [unit("c2", "Firms drive growth."), unit("c3", "Rivers flood in spring. Ports expand.")]
    bank = SentenceBank([en, zh, *others], encoder)
    units = [en, zh, *others]
    centered = bank.centered(units)
    rows = np.vstack([centered[u.key] for u in units])
    clause = [u.clause_id for u in units for _ in range(len(centered[u.key]))]
    k = min(DENSITY_NEIGHBOURS, len(rows) - 1)
    expected = []
    for i, row in enumerate(rows):
        # a sentence's own clause, in any language, is not its neighbourhood (a translation is near 1)
        sims = sorted((float(row @ rows[j]) for j in range(len(rows)) if clause[j] != clause[i]), reverse=True)
        expected.append(np.mean(sims[:k]))
    expected = np.array(expected) - np.median(expected)
    got = np.concatenate([bank.density(u) for u in units])
    assert np.allclose(got, expected, atol=1e-5), (got, expected)
    # Not embedded up front (a large corpus): no density, no penalty.
    assert not SentenceBank(units, encoder, precompute_limit=0).density(en).any()


@pytest.mark.parametrize("text,goals", [
    ("By 2027, the rates of digital tools and CNC will exceed 90% and 70% respectively.", True),
    ("到2027年，普及率、数控化率分别超过90%、70%。", True),
    ("By 2027, the level of development will be significantly improved.", False),  # a deadline, no rates
    ("The rates reached 61.8% and 45.4% in 2016.", False),  # rates reached, no deadline to reach them by
])
def test_a_goals_paragraph_sets_rates_by_a_deadline(text, goals):
    from policyqa.serve.facts import is_goals

    assert is_goals(unit("s1/p3", text)) is goals


def test_asked_how_something_is_done_the_goals_paragraph_anchors_nothing():
    from policyqa.serve.facts import anchor_first

    goals = source(unit("s1/p3", "By 2027, emission intensity will fall and rates will exceed 90% and 70%."))
    measure = source(unit("c8", "Implement carbon peak plans in key industries."), rank=2)
    target = scored(goals, goals.unit.text, 0.32)  # ranked first by the search, and not clearly better
    plan = scored(measure, measure.unit.text, 0.3)
    assert anchor_first([target, plan])[0] is target
    assert anchor_first([target, plan], measures=True)[0] is plan


def test_a_measures_answer_adds_no_sentence_of_the_opening_or_goals_paragraphs():
    from policyqa.serve.answer import _measures_only

    opening = Source(Unit("go-en", "go/intro/p2", "en", "paragraph", (), "", "Upgrading matters.", 0, 18), DOC, (), 1, 0.5)
    goals = source(unit("s1/p3", "By 2027, rates will exceed 90% and 70%."))
    measure = source(unit("c8", "Implement carbon peak plans."))
    ranked = [scored(opening, "Upgrading matters.", 0.5), scored(goals, goals.unit.text, 0.45), scored(measure, measure.unit.text, 0.4)]
    assert [s.source for s in _measures_only(ranked, True)] == [measure]
    assert _measures_only(ranked, False) == ranked  # asked why, or for a view: they may answer
