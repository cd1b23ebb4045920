"""The shared lexicons of spec C.1, as regular expressions with the negation guard.

Lexicons are matched on clause-unit text after full-width → half-width conversion (done here, offsets
kept: the conversion maps one character to one character). ``A…B`` in the spec means A followed by B
within 20 characters of the same sentence, written here as ``A[^。；;！？!?]{0,20}?B``. A match is dropped
when 不/不得/无权/禁止/严禁 stands within 6 characters before it (the negation guard), except for the
lexicons whose spec entry says the guard does not apply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hetong.normalize import half_width

_GAP = r"[^。；;！？!?\n]{0,20}?"
_NEGATION = re.compile(r"不|不得|无权|禁止|严禁")
_NEGATION_WINDOW = 6


@dataclass(frozen=True, slots=True)
class Lexicon:
    name: str
    pattern: re.Pattern[str]
    negation_guard: bool = True

    def find(self, text: str) -> list[tuple[int, int]]:
        """Offsets ``[start, end)`` of each unguarded match in ``text``."""
        return self.find_half_width(half_width(text))

    def find_half_width(self, half: str) -> list[tuple[int, int]]:
        """:meth:`find` on text already through :func:`~hetong.normalize.half_width` (a caller matching
        many lexicons on one text converts it once)."""
        found = []
        for match in self.pattern.finditer(half):
            before = half[max(0, match.start() - _NEGATION_WINDOW) : match.start()]
            if self.negation_guard and _NEGATION.search(before):
                continue
            found.append((match.start(), match.end()))
        return found

    def matches(self, text: str) -> bool:
        return bool(self.find(text))


def _lex(name: str, pattern: str, negation_guard: bool = True) -> Lexicon:
    return Lexicon(name, re.compile(pattern.replace("…", _GAP)), negation_guard)


_BUYER = r"(?:甲方|采购人|发包人|委托方|需方|买方)"
_ANY_PARTY = r"(?:任何一方|任一方|甲方|乙方|采购人|供应商)"

LEX_FUNDS_COND = _lex(
    "LEX_FUNDS_COND",
    r"财政资金(?:未)?(?:及时)?到位|资金到位后|待上级拨款|上级拨款到位|财政拨付后|根据财政资金拨付进度|"
    r"收到(?:上级|业主|第三方|建设单位)?(?:拨付)?款项后|收到[^。；;]{0,10}?拨付的?款项后|视资金情况",
)
LEX_AUDIT_SETTLE = _lex(
    "LEX_AUDIT_SETTLE",
    r"以(?:审计|财政评审)(?:结果|结论|报告|审定金额|部门审定金额)?为(?:准|结算依据|最终结算价)|"
    r"经审计部门审定后结算|以财政评审结果为准|以审计结果作为结算依据",
)
LEX_INTERNAL_DELAY = _lex(
    "LEX_INTERNAL_DELAY",
    r"内部审批(?:流程)?完成后|履行完(?:内部)?付款审批手续后|待(?:竣工验收备案|决算审计)完成后",
)
LEX_NONCASH = _lex(
    "LEX_NONCASH",
    r"商业汇票|商业承兑汇票|银行承兑汇票|应收账款电子凭证|(?:以|用)…(?:抵顶|抵扣|以物抵债)",
)
LEX_CASH_ONLY = _lex(
    "LEX_CASH_ONLY",
    r"(?:履约保证金|质保金|保证金)…(?:以现金|转账|汇款)方式(?:缴纳|提交)|不接受(?:银行)?保函|须以现金",
    negation_guard=False,
)
LEX_GUARANTEE = _lex(
    "LEX_GUARANTEE",
    rf"{_BUYER}…(?:提供担保|作为保证人|承担(?:连带)?保证责任|出具(?:担保函|承诺函|安慰函)|兜底|回购|"
    r"保证[^。；;，,]{0,12}?(?:收益|回报))",
)
LEX_UNLIMITED = _lex(
    "LEX_UNLIMITED",
    rf"{_BUYER}…(?:承担(?:全部|一切|无限)(?:责任|损失)|无限连带责任|负责赔偿乙方全部损失)",
)
LEX_ANY_TERMINATION = _lex(
    "LEX_ANY_TERMINATION",
    rf"{_ANY_PARTY}…(?:可随时解除|有权随时(?:解除|终止)|"
    r"提前\d+(?:日|天)(?:以)?(?:书面)?(?:形式)?通知(?:对方)?(?:后)?[，,]?(?:即可|可)?解除|"
    r"单方(?:解除|终止)(?:本合同)?)",
)
LEX_AUTO_RENEW = _lex(
    "LEX_AUTO_RENEW",
    r"自动续(?:期|签|约)|自动顺延|自动延续|(?:期满|到期)…(?:未提出(?:书面)?异议|未书面通知)…(?:继续有效|顺延|续展)|"
    r"合同期限届满后自动延长",
)
LEX_RENEW_GUARD = _lex(
    "LEX_RENEW_GUARD",
    r"经(?:采购程序|政府采购程序|重新采购|审批|预算批准|考核合格并报批)",
    negation_guard=False,
)
LEX_VAGUE_TIME = _lex(
    "LEX_VAGUE_TIME",
    r"及时|尽快|尽早|合理期限内|另行协商(?:确定)?|视情况|按甲方(?:通知|要求)(?:的)?时间|适时",
)
LEX_SUBCONTRACT_FREE = _lex(
    "LEX_SUBCONTRACT_FREE",
    r"乙方(?:可|有权)(?:自行)?(?:将[^。；;]{0,20}?)?(?:分包|转包|委托第三方(?:完成|实施))|"
    r"无需(?:经)?甲方同意…(?:分包|转让)",
)
LEX_EXEMPT = _lex(
    "LEX_EXEMPT",
    r"(?:不承担|免除|概不负责)…(?:人身(?:伤亡|损害)|人员伤亡)|(?:故意|重大过失)…(?:不承担|免责)",
    negation_guard=False,
)
LEX_LOCAL_REG = _lex(
    "LEX_LOCAL_REG",
    r"(?:须|应)(?:在[^。；;]{1,12}?)?(?:注册|设立)(?:公司|子公司|分公司|独立法人)|(?:税务关系|纳税关系)(?:迁入|落户)",
)
LEX_ORG_CHANGE = _lex(
    "LEX_ORG_CHANGE",
    r"(?:机构(?:改革|调整)|职能调整|行政区划调整|政府换届|领导(?:变更|更替)|负责人变更)…"
    r"(?:解除|终止|不再履行|重新协商价格|暂停付款)",
)
LEX_SATISFACTION = _lex(
    "LEX_SATISFACTION",
    r"以甲方满意为准|甲方认可即为合格|达到甲方要求|以甲方(?:意见|确认)为准",
)
LEX_OPEN_PRICE = _lex(
    "LEX_OPEN_PRICE",
    r"以实际(?:结算|发生|工作量)为准|暂定价|据实结算",
)
LEX_NO_BUYER_LIAB = _lex(
    "LEX_NO_BUYER_LIAB",
    r"甲方不承担(?:任何)?违约责任|甲方逾期付款(?:不视为违约|不承担责任)",
    negation_guard=False,
)

ALL: tuple[Lexicon, ...] = (
    LEX_FUNDS_COND,
    LEX_AUDIT_SETTLE,
    LEX_INTERNAL_DELAY,
    LEX_NONCASH,
    LEX_CASH_ONLY,
    LEX_GUARANTEE,
    LEX_UNLIMITED,
    LEX_ANY_TERMINATION,
    LEX_AUTO_RENEW,
    LEX_RENEW_GUARD,
    LEX_VAGUE_TIME,
    LEX_SUBCONTRACT_FREE,
    LEX_EXEMPT,
    LEX_LOCAL_REG,
    LEX_ORG_CHANGE,
    LEX_SATISFACTION,
    LEX_OPEN_PRICE,
    LEX_NO_BUYER_LIAB,
)
BY_NAME: dict[str, Lexicon] = {lexicon.name: lexicon for lexicon in ALL}
