"""Which unit and which round a returned workbook is, strongest evidence first (DESIGN §4):
the hidden metadata the template wrote; the visible unit and "LẦN N"; the file name."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from ihanoi_report.config import Campaign
from ihanoi_report.form import round_in_text
from ihanoi_report.model import Finding, FormData, Severity
from ihanoi_report.units import Registry, Unit, legacy_readings

_CODE_IN_NAME = re.compile(r"(?:^|[_\s])([A-Za-z]{2,5}-[A-Za-z0-9]{2,20})(?:[_\s.]|$)")


@dataclass(frozen=True)
class Identity:
    unit: Unit | None
    round: int | None
    unit_by: str  # metadata | visible | file-name
    round_by: str
    findings: tuple[Finding, ...]


def named(text: str, registry: Registry, reporting: bool = False) -> tuple[list[Unit], str]:
    """Units whose name ``text`` is exactly (after folding, legacy fonts read too), and the font's encoding.

    ``reporting``: only units that send their own form (a school is reported by its office)."""
    if not text:
        return [], ""
    found, encoding = registry.named(text)
    if reporting:
        found = tuple(u for u in found if u.parent is None)
    return (list(found), encoding) if found else ([], "")


def _mentioned(text: str, registry: Registry, among: Sequence[Unit]) -> tuple[list[Unit], str]:
    """Units named in ``text``, exactly or as whole words (a title, a file name), legacy fonts included."""
    found, encoding = named(text, registry)
    if found:
        return found, encoding
    for encoding, reading in [("", text), *legacy_readings(text)]:
        if found := registry.in_text(reading, among):
            return found, encoding
    return [], ""


def _unit(sub: FormData, registry: Registry) -> tuple[list[Unit], str, str, str]:
    """Candidate units, how they were found, the text they were found from, the legacy encoding used."""
    reporting = list(registry.reporting_units())
    code = sub.meta.get("unit_code", "")
    if code and (unit := registry.get(code)) is not None:
        return [unit], "metadata", code, ""
    if sub.unit_code_in_line and (unit := registry.get(sub.unit_code_in_line)) is not None:
        return [unit], "visible", sub.unit_code_in_line, ""
    for text in (sub.unit_line, sub.rows[0].name if len(sub.rows) == 1 else ""):
        if text:
            found, encoding = _mentioned(text, registry, reporting)
            if found:
                return found, "visible", text, encoding
    stem = sub.path.stem
    return units_in_file_name(stem, registry), "file-name", sub.unit_line or stem, ""


def units_in_file_name(stem: str, registry: Registry) -> list[Unit]:
    """The unit a file's name names: by its code ("…_XA-09694_…"), else by its name as whole words."""
    for match in _CODE_IN_NAME.finditer(stem):
        if (unit := registry.get(match.group(1))) is not None:
            return [unit]
    return list(registry.in_text(stem, list(registry.reporting_units())))


def visible_units(sub: FormData, registry: Registry) -> list[tuple[str, Unit]]:
    """Every unit the form names where a person reads it: the unit line and its code, a line above the
    table that is exactly a unit's name, and the one row of a single-unit table. (text, unit) pairs."""
    claims: list[tuple[str, Unit]] = []
    if sub.unit_code_in_line and (unit := registry.get(sub.unit_code_in_line)) is not None:
        claims.append((sub.unit_code_in_line, unit))
    texts = [sub.unit_line, *sub.head_texts]
    if len(sub.rows) == 1:
        texts.append(sub.rows[0].name)
    for text in texts:
        found = [u for u in registry.named(text)[0] if u.parent is None] if text else []
        if len(found) == 1:
            claims.append((text, found[0]))
    return claims


def _conflicts(sub: FormData, registry: Registry, unit: Unit, add: _Add) -> None:
    """Hidden metadata that names one unit or round while the form shows another: never a guess."""
    other = next(((text, u) for text, u in visible_units(sub, registry) if u.code != unit.code), None)
    if other is not None:
        text, shown = other
        add("unit-conflict", value=text, meta=f"{unit.name} ({unit.code})", shown=f"{shown.name} ({shown.code})")
    meta_round = sub.meta.get("round", "")
    if meta_round.isdigit() and sub.round_in_title is not None and int(meta_round) != sub.round_in_title:
        add("round-conflict", value=sub.round_in_title, expected=int(meta_round))


class _Add(Protocol):
    def __call__(self, code: str, severity: Severity = ..., value: object = ..., **args: object) -> None: ...


def identify(sub: FormData, registry: Registry, campaign: Campaign, expected_round: int | None) -> Identity:
    findings: list[Finding] = []

    def add(code: str, severity: Severity = Severity.ERROR, value: object = "", **args: object) -> None:
        findings.append(Finding(code, severity, file=str(sub.path), sheet=sub.sheet, value=str(value), args=args))

    campaign_id = sub.meta.get("campaign_id", "")
    if campaign_id and campaign_id != campaign.id:
        add("campaign-mismatch", value=campaign_id, expected=campaign.id)
    version = sub.meta.get("form_version", "")
    if version and version != campaign.declared.version:
        add("form-version-unknown", Severity.INFO, version, expected=campaign.declared.version)

    units, unit_by, unit_text, encoding = _unit(sub, registry)
    unit: Unit | None = None
    if len(units) == 1:
        unit = units[0]
        if unit_by == "metadata":
            _conflicts(sub, registry, unit, add)
        if unit.parent is not None and (parent := registry.get(unit.parent)) is not None:
            add("unit-reports-through", Severity.WARNING, unit.name, parent=f"{parent.name} ({parent.code})")
    elif len(units) > 1:
        add("unit-ambiguous", value=unit_text, candidates=[f"{u.name} ({u.code})" for u in units])
    else:
        add("unit-unknown", value=unit_text or sub.path.name)
    if sub.encoding or encoding:
        add("legacy-encoding", Severity.INFO, sub.encoding or encoding)

    found_round: int | None = None
    round_by = ""
    meta_round = sub.meta.get("round", "")
    if meta_round.isdigit():
        found_round, round_by = int(meta_round), "metadata"
    elif sub.round_in_title is not None:
        found_round, round_by = sub.round_in_title, "visible"
    elif (from_name := round_in_text(sub.path.stem)) is not None:
        found_round, round_by = from_name, "file-name"

    rnd = found_round
    if expected_round is not None:
        if found_round is not None and found_round != expected_round:
            add("round-mismatch", value=found_round, expected=expected_round)
        rnd = expected_round
        round_by = round_by or "command-line"
    elif found_round is None:
        add("round-unknown")
    if rnd is not None and rnd not in {r.number for r in campaign.rounds}:
        add("round-mismatch", value=rnd, expected=", ".join(str(r.number) for r in campaign.rounds))
        rnd = None
    return Identity(unit, rnd, unit_by, round_by, tuple(findings))
