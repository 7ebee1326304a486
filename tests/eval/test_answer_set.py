"""The answer-quality set: its shape, and every key fact is text of the bundled corpus (none invented)."""
from __future__ import annotations

import json
from collections import Counter

import pytest

from policyqa.corpus.config import BUNDLED_CORPUS
from policyqa.corpus.errors import UsageError
from policyqa.corpus.reading import read_document
from policyqa.corpus.sources import discover
from policyqa.corpus.store import build_store
from policyqa.corpus.types import LANGS
from policyqa.eval.answer_set import ANSWER_KINDS, ANSWERS, load_answer_set, unsupported_facts
from policyqa.eval.keyfacts import answer_passes, half, normalise
from policyqa.serve import i18n

# The table of issue 13: the user's own wording, each must stay in the set.
USER_QUESTIONS = (
    "这份文件的发文日期是？",
    "258号文讲的是什么？",
    "Who signed the Guiding Opinions?",
    "List the sections of the Guiding Opinions.",
    "第六部分有哪些政策保障？",
    "What does the Qiushi article say about artificial intelligence?",
    "Give me an overview of the 2017 report.",
    "What are the 2027 targets of the Guiding Opinions?",
)


@pytest.fixture(scope="module")
def items():
    return load_answer_set()


@pytest.fixture(scope="module")
def store():
    return build_store(BUNDLED_CORPUS)  # reading and cleaning only: no model, nothing written


@pytest.fixture(scope="module")
def corpus_texts(store):
    """(family, lang) -> [raw file text, cleaned body]: the raw file keeps the title block, number
    line, signature block and date line; the cleaned body is free of pinyin residue and debris."""
    texts: dict = {}
    for src in discover(BUNDLED_CORPUS):
        doc = next(d for d in store.docs.values() if d.file == src.rel)
        raw, _ = read_document(src.path)
        texts[(doc.family, doc.lang)] = [raw, store.bodies[doc.doc_id]]
    return texts


