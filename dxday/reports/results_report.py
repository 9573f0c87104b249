"""The results report ("Báo cáo kết quả tổ chức hưởng ứng Ngày Chuyển đổi số quốc gia năm Y"):
the blocks of the document and the rows of its annexes, drawn from a results snapshot
(dxday.reports.snapshot.take_results). The DOCX and the PDF are made by the consolidated
report's renderers from these blocks, so both reports share the Nghị định 30/2020 layout;
the XLSX annexes by the shared table writer.
"""

import datetime
import resource
import time

from dxday.lib.tables import Column, Table, to_xlsx
from dxday.reports import document, snapshot
from dxday.reports.document import AGENCY, Block, number_text, time_text
from dxday.reports.render import render_docx, render_pdf

ANNEXES = {
    "units": ("I", "Danh sách đơn vị và kết quả thực hiện so với kế hoạch"),
    "activities": ("II", "Danh sách hoạt động đã tổ chức"),
    "initiatives": ("III", "Danh sách sáng kiến số đã đưa vào triển khai"),
}
# In the breakdowns "Đã tổ chức" counts the planned activities that took place (as planned or
# changed); "Phát sinh" the activities not planned.
COMPARE = ["Kế hoạch", "Đã tổ chức", "Không tổ chức", "Phát sinh", "Người tham gia"]
COMPARE_KEYS = ["planned", "held", "cancelled", "added", "participants"]


def title(year: int) -> str:
    return f"Kết quả tổ chức hưởng ứng Ngày Chuyển đổi số quốc gia năm {year}"


