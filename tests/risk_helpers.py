"""A complete, compliant government service contract in the spec's [[text|LABEL]] notation, one clause
unit per entry, for risk-rule tests: a rule PASSes on it, and HITs once one unit is removed or replaced."""

from __future__ import annotations

from typing import Any

from hetong.risk import ReviewMetadata, RuleResult, evaluate
from hetong.schema import Document, Span, Unit
from training.markup import render

# name -> (markup, clause types). Order is document order.
BASE: dict[str, tuple[str, tuple[str, ...]]] = {
    "title": ("[[温州市瓯江区政务信息系统运维服务合同|CONTRACT_NAME]]", ("OTHER",)),
    "numbers": (
        "合同编号：[[OJZW-FW-2025-017|CONTRACT_NO]]  采购项目编号：[[WZOJ2025-G-0142|PROJECT_NO]]",
        ("OTHER",),
    ),
    "buyer": (
        "甲方（采购人）：[[温州市瓯江区数据管理中心|PARTY_A]]，统一社会信用代码：[[12330300470012345F|USCC]]，"
        "地址：[[浙江省温州市瓯江区江滨路88号|ADDRESS]]，负责人：[[陈志远|LEGAL_REP]]，"
        "联系人：[[李倩|CONTACT]]，电话：[[0577-88990011|PHONE]]",
        ("PARTIES",),
    ),
    "supplier": (
        "乙方（供应商）：[[浙江瓯信（温州）科技有限公司|PARTY_B]]，统一社会信用代码：[[91330302MA2HQ8K4X9|USCC]]，"
        "地址：[[温州市鹿城区车站大道577号|ADDRESS]]，法定代表人：[[王建国|LEGAL_REP]]，"
        "联系人：[[黄俊杰|CONTACT]]，电话：[[13957700123|PHONE]]",
        ("PARTIES",),
    ),
    "recital": (
        "根据[[2025年6月20日|DATE_OTHER]]发出的中标通知书，甲乙双方依据《中华人民共和国政府采购法》签订本合同。",
        ("RECITAL",),
    ),
    "scope": (
        "乙方为甲方提供政务信息系统运维服务，服务内容、服务标准及人员配置详见采购需求，服务地点为"
        "[[温州市瓯江区行政中心|PERF_PLACE]]。",
        ("SUBJECT", "SERVICE_SCOPE"),
    ),
    "price": (
        "合同总价为人民币（大写）[[壹佰贰拾万元整|AMT_TOTAL_UPPER]]（小写：[[¥1,200,000.00|AMT_TOTAL_LOWER]]），"
        "含[[6%|RATE_TAX]]增值税，为固定总价。",
        ("PRICE",),
    ),
    "pay1": (
        "（1）[[合同签订后[[10个工作日内|PERIOD]]，甲方支付合同总价的[[30%|RATE_PAYMENT]]，"
        "即[[¥360,000.00|AMT_INSTALLMENT]]|CL_MS_PAY]]；",
        ("PAYMENT",),
    ),
    "pay2": (
        "（2）[[项目验收合格且甲方收到发票后[[15日内|PERIOD]]，甲方支付合同总价的[[65%|RATE_PAYMENT]]，"
        "即[[¥780,000.00|AMT_INSTALLMENT]]|CL_MS_PAY]]；",
        ("PAYMENT", "ACCEPTANCE"),
    ),
    "pay3": (
        "（3）[[剩余[[5%|RATE_BOND]]即[[¥60,000.00|AMT_WARRANTY]]作为质保金，质保期满后[[15日内|PERIOD]]无息支付|CL_MS_PAY]]。",
        ("PAYMENT", "WARRANTY"),
    ),
    "invoice": ("乙方应在每次收款前开具等额增值税专用发票。", ("INVOICE",)),
    "term": (
        "服务期限为[[一年|TERM]]，自[[2025年7月1日|DATE_START]]起至[[2026年6月30日|DATE_END]]止。",
        ("TERM_RENEWAL",),
    ),
    "delivery": (
        "[[乙方应在合同签订后[[10日内|PERIOD]]完成运维人员进场并开始提供服务|CL_MS_DELIVERY]]。",
        ("DELIVERY",),
    ),
    "acceptance": (
        "[[甲方应在收到乙方书面验收申请之日起[[10个工作日内|PERIOD]]组织验收，并出具验收书|CL_MS_ACCEPT]]，"
        "验收标准为采购需求所列服务标准。",
        ("ACCEPTANCE",),
    ),
    "warranty": ("质保期为[[一年|PERIOD_WARRANTY]]，自验收合格之日起计算。", ("WARRANTY",)),
    "bond": (
        "乙方应在合同签订前以银行保函形式提交合同总价[[5%|RATE_BOND]]的履约保证金，即[[¥60,000.00|AMT_PERF_BOND]]，"
        "[[甲方在服务期满且验收合格后[[15日内|PERIOD]]无息退还|CL_MS_PAY]]。",
        ("BOND",),
    ),
    "breach_supplier": (
        "[[乙方逾期提供服务的，每逾期一日按合同总价的[[万分之五|RATE_PENALTY]]向甲方支付违约金，"
        "累计不超过合同总价的[[10%|RATE_OTHER]]|CL_BREACH]]。",
        ("BREACH",),
    ),
    "breach_buyer": (
        "[[甲方无正当理由逾期付款的，应按逾期未付款项每日[[万分之五|RATE_PENALTY]]向乙方支付逾期利息|CL_BREACH]]。",
        ("BREACH",),
    ),
    "termination": (
        "[[乙方逾期超过30日仍未提供服务的，甲方有权书面通知解除合同|CL_TERMINATION]]。",
        ("TERMINATION",),
    ),
    "confidentiality": (
        "[[乙方对履约中知悉的政务数据和个人信息负有保密义务，未经甲方书面同意不得向第三方披露|CL_CONFIDENTIAL]]。",
        ("CONFIDENTIALITY", "DATA_SECURITY"),
    ),
    "ip": ("[[乙方为本项目开发的脚本、文档等成果的知识产权归甲方所有|CL_IP]]。", ("IP",)),
    "tax": ("[[乙方应在[[温州市瓯江区|TAX_LOCATION]]依法申报缴纳本项目税款|CL_TAX]]。", ("TAX",)),
    "force_majeure": ("因不可抗力不能履行合同的，受影响方应及时通知对方并提供证明。", ("FORCE_MAJEURE",)),
    "dispute": (
        "[[因本合同发生的争议，双方协商不成的，向[[甲方所在地人民法院|COURT]]提起诉讼|CL_DISPUTE]]。",
        ("DISPUTE",),
    ),
    "effect": ("本合同自双方签字盖章之日起生效，一式肆份。", ("EFFECT",)),
    "signature": (
        "甲方（盖章）：[[温州市瓯江区数据管理中心|PARTY_A]]  负责人（签字）：[[陈志远|LEGAL_REP]]  "
        "乙方（盖章）：[[浙江瓯信（温州）科技有限公司|PARTY_B]]  法定代表人（签字）：[[王建国|LEGAL_REP]]  "
        "签订日期：[[2025年7月1日|DATE_SIGN]]",
        ("SIGNATURE",),
    ),
}

