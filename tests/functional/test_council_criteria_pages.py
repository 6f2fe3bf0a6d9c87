"""The fund's criteria of acceptance and mid-term rating sheets on the council rules page:
shown with the defaults, changed (added, changed, removed, reordered) with a basis, audited,
refused with each problem at its row and what was typed kept; the sheet then asks for them."""

from sqlmodel import select

from funds.audit.models import AuditEntry
from funds.projects.regimes.services import quality_indicators
from reviews.councils.criteria.queries import stored_criteria
from reviews.councils.criteria.rules import CriterionInput
from reviews.councils.criteria.services import set_council_criteria
from tests.council_criteria_data import INDICATORS, ProjectSitting


def _html(response) -> str:
    return response.get_data(as_text=True)


def _rows(rows: list[dict], basis: str) -> dict:
    data = {"basis": basis}
    for n, row in enumerate(rows):
        for key, value in row.items():
            data[f"rows-{n}-{key}"] = value
    return data


def _defaults_as_shown(page_rows=4) -> list[dict]:
    names = [
        "Products delivered in the kind and quantity contracted",
        "Quality of the products against the contracted indicators",
        "The final report: methods, results and their evidence",
        "Publication, application and transfer of the results",
    ]
    weights, minimums = ["3", "3", "2", "2"], ["3", "3", "2", "0"]
    return [
        {
            "position": str(n + 1),
            "name": names[n],
            "description": "",
            "weight": weights[n],
            "scale_max": "5",
            "threshold": minimums[n],
        }
        for n in range(page_rows)
    ]


def test_the_rules_page_shows_the_default_criteria_of_acceptance_and_none_for_selection(
    app, client, make
):
    fund = make.fund()
    client.login(make.manager().email)
    client.use_language("en")
    page = _html(client.get(f"/councils/funds/{fund.id}/rules/acceptance"))
    assert 'id="criteria-table"' in page
    assert "Products delivered in the kind and quantity contracted" in page
    assert "Built-in defaults: the fund has not set its own criteria." in page
    assert 'name="rows-5-name"' in page  # two empty rows to add a criterion
    assert 'id="criteria"' not in _html(client.get(f"/councils/funds/{fund.id}/rules/selection"))
    assert app.view_functions["councils.criteria.edit"].reauth_required
    client.use_language("vi")
    page = _html(client.get(f"/councils/funds/{fund.id}/rules/midterm"))
    assert "Tiêu chí của phiếu đánh giá" in page


def test_a_manager_adds_changes_removes_and_reorders_the_criteria_with_a_basis(
    client, make, session
):
    fund = make.fund()
    client.login(make.manager().email)
    client.use_language("en")
    url = f"/councils/funds/{fund.id}/criteria/acceptance"
    rows = _defaults_as_shown()
    rows[0]["position"] = "4"  # products move after the report (3)
    rows[1]["remove"] = "y"
    rows[2]["weight"] = "4"
    rows[3]["name"] = ""  # a row without a name is left out
    rows.append(
        {
            "position": "",
            "name": "Hiệu quả kinh tế",
            "description": "Doanh thu từ chuyển giao",
            "weight": "1",
            "scale_max": "10",
            "threshold": "12",
        }
    )
    refused = client.post_form(url, _rows(rows, ""))
    page = _html(refused)
    assert refused.status_code == 422
    assert "Name the legal basis or the fund&#39;s own rule for the criteria." in page
    assert "A threshold lies within the scale (0 to its maximum)." in page
    assert 'value="Hiệu quả kinh tế"' in page  # what was typed is kept
    assert stored_criteria(session, fund.id, "acceptance") == []
    rows[-1]["threshold"] = "5"
    done = client.post_form(url, _rows(rows, "Quy chế nghiệm thu của Quỹ, Điều 12"))
    assert done.status_code == 302
    stored = stored_criteria(session, fund.id, "acceptance")
    assert [(c.name, c.weight, c.scale_max, c.threshold) for c in stored] == [
        ("The final report: methods, results and their evidence", 4, 5, 2),
        ("Products delivered in the kind and quantity contracted", 3, 5, 3),
        ("Hiệu quả kinh tế", 1, 10, 5),
    ]
    entry = session.exec(
        select(AuditEntry).where(AuditEntry.object_type == "council_criteria")
    ).one()
    assert "Quy chế nghiệm thu của Quỹ, Điều 12" in entry.detail
    assert "before:" in entry.detail
    page = _html(client.get(done.headers["Location"]))
    assert "Hiệu quả kinh tế" in page
    assert "Basis: Quy chế nghiệm thu của Quỹ, Điều 12" in page


