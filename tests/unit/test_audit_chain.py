"""The audit hash chain: canonical form, hashes and verification, on literal entries."""

import hashlib
import importlib.util
import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace

import pytest

from funds.audit.rules import (
    CHAIN_LOCK_KEY,
    GENESIS,
    ChainRow,
    canonical,
    entry_hash,
    micros,
    verify_chain,
)

ROOT = Path(__file__).resolve().parents[2]
AT = datetime(2026, 12, 1, 2, 3, 4, 567891, tzinfo=UTC)
BASE = {
    "seq": 1,
    "at": AT,
    "actor_id": 7,
    "object_type": "proposal",
    "object_id": 42,
    "action": "save",
    "from_state": None,
    "to_state": "draft",
    "detail": "title",
    "prev_hash": GENESIS,
}


def make_chain(n: int) -> list[ChainRow]:
    rows, prev = [], GENESIS
    for seq in range(1, n + 1):
        fields = BASE | {
            "seq": seq,
            "at": AT + timedelta(microseconds=seq),
            "object_id": seq,
            "detail": f"entry {seq}",
            "prev_hash": prev,
        }
        digest = entry_hash(**fields)
        rows.append(ChainRow(id=100 + seq, entry_hash=digest, **fields))
        prev = digest
    return rows


def no_lookup(_digest):
    return None


def lookup_in(rows):
    return lambda digest: next((r.seq for r in rows if r.entry_hash == digest), None)


def test_canonical_form_is_length_prefixed_with_a_format_tag():
    assert canonical(**BASE) == (
        f"15:rdfund-audit-v11:116:{micros(AT)}1:78:proposal2:424:save~5:draft5:title64:{GENESIS}"
    )


def test_null_and_empty_string_are_encoded_differently():
    assert canonical(**BASE | {"from_state": None}) != canonical(**BASE | {"from_state": ""})


@pytest.mark.parametrize(
    "left, right",
    [
        ({"to_state": "a", "detail": "b"}, {"to_state": "a5:b", "detail": ""}),
        ({"to_state": "1:a", "detail": "b"}, {"to_state": "1", "detail": ":ab"}),
        ({"from_state": "~", "to_state": None}, {"from_state": None, "to_state": "~"}),
        ({"detail": "x|y"}, {"detail": "x,y"}),
    ],
)
def test_moving_text_between_fields_changes_the_canonical_form(left, right):
    assert canonical(**BASE | left) != canonical(**BASE | right)


def test_length_prefix_counts_code_points_not_bytes():
    assert "8:Đề tài 😀" in canonical(**BASE | {"detail": "Đề tài 😀"})


@pytest.mark.parametrize(
    "at, expected",
    [
        (datetime(1970, 1, 1, tzinfo=UTC), 0),
        (datetime(1970, 1, 1, 0, 0, 1, 1, tzinfo=UTC), 1_000_001),
        (datetime(1969, 12, 31, 23, 59, 59, 999999, tzinfo=UTC), -1),
        (datetime(2026, 12, 1, 9, 3, 4, 567891, tzinfo=timezone(timedelta(hours=7))), micros(AT)),
    ],
)
def test_instants_become_exact_integer_microseconds(at, expected):
    assert micros(at) == expected


def test_a_naive_instant_is_refused():
    with pytest.raises(ValueError, match="naive datetime"):
        micros(datetime(2026, 12, 1))


def test_entry_hash_is_the_sha256_of_the_utf8_canonical_form():
    fields = BASE | {"detail": "Nghiên cứu"}
    assert entry_hash(**fields) == hashlib.sha256(canonical(**fields).encode()).hexdigest()


def test_every_field_is_covered_by_the_hash():
    other = {
        "seq": 2,
        "at": AT + timedelta(microseconds=1),
        "actor_id": None,
        "object_type": "call",
        "object_id": 43,
        "action": "submit",
        "from_state": "x",
        "to_state": None,
        "detail": "",
        "prev_hash": "f" * 64,
    }
    for name, value in other.items():
        assert entry_hash(**BASE | {name: value}) != entry_hash(**BASE), name