def build(snapshot: dict, details: dict) -> document.Report:
    """The results report's blocks from a results snapshot and the issuing details (the same
    details as the consolidated report's)."""
    year = snapshot["campaign"]["year"]
    theme = snapshot["campaign"]["theme"]
    units, activities = snapshot["units"], snapshot["activities"]
    participants, initiatives = snapshot["participants"], snapshot["initiatives"]
    as_of = datetime.datetime.fromisoformat(snapshot["as_of"])
    blocks: list[Block] = []
    tables = 0
    n = number_text

    def heading(text):
        blocks.append(Block("heading", text))

    def paragraph(text):
        blocks.append(Block("paragraph", text))

    def table(caption, headers, rows, **extra):
        nonlocal tables
        tables += 1
        blocks.append(Block("table", table=document.Table(tables, caption, headers, rows,
                                                          **extra)))

    basis = snapshot["legal_basis"]
    opening = ("Thực hiện " + "; ".join(basis) + ", " if basis else
               f"Thực hiện nhiệm vụ tổ chức Ngày Chuyển đổi số quốc gia năm {year}, ")
    opening += (f"{AGENCY} báo cáo kết quả tổ chức hưởng ứng Ngày Chuyển đổi số quốc gia năm "
                f"{year}")
    if theme:
        opening += f" với chủ đề “{theme}”"
    paragraph(opening + ", tổng hợp từ báo cáo kết quả của các đơn vị đã được chấp nhận (số liệu "
              f"tính đến {time_text(as_of)}) như sau:")

    heading("I. TÌNH HÌNH BÁO CÁO KẾT QUẢ CỦA CÁC ĐƠN VỊ")
    if units["expected"]:
        deadline = snapshot["campaign"].get("results_deadline")
        when = (f" (hạn gửi: {datetime.date.fromisoformat(deadline):%d/%m/%Y})"
                if deadline else "")
        paragraph(
            f"Tổng số đơn vị phải báo cáo: {n(units['expected'])}, trong đó "
            f"{n(units['plans_accepted'])} đơn vị có kế hoạch đã được chấp nhận. Đã gửi báo cáo "
            f"kết quả{when}: {n(units['results_submitted'])} đơn vị, trong đó đúng hạn: "
            f"{n(units['results_on_time'])}, muộn: {n(units['results_late'])}; chưa gửi: "
            f"{n(units['results_missing'])}; báo cáo kết quả đã được chấp nhận: "
            f"{n(units['results_accepted'])} (chi tiết tại Phụ lục I kèm theo).")
        table("Tình hình gửi báo cáo kết quả", ["Nội dung", "Số đơn vị"], [
            ["Đơn vị phải báo cáo", units["expected"]],
            ["Kế hoạch đã được chấp nhận", units["plans_accepted"]],
            ["Đã gửi báo cáo kết quả", units["results_submitted"]],
            ["- Gửi đúng hạn", units["results_on_time"]],
            ["- Gửi muộn", units["results_late"]],
            ["Chưa gửi báo cáo kết quả", units["results_missing"]],
            ["- Trong đó kế hoạch chưa được chấp nhận", units["results_not_ready"]],
            ["Báo cáo kết quả bị trả lại để bổ sung", units["results_returned"]],
            ["Báo cáo kết quả đã được chấp nhận", units["results_accepted"]],
        ], widths=[8, 67, 25])
        if snapshot["missing"]:
            paragraph(f"Các đơn vị chưa gửi báo cáo kết quả ({n(len(snapshot['missing']))} "
                      "đơn vị):")
            table("Đơn vị chưa gửi báo cáo kết quả", ["Đơn vị", "Loại đơn vị", "Tình trạng"],
                  [[m["name"], m["kind"], m["state"]] for m in snapshot["missing"]],
                  widths=[8, 42, 25, 25])
        else:
            paragraph("Tất cả các đơn vị đã gửi báo cáo kết quả.")
    else:
        paragraph("Chiến dịch chưa có đơn vị nhận; chưa có số liệu về tình hình báo cáo kết quả.")

    heading("II. KẾT QUẢ TỔ CHỨC CÁC HOẠT ĐỘNG")
    heading("1. Hoạt động so với kế hoạch")
    if activities["planned"] or activities["added"]:
        paragraph(
            f"Theo kế hoạch đã được chấp nhận, các đơn vị dự kiến tổ chức "
            f"{n(activities['planned'])} hoạt động; đã tổ chức theo kế hoạch: "
            f"{n(activities['held'])}; đã tổ chức có thay đổi (thời gian, địa điểm, hình thức): "
            f"{n(activities['changed'])}; không tổ chức: {n(activities['cancelled'])}; chưa có "
            f"báo cáo: {n(activities['not_reported'])}. Ngoài kế hoạch, các đơn vị đã tổ chức "
            f"thêm {n(activities['added'])} hoạt động (chi tiết tại Phụ lục II kèm theo).")
        table("Hoạt động theo kế hoạch và kết quả thực hiện", ["Nội dung", "Số hoạt động"], [
            ["Hoạt động theo kế hoạch", activities["planned"]],
            ["- Đã tổ chức theo kế hoạch", activities["held"]],
            ["- Đã tổ chức, có thay đổi", activities["changed"]],
            ["- Không tổ chức", activities["cancelled"]],
            ["- Chưa có báo cáo", activities["not_reported"]],
            ["Hoạt động phát sinh ngoài kế hoạch", activities["added"]],
        ], widths=[8, 67, 25])
    else:
        paragraph("Chưa có hoạt động nào trong kế hoạch đã được chấp nhận hoặc trong báo cáo "
                  "kết quả.")
    heading("2. Người tham gia")
    if participants["total"]:
        paragraph(f"Tổng số lượt người tham gia các hoạt động: {n(participants['total'])}, "
                  f"trong đó trực tiếp: {n(participants['in_person'])}, trực tuyến: "
                  f"{n(participants['online'])}.")
        table("Người tham gia các hoạt động", ["Hình thức tham gia", "Số lượt người"], [
            ["Trực tiếp", participants["in_person"]], ["Trực tuyến", participants["online"]],
        ], total=[participants["total"]], widths=[8, 67, 25])
    else:
        paragraph("Chưa có số liệu về người tham gia các hoạt động.")
    heading("3. Kết quả theo loại hình hoạt động")
    compare_widths = [8, 32, 12, 12, 12, 12, 12]
    if snapshot["by_category"]:
        table("Hoạt động theo loại hình: kế hoạch và kết quả", ["Loại hình", *COMPARE],
              [[r["label"], *(r[k] for k in COMPARE_KEYS)] for r in snapshot["by_category"]],
              total=[sum(r[k] for r in snapshot["by_category"]) for k in COMPARE_KEYS],
              widths=compare_widths)
    else:
        paragraph("Chưa có số liệu.")
    heading("4. Kết quả theo địa bàn")
    if snapshot["by_province"]:
        keys = [*COMPARE_KEYS, "initiatives_launched"]
        table("Kết quả theo tỉnh, thành phố", ["Tỉnh, thành phố", *COMPARE,
                                               "Sáng kiến đã triển khai"],
              [[r["name"], *(r[k] for k in keys)] for r in snapshot["by_province"]],
              total=[sum(r[k] for r in snapshot["by_province"]) for k in keys],
              widths=[8, 26, 11, 11, 11, 11, 11, 11])
    else:
        paragraph("Chưa có số liệu theo địa bàn.")

    heading("III. SÁNG KIẾN SỐ ĐƯA VÀO TRIỂN KHAI")
    if initiatives["planned"] or initiatives["added"]:
        paragraph(
            f"Theo kế hoạch, các đơn vị dự kiến triển khai {n(initiatives['planned'])} sáng "
            f"kiến số; đã đưa vào triển khai: {n(initiatives['launched'])}; chưa triển khai: "
            f"{n(initiatives['not_launched'])}; chưa có báo cáo: "
            f"{n(initiatives['not_reported'])}. Ngoài kế hoạch, các đơn vị báo cáo thêm "
            f"{n(initiatives['added'])} sáng kiến số (danh sách sáng kiến đã triển khai và số "
            "liệu sử dụng tại Phụ lục III kèm theo).")
        table("Sáng kiến số theo kế hoạch và kết quả", ["Nội dung", "Số sáng kiến"], [
            ["Sáng kiến theo kế hoạch", initiatives["planned"]],
            ["- Đã đưa vào triển khai", initiatives["launched"]],
            ["- Chưa triển khai", initiatives["not_launched"]],
            ["- Chưa có báo cáo", initiatives["not_reported"]],
            ["Sáng kiến phát sinh ngoài kế hoạch", initiatives["added"]],
        ], widths=[8, 67, 25])
    else:
        paragraph("Chưa có sáng kiến số nào trong kế hoạch đã được chấp nhận hoặc trong báo cáo "
                  "kết quả.")

    heading("IV. TRUYỀN THÔNG VÀ HIỂN THỊ BỘ NHẬN DIỆN")
    communications = snapshot["communications"]
    if communications["total"] or communications["display_urls"]:
        paragraph(f"Các đơn vị báo cáo {n(communications['total'])} hoạt động truyền thông và "
                  f"{n(communications['display_urls'])} địa chỉ hiển thị bộ nhận diện Ngày "
                  "Chuyển đổi số quốc gia.")
        if communications["total"]:
            table("Hoạt động truyền thông theo kênh", ["Kênh truyền thông", "Số hoạt động"],
                  communications["by_channel"], total=[communications["total"]],
                  widths=[8, 67, 25])
    else:
        paragraph("Các báo cáo kết quả đã được chấp nhận chưa nêu hoạt động truyền thông hoặc "
                  "địa chỉ hiển thị bộ nhận diện.")
    kit = snapshot["kit"]["totals"]
    if kit["checked"]:
        paragraph(
            f"Kết quả kiểm tra tự động gần nhất việc hiển thị bộ nhận diện trên cổng/trang "
            f"thông tin điện tử và báo điện tử của các đơn vị: {n(kit['present'])}/"
            f"{n(kit['checked'])} địa chỉ có hiển thị; {n(kit['absent'])} địa chỉ chưa hiển "
            f"thị; {n(kit['error'])} địa chỉ không kiểm tra được.")
        table("Kết quả kiểm tra hiển thị bộ nhận diện theo loại địa chỉ",
              ["Loại địa chỉ", "Đã kiểm tra", "Có hiển thị", "Chưa hiển thị",
               "Không kiểm tra được"],
              [[r["label"], r["checked"], r["present"], r["absent"], r["error"]]
               for r in snapshot["kit"]["by_kind"]],
              total=[kit["checked"], kit["present"], kit["absent"], kit["error"]],
              widths=[8, 32, 15, 15, 15, 15])
    else:
        paragraph("Chưa có kết quả kiểm tra tự động việc hiển thị bộ nhận diện.")

    return document.finish(
        snapshot, details, blocks, title=title(year),
        closing=f"Trên đây là báo cáo kết quả tổ chức hưởng ứng Ngày Chuyển đổi số quốc gia năm "
                f"{year} của {AGENCY}./.")


