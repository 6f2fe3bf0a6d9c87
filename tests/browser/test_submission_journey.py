"""A complete proposal submitted in Vietnamese with a PDF attachment; receipt and PDF read back."""

from io import BytesIO

import pytest
from pypdf import PdfReader

from portal.reports.pdf import render_pdf
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

TITLE = "Cảm biến quang tử tích hợp cho nông nghiệp thông minh"


def test_a_complete_proposal_is_submitted_and_its_pdf_reads_back(page, live_server, make, tmp_path):
    pi = make.user(
        "applicant",
        email="lan@example.org",
        name="Nguyễn Thị Lan",
        institution="Viện Hàn lâm KH&CN Việt Nam",
    )
    call = make.call(
        title="Đợt gọi công nghệ chiến lược 2027",
        indirect_cap_pct=10,
        required_attachments=["description"],
    )
    attachment = tmp_path / "thuyet-minh.pdf"
    attachment.write_bytes(render_pdf("<h1>Thuyết minh đề tài</h1><p>Nội dung chi tiết.</p>"))
    base, steps = live_server, page.steps

    page.goto(f"{base}/auth/login")
    page.fill("#email", pi.email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    assert page.locator("html").get_attribute("lang") == "vi"
    page.goto(f"{base}/calls/{call.id}")
    page.click("a[href$='/proposals/new']")
    page.fill("#title", TITLE)
    page.click("#save")

    # the summary, typed once; autosave keeps it while typing
    page.fill("#title_en", "Integrated photonic sensors for smart agriculture")
    page.fill("#abstract", "Nghiên cứu, thiết kế và chế tạo cảm biến quang tử tích hợp.")
    page.fill("#keywords", "quang tử; cảm biến; nông nghiệp")
    page.fill("#trl_now", "3")
    page.fill("#trl_target", "6")
    page.fill("#duration_months", "24")
    page.wait_for_selector("#proposal-form[data-state=saved]", timeout=30_000)
    assert page.inner_text("#autosave-status").startswith("Đã lưu")
    page.reload()  # resume anywhere: what was typed is on the server
    assert page.input_value("#keywords") == "quang tử; cảm biến; nông nghiệp"
    assert page.input_value("#duration_months") == "24"
    for i, (owner, task, due, deliverable) in enumerate(
        [
            ("Nguyễn Thị Lan", "Thiết kế chip quang tử", "9", "Bản thiết kế đã kiểm chứng"),
            ("Trần Văn Hùng", "Chế tạo mẫu thử", "20", "10 mẫu cảm biến"),
        ]
    ):
        page.fill(f"#wp-{i}-owner", owner)
        page.fill(f"#wp-{i}-task", task)
        page.fill(f"#wp-{i}-due", due)
        page.fill(f"#wp-{i}-deliverable", deliverable)
    years = page.eval_on_selector_all(
        "input[name^='budget-personnel-']", "els => els.map(e => e.name.split('-').pop())"
    )
    page.fill(f"#budget-personnel-{years[0]}", "800.000.000")
    page.fill(f"#budget-equipment-{years[0]}", "200.000.000")
    page.fill(f"#budget-indirect-{years[0]}", "100.000.000")
    page.fill("#cp-0-source", "Công ty CP Nông nghiệp Số")
    page.fill("#cp-0-amount", "300.000.000")
    assert "1.100.000.000" in page.inner_text("#budget-total")  # computed live
    steps("draft")
    page.click("#save")

    page.select_option("#kind", "description")
    page.set_input_files("#file", str(attachment))
    page.click("#attachment-form button")
    assert "thuyet-minh.pdf" in page.inner_text("#attachment-list")
    assert page.locator("#checklist li.fail").count() == 0
    steps("checklist")
    page.click("#submit-form button")
    page.click("#submit-form button") if page.locator("#submit-form").count() else None
    receipt = page.inner_text("#receipt-no")
    assert receipt.startswith("RDF-")
    steps("receipt")

    pdf = page.request.get(
        page.get_attribute("#receipt-pdf", "href")
        if page.get_attribute("#receipt-pdf", "href").startswith("http")
        else base + page.get_attribute("#receipt-pdf", "href")
    )
    assert pdf.ok
    assert pdf.body().startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(pdf.body())).pages)
    assert TITLE in text
    assert "1.100.000.000" in text
    assert receipt in text
