"""The language test's text extraction and checks fail on the strings they exist to catch."""

import pytest

from tests.language_check import (
    CLOSE,
    OPEN,
    PseudoTranslations,
    UserData,
    english_in_vietnamese,
    english_vocabulary,
    raw_codes,
    raw_dates,
    unmarked,
    vietnamese_in_english,
    visible_text,
)

CATALOG = {"Save": "Lưu", "Funded": "Được tài trợ", "Proposal title": "Tên hồ sơ", "PDF": "PDF"}
VOCABULARY = english_vocabulary(CATALOG)
DATA = UserData(["Chip bán dẫn RISC-V", "Nguyễn Văn Hùng", "HD-DEMO-01", "funded"])


def test_visible_text_skips_scripts_styles_code_and_form_values_but_keeps_labels():
    html = """<html><head><title>Trang</title><style>.x{color:red}</style></head><body>
      <script>var label = "Save";</script><p>Xin chào <b>bạn</b></p><code>st_share</code>
      <input name="q" value="typed by a user" placeholder="Tìm kiếm"><textarea>draft text</textarea>
      <input type="submit" value="Gửi"><img src="x.png" alt="Biểu đồ"><br/>
      <select><option value="a">Lựa chọn A</option></select></body></html>"""
    assert visible_text(html) == [
        "Trang", "Xin chào", "bạn", "Tìm kiếm", "Gửi", "Biểu đồ", "Lựa chọn A",
    ]  # fmt: skip


@pytest.mark.parametrize(
    "node, caught",
    [
        ("Save", True),  # a msgid rendered untranslated
        ("Please log in to access this page.", True),  # common English words
        ("Tên hồ sơ: Chip bán dẫn RISC-V", False),  # Vietnamese and user data
        ("Lưu", False),
        ("Tải PDF", False),  # a neutral word
        ("Hợp đồng HD-DEMO-01 ngày 01/12/2026, 1.234.567 ₫", False),  # data, dates, money
        ("English", False),  # the language switch
        ("Trạng thái: funded", True),  # a code is no user data
        ("Viết trường thay thế dạng ${name}", False),  # a template field, as typed
    ],
)
def test_english_in_a_vietnamese_page_is_caught(node, caught):
    assert bool(english_in_vietnamese([node], CATALOG, VOCABULARY, DATA)) is caught


@pytest.mark.parametrize(
    "node, caught",
    [
        ("Lưu", True),  # an untranslated Vietnamese string
        ("Proposal title: Chip bán dẫn RISC-V", False),  # user data in Vietnamese
        ("Chair: Nguyễn Văn Hùng", False),
        ("Amount (đồng)", False),  # the currency's name in English
        ("Tiếng Việt", False),  # the language switch
        ("Decision No. 12/QĐ-QPTKHCN", False),  # a document number
        ("the letter's number (QĐ-<fund>-<year>-<n>)", False),  # its pattern
        ("Accents are optional: “nguyen van” finds “Nguyễn Văn”.", False),  # the example
        ("Accents are optional: “nguyen van” finds “Trần”.", True),
    ],
)
def test_vietnamese_in_an_english_page_is_caught(node, caught):
    assert bool(vietnamese_in_english([node], DATA)) is caught


def test_raw_dates_and_codes_are_caught_in_either_language():
    assert raw_dates(["Hạn 2027-06-28"], DATA) == ["Hạn 2027-06-28"]
    assert raw_dates(["Hạn 28/06/2027", "HD-2027-06-28-X"], DATA) == []
    assert raw_codes(["Loại: patent_grant"], DATA) == ["Loại: patent_grant"]
    assert raw_codes(["Loại: Bằng sáng chế"], DATA) == []


class _Real:
    def ugettext(self, message):
        return {"Save": "Lưu"}.get(message, message)

    def ungettext(self, singular, plural, n):
        return singular if n == 1 else plural


def test_the_pseudo_locale_marks_every_catalog_string_and_finds_hard_coded_text():
    pseudo = PseudoTranslations(_Real())
    saved = pseudo.gettext("Save")
    assert saved == f"{OPEN}Lưu{CLOSE}"
    page = f"<p>{saved}</p><p>{pseudo.ngettext('%(n)s file', '%(n)s files', 2) % {'n': 2}}</p>"
    page += "<p>Nguyễn Văn Hùng</p><p>PDF · 12/2026</p>"
    assert unmarked(visible_text(page), DATA) == []
    page += "<p>Lưu nháp</p>"  # typed into a template, never passed through gettext
    assert unmarked(visible_text(page), DATA) == ["Lưu nháp  [Lưu nháp]"]
    nested = f"{OPEN}Hồ sơ {OPEN}Lưu{CLOSE} đã gửi{CLOSE} và thêm"
    assert unmarked([nested], DATA) == [
        "⟦Hồ sơ ⟦Lưu⟧ đã gửi⟧ và thêm  [và thêm]"
    ]  # fmt: skip
    spanning = f"<p>{OPEN}Lựa chọn: <code>st</code> ({OPEN}Dòng KH&amp;CN{CLOSE}){CLOSE}</p>"
    assert unmarked(visible_text(spanning), DATA) == []  # a translation holding an element
