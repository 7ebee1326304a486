"""What a question asks for that an answer's clauses never say: the office of a person asked for,
the conditions to qualify, and things a policy text may or may not state (penalties, its period of
validity, foreign investment). Each check takes `said`, the cited clauses' text in every version,
folded, computed only when the question asks for such a thing.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from policyqa.serve.question import normalize

_ROLES_ZH = "副组长|组长|副部长|部长|司长|局长|主任|书记|负责人|总理|主席|省长|市长|发言人"
_ROLES_EN = r"minister|director|head|chair(?:man|woman|person)?|secretary|governor|mayor|premier|president|spokes(?:man|woman|person)"
# A person asked for by the office they hold ("领导小组的组长由谁担任", "who is the minister heading…").
_ROLE_ASKED = re.compile(rf"(?:谁|哪位|哪一位|什么人)(?:担任|出任|任|是|做)?[^，,。？?]{{0,8}}?({_ROLES_ZH})|({_ROLES_ZH})(?:是|由|为)(?:谁|哪位|哪一位)"
                         rf"|\bwho (?:is|was|are|were) (?:the )?(?:[\w-]+ ){{0,3}}?({_ROLES_EN})\b|\b(?:which|what) ({_ROLES_EN}|official)\b"
                         rf"|\bname of the ({_ROLES_EN}|official)\b", re.IGNORECASE)


def unsaid_role(text: str, said: Callable[[], str]) -> str | None:
    """The office of a person the question asks for ("组长", "minister") when the answer's clauses
    never name it: they do not say who holds it. `said`: their text in every version, folded, asked
    for only when the question asks for a person."""
    folded = normalize(text)
    m = _ROLE_ASKED.search(folded)
    group = next((i for i, g in enumerate(m.groups(), 1) if g), None) if m else None
    if group is None or m.group(group) in said():
        return None
    # as the question wrote it (組長), where folding kept the length
    return text[m.start(group):m.end(group)] if len(folded) == len(text) else m.group(group)


# The conditions one must meet to apply or be recognized ("需要满足哪些条件", "认定标准", "eligibility"):
# an answer that never states conditions does not give them.
_CRITERIA_ASKED = re.compile(r"(?:满足|符合|具备|达到)(?:哪些|什么|啥)(?:条件|标准|要求)|(?:认定|评定|申请|申报|入选|准入)(?:的)?(?:条件|标准|门槛)"
                             r"|门槛|\beligib\w*|\bcriteria\b|\bqualify for\b|\bconditions (?:for|to)\b", re.IGNORECASE)
_CRITERIA_SAID = re.compile(r"条件|标准|门槛|criteri|condition|eligib|qualif", re.IGNORECASE)


def unsaid_criteria(text: str, said: Callable[[], str]) -> str | None:
    """The conditions the question asks for ("认定标准") when the answer's clauses state none: they
    say a thing is supported, not who qualifies. `said`: their text in every version, folded."""
    m = _CRITERIA_ASKED.search(normalize(text))
    if m is None or _CRITERIA_SAID.search(said()):
        return None
    return m.group(0)


# Things a policy text may or may not state, asked for by name: each is answered only by clauses that
# speak of it ("违反了怎么处罚", "how long is it valid", "外资企业…放宽准入"); the nearest clause on the
# topic says what is supported, never these.
_SUBJECTS: tuple[tuple[re.Pattern, re.Pattern], ...] = tuple((re.compile(asked, re.IGNORECASE), re.compile(said, re.IGNORECASE)) for asked, said in (
    (r"处罚|罚款|罚则|惩罚|惩戒|追责|问责|\bpenalt\w*|\bsanction\w*|\bpunish\w*",
     r"处罚|罚款|罚则|惩罚|惩戒|追责|问责|penalt|sanction|punish"),
    (r"有效期|失效|废止|(?:何时|什么时候)(?:起)?(?:施行|生效)|施行日期|\bexpir\w*|\bvalid (?:until|till|for)\b|\bvalidity\b|\b(?:in|into) force\b|\btakes? effect\b",
     r"有效期|失效|废止|施行|生效|expir|\bvalid (?:until|till|for|from)\b|validity|in force|\btakes? effect|\beffective (?:from|as of|on|until|date)\b"),
    (r"外资|外商|外企|\bforeign[- ](?:funded|invested|owned|investment|investors?|companies|firms|enterprises|capital)\b",
     r"外资|外商|foreign[- ](?:funded|invested|owned|investment|investors?|companies|firms|enterprises|capital)"),
))


def unsaid_subject(text: str, said: Callable[[], str]) -> str | None:
    """What the question asks for by name (a penalty, a period of validity, foreign investment) when
    the answer's clauses never speak of it, as the question wrote it; else None."""
    folded = normalize(text)
    for asked, spoken in _SUBJECTS:
        if (m := asked.search(folded)) and not spoken.search(said()):
            return text[m.start():m.end()] if len(folded) == len(text) else m.group(0)
    return None
