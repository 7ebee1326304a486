"""Cited answers: classify the question (serve.question), find the document it is about
(serve.docscope), then answer by kind -- document facts (serve.docfacts), outline, section,
overview and heading-children lists (serve.outline), or sentences of the best clauses (serve.facts).

Fact sentences are scored against the question by serve.scoring: `score` picks the sentences,
`support` decides whether to answer at all. When the best support is under the threshold the Answer
abstains and still lists the nearest clauses as related.
A structured answer (document fact, outline, section, overview) needs no support when the question
names its document or part; otherwise it abstains like a fact answer would.
Weights and the threshold were measured on eval/data/questions.jsonl (eval.answers).
"""
from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from policyqa.corpus.config import Config, check_top_k
from policyqa.corpus.errors import UsageError
from policyqa.corpus.types import Lang
from policyqa.embed.types import Encoder
from policyqa.index.search import REFERENCE_BONUS, Searcher, is_blank
from policyqa.serve import i18n, kinds
from policyqa.serve.cited import source_of
from policyqa.serve.described import described
from policyqa.serve.docscope import DocNames, fold, only_names, resolve, without_issuer, without_name
from policyqa.serve.extent import cite, complete, positioned, whole_clause
from policyqa.serve.facts import (COMPOSE_MARGIN, LEXICAL_WEIGHT, MAX_SENTENCES, SIBLING_MARGIN, anchor_first, answers_content,  # noqa: F401
                                  compose, digest, enumeration_first, is_goals, is_preamble, lists_instead, other_clauses)
from policyqa.serve.figures import has_figure, has_sum
from policyqa.serve.members import body_first, members_first, name_first
from policyqa.serve.outline import CLAUSE_CHARS
from policyqa.serve.outside import outside, unsaid
from policyqa.serve.question import SectionRef, asks_why, classify, plain
from policyqa.serve.records import Answer, Scored, Source, family_of
from policyqa.serve.scoring import CROSS_LEXICAL_WEIGHT, CROSS_RANK, RANK_WEIGHT, score_sentences  # noqa: F401
from policyqa.serve.sentbank import SentenceBank
from policyqa.serve.tense import tense_first
from policyqa.serve.titled import clause_named, section_on, glossed_clauses, goals_unit, only_scaffold, opening_units, without_naming_clause, lift_named, numbered_slogans, standing_section, titled_section
from policyqa.serve.unknowns import names_place

POOL = 8  # clauses whose sentences compete for the answer, whatever top_k the user asked for
SCOPED_POOL = 40  # hits searched when a named document filters them afterwards
# Calibrated on the evaluation set (bundled e5-small model): a false abstention counts twice a
# missed one. Another model needs its own value (POLICYQA_ABSTAIN_THRESHOLD).
DEFAULT_THRESHOLD = 0.871
# How much weaker the support may be when the question names its document or asks about structure
# or metadata (chosen on the odd half of eval/data/answers.jsonl; out-of-scope questions are all
# unscoped fact questions, so they keep the full threshold).
SLACK = 0.1
DOC_FACT_SLACK = 0.15  # a metadata question without a named document is about the corpus's documents