def test_the_migrations_copy_of_the_canonical_form_matches_the_application():
    path = ROOT / "migrations" / "versions" / "20261201_0009_audit_chain.py"
    spec = importlib.util.spec_from_file_location("audit_chain_migration", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    rng = random.Random(11)
    alphabet = ["a", "~", ":", "|", "0", "9", "Đ", "ế", "😀", "\n", "\\", '"', " ", "\t"]
    for _ in range(300):
        fields = BASE | {
            "seq": rng.randint(1, 10**9),
            "at": AT + timedelta(microseconds=rng.randint(-(10**15), 10**15)),
            "actor_id": rng.choice([None, rng.randint(1, 10**6)]),
            "detail": "".join(rng.choices(alphabet, k=rng.randint(0, 12))),
            "from_state": rng.choice([None, "", "draft", "1:x"]),
            "prev_hash": hashlib.sha256(str(rng.random()).encode()).hexdigest(),
        }
        row = SimpleNamespace(**{k: v for k, v in fields.items() if k not in ("seq", "prev_hash")})
        assert migration.canonical(fields["seq"], row, fields["prev_hash"]) == canonical(**fields)
    assert migration.CHAIN_LOCK_KEY == CHAIN_LOCK_KEY


def test_an_intact_chain_verifies_with_its_count_and_last_hash():
    rows = make_chain(5)
    report = verify_chain(rows, seq_of_hash=no_lookup)
    assert (report.intact, report.count, report.last_hash) == (True, 5, rows[-1].entry_hash)


def test_an_empty_log_verifies_and_ends_at_genesis():
    report = verify_chain([], seq_of_hash=no_lookup)
    assert (report.intact, report.count, report.last_hash) == (True, 0, GENESIS)


def test_an_edited_entry_is_reported_as_edited_content_at_its_seq():
    rows = make_chain(5)
    rows[2] = replace(rows[2], detail="forged")
    broken = verify_chain(rows, seq_of_hash=no_lookup).broken
    assert (broken.kind, broken.seq, broken.id) == ("edited", 3, 103)


def test_an_edited_entry_with_a_recomputed_hash_breaks_the_next_link():
    rows = make_chain(5)
    forged = replace(rows[2], detail="forged")
    rows[2] = replace(forged, entry_hash=forged.recomputed_hash())
    report = verify_chain(rows, seq_of_hash=lookup_in(rows))
    assert (report.broken.kind, report.broken.seq, report.count) == ("missing", 4, 3)


def test_a_deleted_middle_entry_is_reported_as_missing():
    rows = make_chain(5)
    del rows[1]
    report = verify_chain(rows, seq_of_hash=no_lookup)
    assert (report.broken.kind, report.broken.seq, report.count) == ("missing", 3, 1)
    assert "seq 2" in report.broken.message


def test_an_entry_relinked_to_an_earlier_one_is_reported_as_reordered():
    rows = make_chain(5)
    relinked = replace(rows[3], prev_hash=rows[0].entry_hash)
    rows[3] = replace(relinked, entry_hash=relinked.recomputed_hash())
    broken = verify_chain(rows, seq_of_hash=lookup_in(rows)).broken
    assert (broken.kind, broken.seq) == ("reordered", 4)
    assert "seq 1" in broken.message


def test_a_deleted_tail_is_invisible_without_an_anchor():
    rows = make_chain(5)
    assert verify_chain(rows[:3], seq_of_hash=no_lookup).intact


@pytest.mark.parametrize(
    "anchor",
    [{"expect_count": 5}, {"expect_last": "LAST"}, {"expect_count": 5, "expect_last": "LAST"}],
)
def test_a_deleted_tail_is_found_against_a_recorded_anchor(anchor):
    rows = make_chain(5)
    anchor = {k: rows[-1].entry_hash if v == "LAST" else v for k, v in anchor.items()}
    assert verify_chain(rows, seq_of_hash=no_lookup, **anchor).intact
    broken = verify_chain(rows[:3], seq_of_hash=no_lookup, **anchor).broken
    assert broken.kind == "missing"


def test_an_anchor_from_an_earlier_day_still_verifies_a_longer_log():
    rows = make_chain(6)
    report = verify_chain(
        rows, seq_of_hash=no_lookup, expect_count=4, expect_last=rows[3].entry_hash.upper()
    )
    assert report.intact
    assert report.count == 6


def test_an_anchor_hash_at_another_position_is_reported():
    rows = make_chain(6)
    report = verify_chain(
        rows, seq_of_hash=no_lookup, expect_count=5, expect_last=rows[3].entry_hash
    )
    assert report.broken.kind == "reordered"
