"""A topic gathered from across a document: each clause that names it, by the sentence that does.

"关于各类园区，意见都提了哪些要求？", "What kinds of platforms does No. 258 call for?": what is asked
for is named in several clauses, and none of them lists it all, so the best clause in full (a list
answered from content) or the best few sentences (a topic summed up) leave most of it out. A word
of the question that names a topic -- not a question word, not the document's name -- and that
occurs in MIN_CLAUSES to MAX_CLAUSES of the document's clauses is gathered when the search's best
clause never names it: one line per such clause in reading order, the sentence with the most of the
topic's words (after a numbered clause's number and title), cited. A word found in more
clauses than that is a theme of the whole document (制造业, enterprises), not a topic one can gather.

Only words of the question's own language are matched: a document without a version in that
language is answered as before.
"""
from __future__ import annotations

from policyqa.corpus.types import Lang, Unit
from policyqa.serve import outline
from policyqa.serve.cited import Cited, item_text, marker, title_span, version, whole_sentences

MIN_CLAUSES = 3
MAX_CLAUSES = 8
# Words that ask rather than name: the analyzer's tokens of the cue words questions use (Chinese
# after script folding, English stemmed).
GENERIC = frozenset(
    "关于 有关 方面 提出 提到 提 要求 安排 部署 措施 举措 工作 内容 具体 哪些 什么 如何 怎么 怎样 总结 概括 归纳 整理 一下 "
    "文件 意见 指导 报告 文章 材料 政策 这份 那份 这篇 那篇 各类 各种 类 哪 几 些 说 讲 谈 要 都 了 对 在 里 中 和 与 及 等 进行 推动 加强 支持 "
    "kind type what which how do doe call build use make say mention list give set out off over propos measur step sum up summar summari summaris overview recap rundown "
    "document opinion guid guidanc guidelin polici articl essay report piec paper text file materi state plan "
    "boost improv enhanc strengthen promot foster acceler bolster advanc 提升 提高 增强 促进 加快 推进".split()
)


def _content(store, family: str, qlang: Lang, lang: Lang | None) -> list[Unit]:
    """The document's content units in reading order, each in the language shown for the question."""
    intro, nodes = outline.tree(store, family)
    units = [*intro, *(c for n in nodes for c in n.children)]
    shown = [version(store, u.clause_id, qlang, lang) or u for u in units]
    return [u for u in shown if u.kind in ("clause", "paragraph", "item") and not outline.is_salutation(u)]


def gather(answerer, query: str, family: str, qlang: Lang, lang: Lang | None, drop: str = "",
           anchor: Unit | None = None) -> tuple[str, Cited] | None:
    """The gathered answer, or None when the question names no topic that a few clauses share."""
    bank, store = answerer.bank, answerer.store
    units = _content(store, family, qlang, lang)
    if not units or units[0].lang != qlang:
        return None
    dropped = set(bank.tokenize(drop)) if drop else set()
    words = {t for t in bank.tokenize(query) if t not in GENERIC and t not in dropped and not t.startswith("§")}
    found: dict[str, list[Unit]] = {}
    for u in units:
        tokens = set().union(*(s.tokens for s in bank.sentences(u))) if bank.sentences(u) else set()
        for w in words & tokens:
            found.setdefault(w, []).append(u)
    topic = {w for w, us in found.items() if MIN_CLAUSES <= len(us) <= MAX_CLAUSES}
    if not topic:
        return None
    # The search's best clause answers unless it never names the topic: then it answers something
    # else (chosen on the tuning half: gathering also when it names the topic once or more replaced
    # good one-clause answers -- "the Five Major Programs" are listed in one item).
    if anchor is not None and any(s.tokens & topic for s in bank.sentences(anchor)):
        return None
    cited, lines = Cited(store), []
    for u in units:
        sents = [s for s in bank.sentences(u) if s.tokens & topic]
        if not sents:
            continue
        best = max(sents, key=lambda s: len(s.tokens & topic))  # the first of the best, on ties
        span = next(((a, b) for a, b in whole_sentences(u) if a <= best.start < b), (best.start, best.end))
        text, spans = u.text[span[0]:span[1]].strip(), [span]
        head = title_span(u)
        if u.kind in ("clause", "item") and u.number:  # "（七）推动产业园区…：" first
            if span[0] >= head[1]:
                text, spans = item_text(u, head) + (": " if u.lang == "en" else "：") + text, [head, span]
            else:  # the title itself names the topic: quoted with its number, as written
                text, spans = item_text(u, head), [head]
        cited.item(text, u, spans)
        lines.append(marker(text, cited.items[-1].n, u.lang))
    return "\n".join(lines), cited
