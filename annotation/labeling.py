"""The Label Studio labeling config, generated from :mod:`hetong.schema` (never written by hand).

One ``Text`` object and three controls on it:

* ``ent`` — span labels for every ENT label (Tier 1 and 2), hint = the Chinese name, one colour per group;
* ``cl`` — span labels for the CL labels;
* ``unit`` — the clause units (pre-created by the import, one region each) with ``types``, per-region
  multi-choice clause types, shown when a unit region is selected.

Offsets in Label Studio are JavaScript string offsets (UTF-16 code units); :mod:`annotation.convert`
translates them to the code-point offsets of our JSONL.
"""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from hetong.schema import CL_LABELS, CLAUSE_TYPES, ENT_LABELS

ENT_CONTROL, CL_CONTROL, UNIT_CONTROL, TYPES_CONTROL, TEXT_OBJECT = "ent", "cl", "unit", "types", "text"
UNIT_LABEL = "UNIT"

GROUP_COLOURS = {
    "party": "#7fb2f0",
    "identity": "#9ad0c2",
    "amount": "#ffbf5e",
    "rate": "#ff9a85",
    "date": "#8fd98f",
    "period": "#b9a2ff",
    "other": "#c8c8c8",
}
CL_COLOUR = "#f2d16b"
UNIT_COLOUR = "#dddddd"


def labeling_config() -> str:
    """The XML a Label Studio project is created with."""
    lines = ["<View>", '  <Header value="合同标注 hetong"/>']
    lines.append(f'  <Labels name="{ENT_CONTROL}" toName="{TEXT_OBJECT}" showInline="true">')
    for label in ENT_LABELS:
        lines.append(_label(label.name, label.zh, GROUP_COLOURS.get(label.group, GROUP_COLOURS["other"])))
    lines.append("  </Labels>")
    lines.append(f'  <Labels name="{CL_CONTROL}" toName="{TEXT_OBJECT}" showInline="true">')
    for label in CL_LABELS:
        lines.append(_label(label.name, label.zh, CL_COLOUR))
    lines.append("  </Labels>")
    lines.append(f'  <Labels name="{UNIT_CONTROL}" toName="{TEXT_OBJECT}" showInline="true">')
    lines.append(_label(UNIT_LABEL, "条款单元", UNIT_COLOUR))
    lines.append("  </Labels>")
    lines.append(f'  <Text name="{TEXT_OBJECT}" value="$text"/>')
    lines.append(
        f'  <Choices name="{TYPES_CONTROL}" toName="{TEXT_OBJECT}" perRegion="true" choice="multiple" '
        f'whenLabelValue="{UNIT_LABEL}">'
    )
    for clause_type in CLAUSE_TYPES:
        lines.append(f"    <Choice value={quoteattr(clause_type.name)} hint={quoteattr(clause_type.zh)}/>")
    lines.append("  </Choices>")
    lines.append("</View>")
    return "\n".join(lines) + "\n"


def _label(value: str, hint: str, colour: str) -> str:
    return f"    <Label value={quoteattr(value)} hint={quoteattr(hint)} background={quoteattr(colour)}/>"