class Answerer:
    """Loaded once (searcher, encoder, sentence bank); `ask` is then pure computation."""

    def __init__(self, searcher: Searcher, config: Config, *, encoder: Encoder | None = None, llm=None,
                 threshold: float | None = None,
                 bank: SentenceBank | None = None) -> None:
        self.searcher = searcher
        self.config = config
        self.store = searcher.store
        self.encoder = encoder or searcher.encoder
        if threshold is None:
            threshold = config.abstain_threshold
        self.threshold = float(DEFAULT_THRESHOLD if threshold is None else threshold)
        if llm is None:
            from policyqa.serve.llm import llm_from_config

            llm = llm_from_config(config)
        self.llm = llm
        self.bank = bank or SentenceBank(self.store.units, self.encoder, cache_dir=config.embed_cache_dir,
                                         means=getattr(searcher, "means", None),
                                         issuers=[m.issuer for m in self.store.docs.values()])
        self.names = DocNames.from_store(self.store)
        self._corpus: str | None = None

    # ------------------------------------------------------------------ public
    def ask(self, question: str, top_k: int | None = None, mode: str | None = None,
            lang: Lang | None = None, doc: str | None = None) -> Answer:
        t0 = time.perf_counter()
        if not isinstance(question, str) or is_blank(question):
            raise UsageError("question is empty: type a question about the documents")
        top_k = self.config.top_k if top_k is None else top_k
        mode = mode or self.config.mode
        check_top_k(top_k)
        asked_as, question = question, plain(question)
        q = classify(question)
        scope = resolve(question, self.names, self.store, doc, q.deictic) or \
            described(question, self.names, self.bank, self.store)
        if q.type == "fact" and only_names(question, scope):  # "258号文是什么？": the document itself
            q = replace(q, type="overview")
        elif q.type in ("list", "fact") and (bare := without_name(question, scope, self.names, titles=True)) != question \
                and (b := classify(bare)).type == "overview":  # "…那份材料主要讲了哪些内容": once its name is out
            q = replace(b, text=question)
        named = scope.family if scope is not None and scope.reason != "chosen" else None
        pool = max(top_k, SCOPED_POOL if named else POOL)
        asked = without_naming_clause(self.bank, question, [k for k, f, _ in self.names.names if f == named]) \
            if named else question  # "…？我说的是求是上那篇": the clause naming it says nothing else
        result = self.searcher.search(without_name(asked, scope, self.names), top_k=pool, mode=mode, lang=lang, doc=doc)
        query, qlang = result.query, result.lang  # stripped and cut when overlong; detected once
        qvec = result.query_vector  # as written: a 繁 question's sentences are compared in its own script
        hits = [h for h in result.hits if named is None or family_of(h.unit) == named]
        sources = [self._source(h) for h in hits]
        # A typed reference ("（十一）", "No. 258") is an exact look-up: the referenced clauses are
        # the answer's sources whatever the sentence similarity says.
        # Fused scores reach 1.0 at most; only an exact reference scores above REFERENCE_BONUS.
        exact = [src for src in sources if src.score > REFERENCE_BONUS]
        content = [src for src in (exact or sources)[:POOL] if answers_content(src)]
        # a numbered slogan (五大工程) is an exact look-up too: the clauses that say it as English does join
        if qlang != "en" and not exact and (slogans := numbered_slogans(query)):
            content += [src for src in sources[POOL:] if answers_content(src) and any(p.search(src.unit.text) for p in slogans)]
        shown_lang = self.store.doc(doc).lang if doc else None
        subject = q.positions and named and only_scaffold(self.bank, without_name(query, scope, self.names, titles=True))
        if subject:  # "把《中国制造2025》定位成什么": the document's subject, as its opening states it -- a view, no measures
            q = replace(q, opening=True, how=False, measures=False, detail=False)
        if q.opening and named:  # its opening paragraphs, however the search ranked them
            content += [source_of(self.store, u, rank=len(content)) for u in opening_units(self.store, named, qlang, shown_lang)
                        if all(src.unit.key != u.key for src in content)]
        goals = goals_unit(self.store, named, qlang, shown_lang) \
            if q.goals and named and q.type in ("fact", "list") and not (q.quantity or q.money) else None
        if goals is not None and all(src.unit.key != goals.key for src in content):  # however the search ranked it
            content.append(source_of(self.store, goals, rank=len(content)))
        named_as = scope.name if named else ""
        # Its sentences are chosen without the document's name, however long: inside the document
        # the name is no evidence (the search kept a title-length name, which names the topic too).
        squery = without_issuer(without_name(query, scope, self.names, titles=True),
                                [self.store.doc(d).issuer for d in scope.doc_ids]) if named else query
        sqvec = self.encoder.encode_query(squery)[0] if squery != query and qvec is not None else qvec
        scored = anchor_first(self.score_sentences(squery, content, qlang, sqvec, named_as, detail=q.detail, measures=q.measures),
                              q.measures)
        support = max((s.support for s in scored), default=0.0)
        members = members_first(scored, query, self.bank.tokenize) if q.type == "list" else None  # the class named as asked
        if members is not None:  # the sentence that lists what the question asks the members of
            scored = members
        elif q.body and (led := body_first(scored, qlang)) is not None:  # "由哪个机构统筹协调": a body that does
            scored = led
        elif q.type == "fact" and (timed := tense_first(scored, query, self.bank)) is not None:  # 下一步 vs 已经
            scored = timed
        elif q.name and q.type == "fact" and (named_one := name_first(scored, query, [w for _, _, w in self.names.names])) is not None:  # "叫什么": one named
            scored = named_one
        # what the question names of a document's structure (serve.titled): an English section or
        # slogan lifts its sentences, as its start (开头) lifts the opening paragraphs'; a clause named
        # by its title anchors the answer, quoted as its measures and never replaced by the list of
        # its section's clauses
        scored, named_sections = lift_named(self.bank, self.store, squery, scored, qlang, fact=q.type == "fact", opening=q.opening)
        if subject and (first := next((s for s in scored if is_preamble(s.source.unit)), None)) is not None:
            scored = [first] + [s for s in scored if s is not first]  # the opening's best sentence answers first
        named_clause = clause_named(self.bank, squery, content, scored, qlang) \
            if q.type in ("fact", "overview", "list") and not (q.quantity or q.money) else None
        if named_clause is None and qlang != "en" and q.type in ("fact", "overview") and not (q.quantity or q.money) and \
                len(keys := glossed_clauses(self.bank, squery, content)) == 1:  # an English item, by its title's senses
            named_clause = next((s for s in scored if s.source.unit.key in keys), None)
        if named_clause is None and qlang != "en" and q.type in ("fact", "overview", "list") and not (q.quantity or q.money) and \
                (slogans := numbered_slogans(query)):  # "五大工程进展如何": the item titled by the slogan
            named_clause = next((s for s in scored if s.source.unit.lang == "en" and s.source.unit.number and any(
                p.search(t.text) for t in self.bank.sentences(s.source.unit) if t.title for p in slogans)), None)
        if named_clause is None and goals is not None:  # "设了哪些量化目标": the paragraph setting them
            named_clause = next((s for s in scored if s.source.unit.key == goals.key), None)
        if named_clause is not None and q.type == "list" and lists_instead(scored, named_clause):
            named_clause = None  # "What are the Five Major Programs?": the sentence naming them, not "To implement…"
        if named_clause is not None:
            scored = [named_clause] + [s for s in scored if s is not named_clause]
            q = replace(q, type="fact", how=True)

        def abstain(qtype: str = q.type, why: str = "") -> Answer:
            return Answer(asked_as, i18n.pick(i18n.ABSTAIN, qlang), True, _ms(t0), qlang, (),
                          tuple(sources[:top_k]), why, mode=mode, support=support, threshold=self.threshold,
                          warnings=result.warnings, question_type=qtype,
                          doc_scope=scope.to_dict() if scope else None)

        if (why := outside(question, query, q, scope, content, qlang, self.bank, self.names, self.store, self._folded_corpus)) is not None:
            return abstain(why=why)
        # A question that names its document (or says "this document") is about the corpus, and so
        # is a question about a document's structure or metadata: they answer on weaker support.
        if named_clause is None and members is None and q.type in ("fact", "list") and not (q.quantity or q.money) and \
                scope is not None and (n := titled_section(self.bank, self.store, squery, scope.family, qlang, shown_lang)
                                       or standing_section(self.bank, self.store, squery, scope.family)):
            q = replace(q, type="section", ref=SectionRef("section", n), how=True)  # a section named by its heading
        elif q.type not in ("doc_fact", "section", "outline") and scope is not None and \
                (n := section_on(self.bank, self.store, squery, scope.family, qlang, shown_lang)):
            q = replace(q, type="section", ref=SectionRef("section", n), how=True)  # "绿色低碳这一部分": the part on it
        slack = DOC_FACT_SLACK if q.type == "doc_fact" else SLACK
        # ...as does one that names a section of a document by its heading (下一步 → "III. Next Steps")
        bar = self.threshold - (slack if q.type != "fact" or (scope is not None and scope.reason in ("named", "kind", "described", "default"))
                                or named_sections else 0.0)
        if (q.type != "fact" or q.how or q.digest) and members is None and named_clause is None and (scope is not None or q.type == "section" or support >= bar):
            built = kinds.answer(self, q, query, scope, sources, scored, qlang, shown_lang, qvec)
            if built is not None:
                # before any LLM call: an answer about somewhere else is no answer, however phrased
                if (lacking := unsaid(query, built.cited.citations, q, self.bank, self.names)) is not None:
                    return abstain(why=i18n.pick(i18n.NOT_IN_ANSWER, qlang).format(what=lacking))
                cited_ids = {c.source.unit.clause_id for c in built.cited.citations}
                related = tuple(s for s in sources[:top_k] if s.unit.clause_id not in cited_ids)
                text, citations, items = built.text, list(built.cited.citations), tuple(built.cited.items)
                generator, fallback = "extractive", ""
                if self.llm is not None:  # the same typed sources (outline items, fact lines), the same checks
                    given = [c.source for c in citations]
                    text, citations, generator, fallback = self._generate(query, qlang, given, [], text, citations,
                                                                          quotes={c.source.unit.key: c.quotes for c in citations})
                    items = items if generator == "extractive" else ()
                note = i18n.script_note(qlang, [c.source.unit.lang for c in citations])
                return Answer(asked_as, text, False, _ms(t0), qlang, tuple(citations), related, note,
                              mode, support, self.threshold, generator, fallback, result.warnings, built.qtype,
                              built.scope.to_dict() if built.scope else None, items, built.card)
        if support < bar and not (exact and scored):
            return abstain("fact" if q.type == "list" else q.type)
        if members is not None:  # the sentence listing the members answers, as it is
            picked = complete(members[:1], self.bank)
        elif q.type == "list":  # a list asked of content: the enumerating clause's measures, all of them
            # a list of measures ("提了哪些要求") is not anchored by the opening or the goals paragraph either
            anchor = enumeration_first(anchor_first(scored, True) if q.detail and not q.goals else scored)[0]
            picked = whole_clause(anchor, self.bank, CLAUSE_CHARS) + self._sibling_paragraphs(query, anchor, qlang, qvec)
            picked += complete(other_clauses(_measures_only(scored, q.detail and not q.goals and not asks_why(question)), anchor, picked), self.bank)
        elif q.digest:  # a topic summed up: the best clause, then sentences of the next best
            picked = complete(digest(scored, self.bank, CLAUSE_CHARS), self.bank)
        elif q.how:  # "how": the anchor clause's measures, all of them
            picked = whole_clause(scored[0], self.bank, CLAUSE_CHARS)
            if goals is None or scored[0].source.unit.key != goals.key:  # the goals paragraph is the whole answer
                picked += complete(other_clauses(_measures_only(scored, q.measures), scored[0], picked), self.bank)
        else:
            picked = complete(compose(scored), self.bank)
            if q.quantity and not any(has_figure(s.text, dates=q.year) for s in picked):  # asked 多少, told no figure
                return abstain(why=i18n.pick(i18n.NO_FIGURE, qlang))
            if q.money and not any(has_sum(s.text, q.money) for s in picked):  # asked for billions, told a rate
                return abstain(why=i18n.pick(i18n.NO_FIGURE, qlang))
            if q.where and not any(names_place(s.text, self.bank) for s in picked):  # asked where, told of no place
                return abstain(why=i18n.pick(i18n.NO_PLACE, qlang))
        if q.positions and not subject and picked:  # "X和Y分别被定位成什么": each thing's characterizing topic line
            picked += positioned(scored, picked, self.bank)
        if q.balance and picked:
            picked = self._principles_first(picked, scope, qlang, shown_lang)
        citations, text = cite(picked, qlang)
        if (lacking := unsaid(query, citations, q, self.bank, self.names)) is not None:
            return abstain(why=i18n.pick(i18n.NOT_IN_ANSWER, qlang).format(what=lacking))
        generator, fallback = "extractive", ""
        if self.llm is not None:
            text, citations, generator, fallback = self._generate(query, qlang, sources[:POOL], scored, text, citations)
        cited = {c.source.unit.clause_id for c in citations}
        related = tuple(s for s in sources[:top_k] if s.unit.clause_id not in cited)
        note = i18n.script_note(qlang, [c.source.unit.lang for c in citations])
        return Answer(asked_as, text, False, _ms(t0), qlang, tuple(citations), related, note, mode,
                      support, self.threshold, generator, fallback, result.warnings,
                      "list" if q.type == "list" else "fact", scope.to_dict() if scope else None)

    def score_sentences(self, query: str, sources: Sequence[Source], qlang: Lang,
                        qvec: np.ndarray | None = None, named_as: str = "", detail: bool = False,
                        measures: bool = False) -> list[Scored]:
        """serve.scoring.score_sentences with this answerer's sentence bank and encoder."""
        return score_sentences(self.bank, self.encoder, query, sources, qlang, qvec, named_as, detail, measures)

    # ------------------------------------------------------------------ helpers
    def _sibling_paragraphs(self, query: str, anchor: Scored, qlang: Lang, qvec) -> list[Scored]:
        """A list asked of a prose part (the Qiushi article's seven parts are paragraphs under a
        heading, not numbered clauses): its items run on past the anchor paragraph, so each other
        paragraph of the part adds its best sentence for the question, in document order."""
        unit = anchor.source.unit
        if unit.kind != "paragraph" or not unit.heading:
            return []
        siblings = [u for u in self.store.units if u.doc_id == unit.doc_id and u.kind == "paragraph"
                    and u.heading == unit.heading and u.clause_id != unit.clause_id]
        sources = [Source(u, anchor.source.doc, (), anchor.source.rank, anchor.source.score) for u in siblings]
        best = {}
        for s in self.score_sentences(query, sources, qlang, qvec):
            best.setdefault(s.source.unit.key, s)
        return complete([best[u.key] for u in siblings if u.key in best and best[u.key].score >= anchor.score - SIBLING_MARGIN],
                        self.bank, continuation=False)

    def _principles_first(self, picked: list[Scored], scope, qlang: Lang, shown: Lang | None) -> list[Scored]:
        """`picked` after the answering document's guiding-principles paragraph, which states the
        balance a "how does it weigh X against Y" question asks about."""
        from policyqa.serve import outline

        family = scope.family if scope is not None else family_of(picked[0].source.unit)
        found = outline.principles(self.store, family, qlang, shown)
        if found is None:
            return picked
        unit, spans = found
        source = source_of(self.store, unit)
        lead = [Scored(source, a, b, unit.text[a:b], i, 0.0, 0.0) for i, (a, b) in enumerate(spans)]
        return lead + [s for s in picked if s.source.unit.clause_id != unit.clause_id]

    def _folded_corpus(self) -> str:
        if self._corpus is None:  # on first use: most questions quote no title
            self._corpus = fold("\n".join(u.text for u in self.store.units))
        return self._corpus

    def _source(self, hit) -> Source:
        return Source(hit.unit, self.store.doc(hit.unit.doc_id),
                      tuple((u, self.store.doc(u.doc_id)) for u in hit.parallel), hit.rank, hit.score)

    def _generate(self, query, qlang, sources, scored, text, citations, quotes=None):
        from policyqa.serve.llm import generate_cited

        return generate_cited(self.llm, query, qlang, sources, scored, text, citations, quotes)


def _measures_only(scored: Sequence[Scored], measures: bool) -> Sequence[Scored]:
    """`scored` without the opening and goals paragraphs' sentences when the question asks for
    measures: they say why and what for, never how, so they add no measure to an answer."""
    if not measures:
        return scored
    return [s for s in scored if not (is_preamble(s.source.unit) or is_goals(s.source.unit))]


def _ms(t0: float) -> float:
    return (time.perf_counter() - t0) * 1000