def test_a_default_left_as_shown_in_vietnamese_stays_translated(client, make, session):
    fund = make.fund()
    client.login(make.manager().email)
    client.use_language("vi")
    page = _html(client.get(f"/councils/funds/{fund.id}/rules/midterm"))
    shown = page.split('name="rows-0-name"')[1].split('value="')[1].split('"')[0]
    assert shown != "Progress against the work plan and milestones"  # shown in Vietnamese
    rows = [
        {"position": "1", "name": shown, "weight": "3", "scale_max": "5", "threshold": "2"},
        {"position": "2", "name": "Tiêu chí riêng", "weight": "1", "scale_max": "5"},
    ]
    url = f"/councils/funds/{fund.id}/criteria/midterm"
    assert client.post_form(url, _rows(rows, "Quy chế của Quỹ")).status_code == 302
    names = [c.name for c in stored_criteria(session, fund.id, "midterm")]
    assert names == ["Progress against the work plan and milestones", "Tiêu chí riêng"]


def test_only_the_funds_managers_and_administrators_edit_the_criteria(client, make):
    fund = make.fund()
    other = make.manager_of(make.fund(code="KHAC"))
    client.login(other.email)
    assert client.get(f"/councils/funds/{fund.id}/criteria/acceptance").status_code == 404
    client.login(make.user("reviewer").email)
    assert client.get(f"/councils/funds/{fund.id}/criteria/acceptance").status_code == 403
    client.login(make.admin().email)
    assert client.get(f"/councils/funds/{fund.id}/criteria/acceptance").status_code == 200
    assert client.get(f"/councils/funds/{fund.id}/criteria/selection").status_code == 404


def test_a_members_acceptance_sheet_asks_for_the_funds_criteria_and_each_indicator(
    client, make, session
):
    sit = ProjectSitting(make, session, "acceptance", indicators=INDICATORS[:2])
    set_council_criteria(
        session,
        actor=sit.manager,
        fund_id=sit.fund_id,
        kind="acceptance",
        criteria=[CriterionInput("Mức độ hoàn thành", "Đủ sản phẩm theo hợp đồng", 2, 10, 6)],
        basis="Quy chế của Quỹ",
    )
    session.commit()
    item = sit.item()
    (criterion,) = stored_criteria(session, sit.fund_id, "acceptance")
    indicators = quality_indicators(session, sit.award.id)
    client.login(sit.members[3].email)
    client.use_language("en")
    url = f"/council-work/items/{item.id}"
    page = _html(client.get(url))
    assert "Mức độ hoàn thành (0–10, weight 2)" in page
    assert "Đủ sản phẩm theo hợp đồng" in page
    assert "Mẫu pin natri-ion: Dung lượng riêng" in page
    assert f'name="indicator_{indicators[1].id}"' in page
    data = {
        f"score_{criterion.id}": "8",
        f"indicator_{indicators[0].id}": "met",
        f"measured_{indicators[0].id}": "125 mAh/g",
        f"indicator_{indicators[1].id}": "not_met",
        f"measured_{indicators[1].id}": "410 chu kỳ",
        "opinion": "Đạt",
        "version_id": "0",
        "action": "submit",
    }
    assert client.post_form(f"{url}/sheet", data).status_code == 302
    page = _html(client.get(url))
    assert 'id="sheet-submitted"' in page
    assert "8 / 10" in page