META: dict[str, Any] = {
    "buyer_type": "事业单位",
    "supplier_size": "小型",
    "category": "服务",
    "regime": "政府采购",
    "today": "2025-10-01",
}


def build(
    replace: dict[str, tuple[str, tuple[str, ...]] | str | None] | None = None,
    add: dict[str, tuple[str, tuple[str, ...]] | str] | None = None,
) -> Document:
    """The base contract with units replaced (None removes; a string keeps the old types) or added."""
    units = dict(BASE)
    for name, new in (replace or {}).items():
        if new is None:
            units.pop(name)
        else:
            units[name] = (new, BASE[name][1]) if isinstance(new, str) else new
    for name, new in (add or {}).items():
        units[name] = (new, ("OTHER",)) if isinstance(new, str) else new
    text_parts: list[str] = []
    ent: list[Span] = []
    cl: list[Span] = []
    unit_list: list[Unit] = []
    offset = 0
    for markup, types in units.values():
        rendered = render(markup, {}).shifted(offset)
        ent += rendered.ent
        cl += rendered.cl
        unit_list.append(Unit(offset, offset + len(rendered.text), types))
        text_parts.append(rendered.text)
        offset += len(rendered.text) + 1
    return Document("risk-test", "\n".join(text_parts), ent, cl, unit_list)


def results(doc: Document | None = None, **meta: Any) -> dict[str, RuleResult]:
    metadata = ReviewMetadata.from_mapping({**META, **meta})
    return {r.rule_id: r for r in evaluate(doc if doc is not None else build(), metadata)}


def status(rule_id: str, doc: Document | None = None, **meta: Any) -> str:
    return results(doc, **meta)[rule_id].status
