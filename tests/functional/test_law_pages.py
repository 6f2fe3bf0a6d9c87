"""The legal instruments and settings pages: managers read, administrators change with a
reason (audited), bad input keeps what was typed."""

from sqlmodel import select

from funds.legal.models import LegalInstrumentVersion, LegalSetting


def test_managers_read_the_instruments_and_settings_and_others_are_refused(client, make):
    client.login(make.user("applicant").email)
    assert client.get("/budget/law").status_code == 403
    client.logout()
    client.login(make.manager().email)
    page = client.get("/budget/law").get_data(as_text=True)
    assert "193/2025/QH15" in page
    assert "29/2013/QH13" in page
    assert "compliance.strategic_share_base" in page
    assert client.get("/budget/law/settings/compliance.strategic_share_base").status_code == 403


def test_an_admin_changes_a_setting_with_a_reason_and_a_bad_value_keeps_the_text(
    client, make, session
):
    client.login(make.admin().email)
    client.post_form("/language", {"lang": "vi"})
    r = client.post_form(
        "/budget/law/settings/compliance.coverage_warning_below",
        {"value": "1,5", "reason": "Theo hướng dẫn kiểm toán"},
    )
    assert r.status_code == 200
    page = r.get_data(as_text=True)
    assert "Nhập một số thập phân từ 0 đến 1" in page
    assert "Theo hướng dẫn kiểm toán" in page
    assert session.get(LegalSetting, "compliance.coverage_warning_below") is None
    r = client.post_form(
        "/budget/law/settings/compliance.coverage_warning_below",
        {"value": "0.8", "reason": "Theo hướng dẫn kiểm toán"},
    )
    assert r.status_code == 302
    session.expire_all()
    assert session.get(LegalSetting, "compliance.coverage_warning_below").value == "0.8"


def test_an_admin_corrects_an_instruments_date_and_the_history_shows_it(client, make, session):
    client.login(make.admin().email)
    form = {
        "number": "27/2015/TTLT-BKHCN-BTC",
        "kind": "circular",
        "title_vi": "Thông tư liên tịch quy định khoán chi",
        "title_en": "Joint circular on lump-sum spending",
        "issuer": "Bộ Khoa học và Công nghệ – Bộ Tài chính",
        "issued_on": "2015-12-30",
        "effective_from": "2016-02-15",
        "effective_to": "",
        "supersedes": "circular-93-2006-ttlt-btc-bkhcn",
        "certainty": "S",
        "note": "Đã đối chiếu công báo",
        "reason": "Kiểm tra ngày hiệu lực",
    }
    r = client.post_form("/budget/law/instruments/circular-27-2015-ttlt-bkhcn-btc", form)
    assert r.status_code == 302
    versions = session.exec(select(LegalInstrumentVersion)).all()
    assert {v.version for v in versions} == {1, 2}
    assert "Kiểm tra ngày hiệu lực" in client.get("/budget/law").get_data(as_text=True)
