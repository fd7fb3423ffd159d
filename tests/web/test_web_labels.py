"""Every value of each closed vocabulary has words on the pages (web/labels.py), and the words
have a Chinese translation: a new enum value without words fails here."""

from __future__ import annotations

from typing import get_args

import pytest
from babel.messages.pofile import read_po

from peifu.adapters.web import i18n
from peifu.adapters.web.labels import LABELS, label, ledger_kind
from peifu.domain import service_complaints
from peifu.domain.abuse import SignalCode
from peifu.domain.auto_handling import OrderStage, RuleAction
from peifu.domain.compensation import Rule
from peifu.domain.complaints import ComplaintType, Violation
from peifu.domain.intervention import EvidenceKind, Liable, Outcome
from peifu.domain.metrics import MetricName
from peifu.domain.policy import PayoutMethod, Sanction
from peifu.domain.triage import Priority
from peifu.domain.vocabulary import (
    CaseAction,
    CaseState,
    CaseType,
    ComplaintStatus,
    DeadlineKind,
    DisputeStatus,
    OrderState,
    Reason,
    Role,
)

VOCABULARIES: list[tuple[str, list[str]]] = [
    ("state", [str(v) for v in CaseState]),
    ("order_state", [str(v) for v in OrderState]),
    ("case_type", [str(v) for v in CaseType]),
    ("reason", [str(v) for v in Reason]),
    ("action", [str(v) for v in CaseAction]),
    ("party", [str(v) for v in Role] + [str(v) for v in Liable]),
    ("deadline", [str(v) for v in DeadlineKind]),
    ("evidence_kind", [str(v) for v in EvidenceKind]),
    ("outcome", [str(v) for v in Outcome]),
    ("violation", [str(v) for v in Violation]),
    ("complaint_type", [str(v) for v in ComplaintType]),
    ("dispute_status", [str(v) for v in DisputeStatus]),
    ("complaint_status", [str(v) for v in ComplaintStatus]),
    ("signal", [str(v) for v in SignalCode]),
    ("rule", [str(v) for v in Rule]),
    ("method", list(get_args(PayoutMethod))),
    ("priority", [str(v) for v in Priority]),
    ("metric", [str(v) for v in MetricName]),
    ("rule_action", [str(v) for v in RuleAction]),
    ("stage", [str(v) for v in OrderStage]),
    ("sanction", list(get_args(Sanction))),
    ("svc_state", [str(v) for v in service_complaints.State]),
    ("svc_action", [str(v) for v in service_complaints.Action] + ["file"]),
    ("svc_channel", [str(v) for v in service_complaints.Channel]),
    ("svc_category", [str(v) for v in service_complaints.Category]),
    ("svc_step", [str(v) for v in service_complaints.Step]),
]


def _catalog() -> dict[str, str]:
    with (i18n.LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return {str(m.id): str(m.string) for m in read_po(handle, locale="zh_CN") if m.id and m.string}


@pytest.mark.parametrize(("kind", "values"), VOCABULARIES, ids=[kind for kind, _ in VOCABULARIES])
def test_every_value_has_words(kind: str, values: list[str]) -> None:
    missing = [v for v in values if v not in LABELS[kind]]
    assert not missing, f"{kind}: no words for {missing} in web/labels.py"


def test_every_label_has_a_chinese_translation() -> None:
    zh = _catalog()
    missing = sorted({(kind, msgid) for kind, table in LABELS.items() for msgid in table.values() if msgid not in zh})
    assert not missing, f"no zh_CN translation for {missing}"


def test_label_follows_the_page_language() -> None:
    token = i18n.current_locale.set("zh_CN")
    try:
        assert label("state", "refunded") == _catalog()["Refunded"]
        assert label("case_type", CaseType.refund_only) == _catalog()["Refund only"]
    finally:
        i18n.current_locale.reset(token)
    token = i18n.current_locale.set("en")
    try:
        assert label("state", "refunded") == "Refunded"
        assert ledger_kind("compensation:late_shipment") == "Compensation: Late shipment"
        assert ledger_kind("refund") == "Refund"
    finally:
        i18n.current_locale.reset(token)


def test_unknown_values_fall_back_to_the_identifier() -> None:
    assert label("state", None) == ""
    assert label("state", "no_such_state") == "no_such_state"
    assert label("no_such_kind", "x") == "x"
    assert ledger_kind("something_new") == "something_new"
