"""Publication files read by pure parsers: ORCID JSON, BibTeX and RIS, errors by entry."""

import json
from pathlib import Path

import pytest

from funds.profiles.imports.bibtex import latex_to_text, parse_bibtex
from funds.profiles.imports.orcid import parse_orcid
from funds.profiles.imports.ris import parse_ris
from funds.profiles.imports.rules import (
    Entry,
    detect_format,
    normalise_doi,
    plan,
    title_key,
)

DATA = Path(__file__).parent.parent / "data" / "publications"


def read(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def errors_by_entry(parsed) -> list[tuple[int, str]]:
    return [(e.number, e.key) for e in parsed.errors]


def test_bibtex_entries_are_read_with_accents_braces_quotes_and_multiline_fields():
    parsed = parse_bibtex(read("sample.bib"))
    first, second = parsed.entries
    assert first.title == "Cảm biến sinh học phát hiện nhanh vi khuẩn Salmonella trong thực phẩm"
    assert first.authors == "Nguyễn, Văn An; Trần, Thị Bình; Smith, John"
    assert (first.year, first.doi) == (2023, "10.1234/vjst.2023.001")
    assert first.venue == "Tạp chí Khoa học và Công nghệ"
    assert second.title == "Deep learning for smart grid load forecasting in Viet Nam"
    assert second.authors == "Lê, Minh; Phạm, Quang"
    assert second.venue == "Proceedings of the Asian Energy Conference"


def test_bibtex_errors_name_each_broken_entry_by_number_and_key():
    parsed = parse_bibtex(read("sample.bib"))
    assert errors_by_entry(parsed) == [(3, "broken2020"), (4, "untitled2019"), (5, "noequals")]
    reasons = {e.key: e.message for e in parsed.errors}
    assert reasons["untitled2019"] == "The entry has no title."
    assert "'='" in reasons["noequals"]


def test_a_bibtex_entry_after_a_broken_one_is_still_read():
    text = "@article{a, title = {Open\n\n@article{b, title = {Second entry}, year = 2020}\n"
    parsed = parse_bibtex(text)
    assert [e.title for e in parsed.entries] == ["Second entry"]
    assert errors_by_entry(parsed) == [(1, "a")]


@pytest.mark.parametrize(
    "latex, text",
    [
        (r"Nguy\~{\^e}n", "Nguyễn"),
        (r"{\"o}", "ö"),
        (r"\'{e}t\'e", "été"),
        (r"Fran\c{c}ois", "François"),
        (r"\dj{}o", "đo"),
    ],
)
def test_latex_accents_become_unicode(latex, text):
    assert latex_to_text(latex) == text


def test_ris_records_are_read_with_continuation_lines():
    parsed = parse_ris(read("sample.ris"))
    titles = [e.title for e in parsed.entries]
    assert titles == [
        "Vật liệu nano vàng cho điện cực in lụa",
        "A title written over two lines of the file",
        "Sách chuyên khảo về cảm biến",
    ]
    first = parsed.entries[0]
    assert (first.authors, first.year, first.doi) == (
        "Trần, Thị Bình; Nguyễn, Văn An",
        2022,
        "10.5555/jnm.2022.77",
    )
    assert parsed.entries[1].venue == "Conference on Sensors"


def test_ris_errors_name_the_record_without_title_and_the_one_without_er():
    parsed = parse_ris(read("sample.ris"))
    assert errors_by_entry(parsed) == [(3, "notitle2019"), (4, "unterminated")]
    assert parsed.errors[1].message == "The record has no ER line before the next TY."


def test_ris_line_outside_a_record_and_a_file_ending_inside_one_are_errors():
    parsed = parse_ris("AU  - Stray, Line\nTY  - JOUR\nTI  - Open record\n")
    assert [e.message for e in parsed.errors] == [
        "Line %(line)s is outside a record (no TY before it).",
        "The record has no ER line: the file ends inside it.",
    ]
    assert parsed.entries == []


def test_orcid_record_works_are_read_with_the_doi_among_external_ids():
    parsed = parse_orcid(read("orcid_record.json"))
    assert [(e.title, e.year, e.doi) for e in parsed.entries] == [
        (
            "Cảm biến sinh học phát hiện nhanh vi khuẩn Salmonella trong thực phẩm",
            2023,
            "10.1234/vjst.2023.001",
        ),
        ("Edge computing for rural clinics", 2020, None),
    ]
    assert errors_by_entry(parsed) == [(3, "103")]


def test_orcid_works_list_and_bulk_shapes_are_read_too():
    work = {"put-code": 7, "title": {"title": {"value": "A work"}}}
    full = {
        **work,
        "contributors": {"contributor": [{"credit-name": {"value": "Nguyễn Văn An"}}]},
    }
    assert parse_orcid(json.dumps({"group": [{"work-summary": [work]}]})).entries[0].title == (
        "A work"
    )
    bulk = parse_orcid(
        json.dumps({"bulk": [{"work": full}, {"error": {"developer-message": "x"}}]})
    )
    assert bulk.entries[0].authors == "Nguyễn Văn An"
    assert errors_by_entry(bulk) == [(2, "")]


@pytest.mark.parametrize(
    "text", ["{not json", '{"something": "else"}', "[1, 2]"], ids=["broken", "other", "list"]
)
def test_a_file_that_is_no_orcid_record_is_one_error_for_the_whole_file(text):
    parsed = parse_orcid(text)
    assert parsed.entries == []
    assert [e.number for e in parsed.errors] == [0]


@pytest.mark.parametrize(
    "given, doi",
    [
        ("10.1234/ABC", "10.1234/abc"),
        ("https://doi.org/10.1234/abc", "10.1234/abc"),
        ("doi: 10.1234/abc", "10.1234/abc"),
        ("http://dx.doi.org/10.1234/abc", "10.1234/abc"),
        ("not a doi", None),
        ("", None),
    ],
)
def test_dois_are_normalised(given, doi):
    assert normalise_doi(given) == doi


def test_titles_compare_folded_without_punctuation():
    assert title_key("Cảm biến: sinh học!") == title_key("cam bien sinh hoc")


def test_plan_skips_entries_already_listed_by_doi_or_title_and_repeats_in_the_file():
    entries = [
        Entry("Brand new", doi="10.1000/new"),
        Entry("Different title", doi="10.1000/old"),
        Entry("Cảm biến sinh học"),
        Entry("Brand new!"),
    ]
    planned = plan(
        entries, [("https://doi.org/10.1000/OLD", "Old title"), (None, "cam bien sinh hoc")]
    )
    assert [p.duplicate for p in planned] == [False, True, True, True]
    assert planned[1].reason == "Same DOI as a publication already listed."
    assert planned[2].reason == "Same title as a publication already listed."


@pytest.mark.parametrize(
    "name, text, fmt",
    [
        ("works.json", "", "orcid"),
        ("refs.bib", "", "bibtex"),
        ("refs.RIS", "", "ris"),
        ("export.txt", "  @article{x,", "bibtex"),
        ("export.txt", "TY  - JOUR", "ris"),
        ("export.txt", '{"group": []}', "orcid"),
        ("notes.txt", "hello", None),
    ],
)
def test_the_format_is_found_from_the_name_or_the_first_characters(name, text, fmt):
    assert detect_format(name, text) == fmt
