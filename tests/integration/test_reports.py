"""The shared PDF and Excel writers, read back."""

from io import BytesIO

import pandas as pd
import pytest
from pypdf import PdfReader

from portal.reports.excel import workbook
from portal.reports.pdf import RefusedURL, render_pdf, safe_url_fetcher


def test_pdf_keeps_vietnamese_diacritics_when_read_back():
    html = "<h1>Nghiên cứu chip bán dẫn tiết kiệm năng lượng</h1><p>Tổng: 1.500.000.000 ₫</p>"
    text = PdfReader(BytesIO(render_pdf(html))).pages[0].extract_text()
    assert "Nghiên cứu chip bán dẫn tiết kiệm năng lượng" in text
    assert "1.500.000.000" in text


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://example.com/x.png",
        "https://169.254.169.254/latest",
        "http://x/static/../../a",
    ],
)
def test_pdf_fetcher_refuses_files_and_outside_hosts(url):
    with pytest.raises(RefusedURL):
        safe_url_fetcher(url)


def test_pdf_with_an_external_image_renders_without_fetching_it():
    pdf = render_pdf('<p>Xin chào</p><img src="http://example.com/a.png">')
    assert PdfReader(BytesIO(pdf)).pages[0].extract_text().strip().startswith("Xin chào")


def test_workbook_has_one_sheet_per_table():
    data = workbook({"Đề tài": pd.DataFrame({"a": [1]}), "Ngân sách": pd.DataFrame({"b": [2]})})
    sheets = pd.read_excel(BytesIO(data), sheet_name=None)
    assert list(sheets) == ["Đề tài", "Ngân sách"]
    assert int(sheets["Ngân sách"]["b"][0]) == 2