# ---------------------------------------------------------------------------------- annexes

def _annex(*columns) -> list[Column]:
    return [Column(name, kind, title=name, width=width) for name, kind, width in columns]


ANNEX_COLUMNS = {
    "units": _annex(("STT", "integer", 6), ("Mã đơn vị", "string", 12),
                    ("Tên đơn vị", "string", 40), ("Loại đơn vị", "string", 18),
                    ("Tình trạng báo cáo kết quả", "string", 22),
                    ("Thời điểm gửi", "datetime", 18), ("Đúng hạn", "string", 10),
                    ("Hoạt động theo kế hoạch", "integer", 12),
                    ("Đã tổ chức theo kế hoạch", "integer", 12),
                    ("Đã tổ chức, có thay đổi", "integer", 12),
                    ("Không tổ chức", "integer", 12), ("Phát sinh", "integer", 12),
                    ("Người tham gia", "integer", 14),
                    ("Sáng kiến theo kế hoạch", "integer", 12),
                    ("Sáng kiến đã triển khai", "integer", 12),
                    ("Sáng kiến phát sinh", "integer", 12)),
    "activities": _annex(("STT", "integer", 6), ("Đơn vị", "string", 32),
                         ("Tên hoạt động", "string", 44), ("Loại hình", "string", 22),
                         ("Kết quả", "string", 20), ("Theo kế hoạch", "string", 14),
                         ("Từ ngày", "date", 12), ("Đến ngày", "date", 12),
                         ("Địa điểm", "string", 28), ("Tỉnh, thành phố", "string", 22),
                         ("Hình thức", "string", 14), ("Tham dự trực tiếp", "integer", 12),
                         ("Tham dự trực tuyến", "integer", 12),
                         ("Tổng số người tham gia", "integer", 12),
                         ("Lượt xem", "integer", 12), ("Lượt chia sẻ", "integer", 12),
                         ("Nguồn số liệu", "string", 24), ("Minh chứng", "string", 40)),
    "initiatives": _annex(("STT", "integer", 6), ("Đơn vị", "string", 32),
                          ("Tên sáng kiến", "string", 44), ("Theo kế hoạch", "string", 14),
                          ("Ngày đưa vào triển khai", "date", 14),
                          ("Chỉ số sử dụng", "string", 18), ("Số liệu sử dụng", "integer", 14),
                          ("Số liệu tính đến ngày", "date", 14),
                          ("Địa chỉ truy cập", "string", 36)),
}


