"""Pure rules of host organisations: tax codes, folded names, duplicates, the endorsement
window and the two state machines."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from funds.errors import InvalidTransition
from funds.hosts.rules import (
    ENDORSEMENT,
    HOST,
    Registered,
    duplicates,
    endorsement_due,
    endorsement_open,
    fold_name,
    host_violations,
    name_is_distinctive,
    normalise_tax_code,
    tax_code_is_valid,
)


@pytest.mark.parametrize(
    "code, valid",
    [
        ("0100105870", True),
        ("0100105870-001", True),
        ("0100 105 870", True),  # spaces typed between groups
        ("0100.105.870", True),
        ("0100105870001", True),  # a branch written without its hyphen
        ("010010587", False),  # 9 digits
        ("01001058701", False),  # 11 digits
        ("0100105870-01", False),
        ("0100105870-0001", False),
        ("01001O5870", False),  # a letter O
        ("", False),
    ],
)
def test_a_tax_code_has_10_digits_or_10_a_hyphen_and_3(code, valid):
    assert tax_code_is_valid(code) is valid


def test_a_branch_tax_code_gets_its_hyphen_back():
    assert normalise_tax_code(" 0100105870001 ") == "0100105870-001"


@pytest.mark.parametrize(
    "text, folded",
    [
        ("Trường Đại học Bách khoa Hà Nội", "bach khoa ha noi"),
        ("ĐẠI HỌC BÁCH KHOA HÀ NỘI", "bach khoa ha noi"),
        ("ĐH Bách khoa Hà Nội", "bach khoa ha noi"),
        ("Dai hoc Bach khoa Ha Noi", "bach khoa ha noi"),
        ("Đại học Bách khoa, Hà Nội.", "bach khoa ha noi"),
        ("Viện Hàn lâm KH&CN Việt Nam", "han lam khoa hoc cong nghe viet nam"),
        ("Viện Hàn lâm Khoa học và Công nghệ Việt Nam", "han lam khoa hoc cong nghe viet nam"),
        ("Đại học Quốc gia TP.HCM", "quoc gia thanh pho ho chi minh"),
        ("Đại học Quốc gia Thành phố Hồ Chí Minh", "quoc gia thanh pho ho chi minh"),
        ("Học viện Công nghệ Bưu chính Viễn thông", "cong nghe buu chinh vien thong"),
        ("University of Danang", "danang"),
        ("Viện Toán học", "toan hoc"),
        ("  ", ""),
    ],
)
def test_names_fold_to_the_key_they_are_grouped_by(text, folded):
    assert fold_name(text) == folded


def test_nfc_and_nfd_spellings_fold_alike():
    import unicodedata

    name = "Trường Đại học Cần Thơ"
    assert fold_name(unicodedata.normalize("NFD", name)) == fold_name(name) == "can tho"


@pytest.mark.parametrize(
    "text, distinctive",
    [("Viện", False), ("Đại học", False), ("N/A", False), ("—", False), ("Viện Vật lý", True)],
)
def test_a_name_made_only_of_kind_words_names_no_organisation(text, distinctive):
    assert name_is_distinctive(text) is distinctive


REGISTER = [
    Registered(1, "Trường Đại học Bách khoa Hà Nội", "0100105870", "bach khoa ha noi"),
    Registered(2, "Viện Toán học", None, "toan hoc", "mathematics"),
]


@pytest.mark.parametrize(
    "name_vi, name_en, tax_code, expected",
    [
        ("ĐH Bách khoa Hà Nội", "", None, [(1, "name")]),
        ("Một tổ chức mới", "", "0100105870", [(1, "tax_code")]),
        ("Viện Toán", "Institute of Mathematics", None, [(2, "name")]),
        ("Viện Vật lý", "", "0100109106", []),
    ],
)
def test_duplicates_by_tax_code_or_folded_name(name_vi, name_en, tax_code, expected):
    found = duplicates(name_vi=name_vi, name_en=name_en, tax_code=tax_code, register=REGISTER)
    assert [(r.id, why) for r, why in found] == expected


def test_an_organisations_record_is_refused_field_by_field():
    found = host_violations({"name_vi": "Viện", "tax_code": "123", "finance_email": "không"})
    assert [v.field for v in found] == ["name_vi", "tax_code", "finance_email"]


def test_the_endorsement_period_runs_from_the_deadline_and_ends_exclusive():
    closes = datetime(2027, 3, 31, 17, 0, tzinfo=UTC)
    due = endorsement_due(closes, 10)
    assert due == closes + timedelta(days=10)
    assert endorsement_open(due, due - timedelta(seconds=1))
    assert not endorsement_open(due, due)


@pytest.mark.parametrize(
    "machine, current, target, allowed",
    [
        (ENDORSEMENT, "pending", "endorsed", True),
        (ENDORSEMENT, "pending", "returned", True),
        (ENDORSEMENT, "pending", "cancelled", True),
        (ENDORSEMENT, "endorsed", "returned", False),
        (ENDORSEMENT, "returned", "endorsed", False),
        (ENDORSEMENT, "cancelled", "pending", False),
        (HOST, "requested", "confirmed", True),
        (HOST, "requested", "rejected", True),
        (HOST, "imported", "confirmed", True),
        (HOST, "imported", "rejected", True),
        (HOST, "confirmed", "rejected", False),
        (HOST, "rejected", "confirmed", False),
    ],
)
def test_the_machines_allow_only_their_moves(machine, current, target, allowed):
    thing = SimpleNamespace(status=current)
    if allowed:
        machine.move(thing, target)
        assert thing.status == target
    else:
        with pytest.raises(InvalidTransition):
            machine.move(thing, target)
        assert thing.status == current


@pytest.mark.parametrize("machine", [ENDORSEMENT, HOST], ids=lambda m: m.name)
def test_every_move_of_the_host_machines_is_listed_above(machine):
    listed = {
        (a, b)
        for m, a, b, ok in test_the_machines_allow_only_their_moves.pytestmark[0].args[1]
        if m is machine and ok
    }
    table = {(str(a), str(b)) for a, targets in machine.transitions.items() for b in targets}
    assert listed == table


def test_the_checklist_asks_for_a_host_only_when_the_call_requires_its_endorsement():
    from funds.calls.rules import CallRules
    from funds.proposals.eligibility import ProposalFacts, eligibility

    now = datetime(2027, 1, 10, tzinfo=UTC)
    facts = ProposalFacts(
        title="t",
        title_en="t",
        abstract="a",
        keywords="k",
        area_code=None,
        trl_now=3,
        trl_target=5,
        duration_months=12,
        budget_lines=(("personnel", 2027, 100),),
        work_packages=1,
        attachment_kinds=frozenset(),
    )

    def host_item(requires: bool, host_id):
        rules = CallRules(
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=1),
            ceiling_vnd=1000,
            open_to_all_areas=True,
            eligible_areas=frozenset(),
            requires_endorsement=requires,
        )
        from dataclasses import replace

        items = eligibility(replace(facts, host_id=host_id), rules, now)
        return next(i for i in items if i.key == "host").ok

    assert host_item(False, None)
    assert not host_item(True, None)
    assert host_item(True, 7)
