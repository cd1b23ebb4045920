"""Spec C.1 lexicons: each matches its spec patterns, honours the negation guard and keeps offsets."""

from __future__ import annotations

import pytest

from hetong import lexicons as lx

POSITIVE = [
    (lx.LEX_FUNDS_COND, "待财政资金到位后10日内支付剩余款项"),
    (lx.LEX_AUDIT_SETTLE, "工程结算价以审计结果为准"),
    (lx.LEX_INTERNAL_DELAY, "甲方履行完内部付款审批手续后支付"),
    (lx.LEX_NONCASH, "甲方可以商业承兑汇票方式支付"),
    (lx.LEX_CASH_ONLY, "履约保证金须以现金方式缴纳"),
    (lx.LEX_GUARANTEE, "甲方对乙方在本项目下的融资承担连带保证责任"),
    (lx.LEX_UNLIMITED, "由甲方承担全部责任"),
    (lx.LEX_ANY_TERMINATION, "任何一方提前30日书面通知对方即可解除本合同"),
    (lx.LEX_AUTO_RENEW, "合同期满双方未提出书面异议的，本合同自动续期一年"),
    (lx.LEX_RENEW_GUARD, "期满后经政府采购程序重新确定服务单位"),
    (lx.LEX_VAGUE_TIME, "甲方应尽快组织验收"),
    (lx.LEX_SUBCONTRACT_FREE, "乙方可将部分服务分包给第三方"),
    (lx.LEX_EXEMPT, "乙方对施工中发生的人员伤亡不承担责任，甲方对人身伤亡概不负责"),
    (lx.LEX_LOCAL_REG, "乙方须在本区注册设立子公司"),
    (lx.LEX_ORG_CHANGE, "因机构改革需要，甲方有权解除本合同"),
    (lx.LEX_SATISFACTION, "验收以甲方满意为准"),
    (lx.LEX_OPEN_PRICE, "服务费按实际工作量据实结算"),
    (lx.LEX_NO_BUYER_LIAB, "甲方逾期付款不视为违约"),
]


@pytest.mark.parametrize(("lexicon", "text"), POSITIVE, ids=[lex.name for lex, _ in POSITIVE])
def test_lexicon_matches_its_pattern(lexicon: lx.Lexicon, text: str) -> None:
    assert lexicon.matches(text)


@pytest.mark.parametrize(
    ("lexicon", "text"),
    [
        (lx.LEX_FUNDS_COND, "付款不得以财政资金到位为条件，甲方应于验收合格后30日内付款"),
        (lx.LEX_ANY_TERMINATION, "乙方逾期超过30日的，甲方有权书面通知解除合同"),
        (lx.LEX_AUTO_RENEW, "本合同不得自动续期"),
        (lx.LEX_GUARANTEE, "乙方应提交银行保函作为履约担保"),
        (lx.LEX_AUDIT_SETTLE, "审计作为内部监督程序，不影响付款期限"),
    ],
)
def test_clean_or_negated_text_does_not_match(lexicon: lx.Lexicon, text: str) -> None:
    assert not lexicon.matches(text)


def test_full_width_text_matches_with_original_offsets() -> None:
    text = "双方同意：任何一方提前３０日书面通知对方即可解除本合同。"
    ((start, end),) = lx.LEX_ANY_TERMINATION.find(text)
    assert text[start:end].startswith("任何一方") and text[start:end].endswith("解除")


def test_a_then_b_must_be_in_one_sentence() -> None:
    assert not lx.LEX_GUARANTEE.matches("甲方负责组织验收。乙方向银行申请融资时，由担保公司提供担保")


def test_every_lexicon_is_listed_once() -> None:
    assert len(lx.BY_NAME) == len(lx.ALL) == 18