def test_shape(items):
    assert len(items) >= 100
    langs = Counter(i.lang for i in items)
    assert set(langs) == set(LANGS)
    assert all(langs[lang] >= len(items) // 4 for lang in LANGS), langs  # roughly a third each
    kinds = Counter(i.kind for i in items)
    assert set(kinds) == set(ANSWER_KINDS), kinds
    assert kinds["out_of_scope"] >= 6
    assert len({i.id for i in items}) == len(items)
    questions = {i.question for i in items}
    assert set(USER_QUESTIONS) <= questions
    assert len({normalise(q) for q in questions}) == len(questions)  # no question twice in another wording of space/script


def test_both_halves_cover_every_kind_and_script(items):
    for which in ("tuning", "held-out"):
        part = [i for i in items if half(i.id) == which]
        assert {i.kind for i in part} == set(ANSWER_KINDS), which
        assert {i.lang for i in part} == set(LANGS), which
        assert len(part) >= len(items) // 5  # ka491 on were written as tuning questions only


def test_cross_lingual_questions_are_chinese_about_english_only_documents(items, corpus_texts):
    versions = {}
    for family, lang in corpus_texts:
        versions.setdefault(family, set()).add(lang)
    cross = [i for i in items if i.kind == "cross_lingual"]
    assert {i.lang for i in cross} == {"zh-Hans", "zh-Hant"}
    for i in cross:
        assert i.doc and versions[i.doc] == {"en"}, i.id
    # …and a Chinese question about an English-only document is always labelled cross-lingual
    assert all(i.kind == "cross_lingual" for i in items if i.lang != "en" and i.doc and versions[i.doc] == {"en"})


def test_every_key_fact_occurs_in_the_corpus(items, corpus_texts):
    """At least one wording of every fact is in the version an answer in the asker's language would
    quote (English for English questions, either Chinese script for Chinese ones, any version when
    the document exists in English only)."""
    assert {d for d in (i.doc for i in items) if d} <= {f for f, _ in corpus_texts}
    assert unsupported_facts(items, corpus_texts) == []


def test_the_check_catches_an_invented_fact(items, corpus_texts):
    item = next(i for i in items if i.question == "这份文件的发文日期是？")
    wrong = item.__class__(item.id, item.question, item.lang, item.kind, (("2023年12月29日",),), 1, item.doc)
    english_only = item.__class__(item.id, item.question, item.lang, item.kind, (("December 28, 2023",),), 1, item.doc)
    assert unsupported_facts([wrong], corpus_texts) == [(item.id, ("2023年12月29日",))]
    # a Chinese question must be answerable from a Chinese version, not only from the English one
    assert unsupported_facts([english_only], corpus_texts) == [(item.id, ("December 28, 2023",))]


def test_no_fact_is_given_away_by_its_question(items):
    """An answer that only repeats the question must not find a key fact in it."""
    for i in items:
        q = normalise(i.question)
        echoed = [a for f in i.facts for a in f if normalise(a) in q]
        assert not echoed, (i.id, echoed)


def test_need_is_sane(items):
    for i in items:
        if i.answerable:
            assert 1 <= i.need <= len(i.facts), i.id
            # long lists may miss a quarter; short ones must be complete (see the set's README notes)
            assert i.need >= min(len(i.facts), 3) or i.kind not in ("list", "section"), i.id


# Questions whose answer is the addressee list itself ("主送单位有哪些？").
ASKS_FOR_ADDRESSEES = ("ka394", "ka581", "ka687", "ka691", "ka695", "ka945", "ka1221", "ka1223", "ka1225", "ka1433", "ka1652", "ka1695", "ka1881", "ka2019", "ka2064", "ka2150", "ka2295", "ka2427", "ka2475", "ka2497", "ka2521", "ka2559", "ka2949", "ka3085", "ka3111", "ka3119", "ka2408", "ka3479", "ka2566", "ka3841", "ka2708", "ka4165", "ka2732", "ka3004", "ka4337", "ka4409", "ka4627", "ka3090", "ka3128", "ka3320")
# The signatories asked about are also addressees' parent bodies (国家税务总局 signs; its bureaus are
# addressed; 中国人民银行 and 中国证监会 likewise).
NAMED_IN_ADDRESSEES = ("ka689", "ka1067", "ka1361", "ka2503", "ka2553", "ka3059", "ka3161", "ka4435")


def test_abstaining_or_quoting_the_addressees_passes_nothing(items, store):
    """The failures issue 13 names must score zero: the abstention text, and the addressee list."""
    addressees = [u.text for u in store.units if u.clause_id == "guiding-opinions-2023/intro/p1"]
    assert len(addressees) == 3 and all("有关中央企业" in normalise(t) or "central enterprises" in t for t in addressees)
    for i in items:
        if not i.answerable:
            continue
        for text in i18n.ABSTAIN.values():
            assert not answer_passes(text, i.facts, i.need), i.id
            assert not answer_passes(text, i.facts, i.need, abstained=True), i.id
        if i.id in ASKS_FOR_ADDRESSEES + NAMED_IN_ADDRESSEES:
            assert any(answer_passes(text, i.facts, i.need) for text in addressees), i.id
            continue
        for text in addressees:
            assert not answer_passes(text, i.facts, i.need), (i.id, text[:40])


def test_the_set_file_is_one_object_per_line():
    for n, line in enumerate(ANSWERS.read_text(encoding="utf-8").splitlines(), 1):
        obj = json.loads(line)
        assert set(obj) <= {"id", "question", "lang", "kind", "doc", "key_facts", "need"}, n


def test_bad_lines_are_named(tmp_path):
    path = tmp_path / "a.jsonl"
    good = json.loads(ANSWERS.read_text(encoding="utf-8").splitlines()[0])
    cases = [
        ({**good, "kind": "other"}, r"a.jsonl:1: kind 'other'"),
        ({**good, "lang": "fr"}, "lang 'fr'"),
        ({**good, "key_facts": []}, "only they, have no key facts"),
        ({**good, "kind": "out_of_scope"}, "only they, have no key facts"),
        ({**good, "need": len(good["key_facts"]) + 1}, "need must be"),
        ({**good, "key_facts": [{"any": [" "]}]}, "non-blank wordings"),
        ({**good, "id": "nonumber"}, "must end in a number"),
    ]
    for obj, message in cases:
        path.write_text(json.dumps(obj, ensure_ascii=False) + "\n", encoding="utf-8")
        with pytest.raises(UsageError, match=message):
            load_answer_set(path)
    path.write_text(json.dumps(good) + "\n" + json.dumps(good) + "\n", encoding="utf-8")
    with pytest.raises(UsageError, match="duplicate question id"):
        load_answer_set(path)
