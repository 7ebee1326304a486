"""serve.tense: a question about plans is answered from a document's next steps, one about what was
done from its progress, when both sections speak of the topic."""
from __future__ import annotations

import pytest

from policyqa.corpus.types import Unit
from policyqa.serve.records import Scored, Source
from policyqa.serve.tense import TENSE_MARGIN, tense_first


def _scored(heading: str, score: float) -> Scored:
    text = f"A sentence under {heading}."
    u = Unit("d", f"d/{heading[:3]}/{score}", "en", "item", (heading,), "", text, 0, len(text))
    return Scored(Source(u, None, (), 1, 0.5), 0, len(text), text, 0, score, score)


PROGRESS = _scored("I. Progress of Main Activities", 0.50)
NEXT = _scored("III. Next Steps", 0.45)


@pytest.mark.parametrize("question,first", [
    ("按2017年的安排，试点要扩大到多少个城市？", NEXT), ("What will MIIT do next on pilot cities?", NEXT),
    ("How many pilot cities had been approved?", None),  # the best is of the time asked already
    ("Which pilot cities are there?", None),  # no time asked
])
def test_the_section_of_the_time_asked_answers_first(answerer, question, first):
    got = tense_first([PROGRESS, NEXT], question, answerer.bank)
    assert (got[0] if got else None) is first


def test_only_within_the_margin(answerer):
    far = _scored("III. Next Steps", 0.50 - TENSE_MARGIN - 0.01)
    assert tense_first([PROGRESS, far], "What will MIIT do next?", answerer.bank) is None
    assert tense_first([NEXT, PROGRESS], "What had been achieved so far?", answerer.bank)[0] is PROGRESS


def test_a_plan_asked_of_the_report_is_answered_from_its_next_steps(answerer):
    a = answerer.ask("What new models of smart manufacturing does MIIT's report plan to develop next?")
    assert a.citations[0].source.unit.heading == ("III. Next Steps",) and "discrete smart manufacturing" in a.answer
