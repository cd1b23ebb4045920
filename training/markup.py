"""Render clause templates written in the domain spec's annotation notation into text with gold spans.

Templates use exactly the notation the spec uses for its examples — ``[[text|LABEL]]`` marks a span — plus
``{slot}`` placeholders for generated values. ENT spans may sit inside CL spans (spec CL4)::

    [[甲方应在验收合格后[[{period}|PERIOD]]支付合同总价的[[{ratio}|RATE_PAYMENT]]|CL_MS_PAY]]。

Rendering substitutes the slots, drops the brackets and records each span's ``[start, end)`` in the
rendered text, so the offsets are right by construction. A slot whose value is a :class:`Blank` (a
template blank such as ``____年__月__日``) is written out, but a span holding nothing but blanks is not
tagged (spec G3).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from hetong.schema import LABELS_BY_NAME, Span

_OPEN = "[["
_CLOSE = re.compile(r"\|([A-Z][A-Z_]*)\]\]")
_SLOT = re.compile(r"\{([a-z][a-z0-9_]*)\}")


class TemplateError(ValueError):
    """A template is malformed (unbalanced brackets, unknown label) or needs a slot it was not given."""


class Blank(str):
    """A slot value that is a template blank: rendered as written, never tagged."""

    __slots__ = ()


@dataclass(slots=True)
class Rendered:
    text: str
    ent: list[Span] = field(default_factory=list)
    cl: list[Span] = field(default_factory=list)

    def shifted(self, offset: int) -> Rendered:
        """The same spans, moved by ``offset`` characters (to place this text inside a document)."""
        return Rendered(
            self.text,
            [Span(s.start + offset, s.end + offset, s.label) for s in self.ent],
            [Span(s.start + offset, s.end + offset, s.label) for s in self.cl],
        )


def slots(template: str) -> set[str]:
    """The slot names a template needs."""
    return set(_SLOT.findall(template))


def render(template: str, values: Mapping[str, str]) -> Rendered:
    """Render ``template`` with ``values``; raise :class:`TemplateError` when it cannot be rendered."""
    out: list[str] = []
    length = 0
    # Each open span: (start offset in the output, whether any non-blank content was written inside it).
    stack: list[list[int | bool]] = []
    result = Rendered("")
    i = 0
    while i < len(template):
        if template.startswith(_OPEN, i):
            stack.append([length, False])
            i += len(_OPEN)
            continue
        close = _CLOSE.match(template, i)
        if close:
            if not stack:
                raise TemplateError(f"'|{close.group(1)}]]' closes no span in {template!r}")
            start, has_content = stack.pop()
            if has_content:  # a span of blanks only is not tagged (G3)
                _add_span(result, int(start), length, close.group(1), template)
            elif close.group(1) not in LABELS_BY_NAME:
                raise TemplateError(f"unknown label {close.group(1)!r} in {template!r}")
            i = close.end()
            continue
        slot = _SLOT.match(template, i)
        if slot:
            name = slot.group(1)
            if name not in values:
                raise TemplateError(f"slot {{{name}}} has no value (template {template!r})")
            value = values[name]
            out.append(value)
            length += len(value)
            if not isinstance(value, Blank) and value.strip():
                for frame in stack:
                    frame[1] = True
            i = slot.end()
            continue
        out.append(template[i])
        length += 1
        if not template[i].isspace():
            for frame in stack:
                frame[1] = True
        i += 1
    if stack:
        raise TemplateError(f"unclosed '[[' in {template!r}")
    result.text = "".join(out)
    result.ent.sort(key=lambda s: (s.start, s.end))
    result.cl.sort(key=lambda s: (s.start, s.end))
    return result


def strip_markup(template: str) -> str:
    """The template text with the span brackets removed and slots left as ``{slot}`` (for display)."""
    return _CLOSE.sub("", template.replace(_OPEN, ""))


def _add_span(result: Rendered, start: int, end: int, label: str, template: str) -> None:
    info = LABELS_BY_NAME.get(label)
    if info is None:
        raise TemplateError(f"unknown label {label!r} in {template!r}")
    if start == end:
        raise TemplateError(f"empty {label} span in {template!r}")
    (result.ent if info.layer == "ENT" else result.cl).append(Span(start, end, label))