def annex_rows(snapshot: dict, name: str):
    """An annex's rows as the XLSX holds them (STT first; dates as dates)."""
    types = [c.type for c in ANNEX_COLUMNS[name]][1:]
    for number, row in enumerate(snapshot["annexes"][name], start=1):
        values = [number]
        for value, kind in zip(row, types, strict=True):
            if value and kind == "date":
                value = datetime.date.fromisoformat(value)
            elif value and kind == "datetime":
                value = datetime.datetime.fromisoformat(value)
            values.append(value)
        yield values


def render_xlsx(snapshot: dict, details: dict) -> bytes:
    """Phụ lục I, II, III of the results report: a sheet each, titled like the consolidated
    report's annexes; text cells escaped (formula injection)."""
    line = document.annex_line(details)
    return to_xlsx(*[Table(f"Phụ lục {numeral}", ANNEX_COLUMNS[name], annex_rows(snapshot, name),
                           header="title", lines=(f"Phụ lục {numeral}", caption.upper(), line))
                     for name, (numeral, caption) in ANNEXES.items()])


def bench(campaign, details: dict) -> dict:
    """Seconds per step of a results report as the worker makes it, and the peak memory
    (bench/results.py runs it in a process of its own)."""
    steps, sizes, started = {}, {}, time.monotonic()

    def step(name, make):
        moment = time.monotonic()
        value = make()
        steps[name] = round(time.monotonic() - moment, 2)
        return value

    data = step("snapshot", lambda: snapshot.take_results(campaign))
    sizes["snapshot"] = len(step("snapshot stored (gzip JSON)", lambda: snapshot.dumps(data)))
    sizes["xlsx"] = len(step("xlsx", lambda: render_xlsx(data, details)))
    report = build(data, details)
    sizes["docx"] = len(step("docx", lambda: render_docx(report)))
    sizes["pdf"] = len(step("pdf", lambda: render_pdf(report)))
    return {"steps": steps, "total": round(time.monotonic() - started, 2), "sizes": sizes,
            "figures": data["figures"], "tables": sum(b.kind == "table" for b in report.blocks),
            "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}
