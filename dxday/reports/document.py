"""The consolidated report as a list of blocks (headings, paragraphs, numbered tables), built
from a stored snapshot and the issuing details. The DOCX and the PDF are both drawn from the
same blocks, so they hold the same text and the same tables.

Layout and wording follow Nghị định 30/2020/NĐ-CP (Phụ lục I: thể thức văn bản hành chính).
"""

import dataclasses
import datetime

AGENCY = "Cục Chuyển đổi số quốc gia"
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
SYMBOL = "BC-CĐSQG"
PLACE = "Hà Nội"
UNIT_COLUMNS = ["Phải gửi", "Đã gửi", "Đúng hạn", "Muộn", "Chưa gửi", "Đã chấp nhận"]
UNIT_KEYS = ["expected", "submitted", "on_time", "late", "missing", "accepted"]
ANNEXES = {
    "units": ("I", "Danh sách đơn vị nhận và tình hình gửi kế hoạch"),
    "activities": ("II", "Danh sách hoạt động đã công bố"),
    "initiatives": ("III", "Danh sách sáng kiến số đã công bố"),
}
PENDING = "(Nội dung do Cục Chuyển đổi số quốc gia bổ sung trước khi ban hành.)"


@dataclasses.dataclass
class Table:
    number: int
    title: str
    headers: list[str]  # without STT, which every table has first
    rows: list[list]
    total: list | None = None  # the "Tổng cộng" row (without STT), when the rows add up
    widths: list[float] | None = None  # relative widths, STT included
    note: str = ""

    @property
    def caption(self) -> str:
        return f"Bảng {self.number}. {self.title}"

    @property
    def numeric(self) -> list[bool]:
        """Which columns hold numbers (right-aligned), STT included."""
        return [True, *(bool(self.rows) and all(isinstance(r[i], int) for r in self.rows)
                        for i in range(len(self.headers)))]

    def cells(self) -> list[list[tuple[str, bool]]]:
        """Every row as (text, numeric) pairs, the total row last."""
        rows = self.numbered_rows() + ([self.total_row()] if self.total is not None else [])
        return [list(zip(row, self.numeric, strict=True)) for row in rows]

    def numbered_rows(self) -> list[list]:
        return [[str(i), *(_cell(v) for v in row)] for i, row in enumerate(self.rows, start=1)]

    def total_row(self) -> list[str] | None:
        return None if self.total is None else ["", "Tổng cộng", *(_cell(v) for v in self.total)]


@dataclasses.dataclass
class Block:
    kind: str  # "heading", "paragraph", "table"
    text: str = ""
    table: Table | None = None


@dataclasses.dataclass
class Report:
    issuer: str  # cơ quan chủ quản
    agency: str  # cơ quan ban hành
    number_text: str  # "Số: 12/BC-CĐSQG"
    date_text: str  # "Hà Nội, ngày 05 tháng 10 năm 2026"
    title: str  # trích yếu, without the document type
    addressee: str  # "Kính gửi: …" or ""
    blocks: list[Block]
    recipients: list[str]  # Nơi nhận
    signer_authority: str
    signer_title: str
    signer_name: str
    draft: bool


def _cell(value) -> str:
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    return "" if value is None else str(value)


def number_text(n: int) -> str:
    """Vietnamese thousands separator: 3.377."""
    return _cell(n)


def date_text(day: datetime.date | None, place: str = PLACE) -> str:
    """ND 30: days below 10 and months below 3 take a leading zero."""
    if day is None:
        return f"{place}, ngày      tháng      năm"
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def time_text(moment: datetime.datetime) -> str:
    return f"{moment.hour} giờ {moment.minute:02d} phút ngày {moment:%d/%m/%Y}"


def annex_line(details: dict) -> str:
    number = details.get("number") or f"      /{SYMBOL}"
    day = details.get("issue_date")
    when = f"{day:%d/%m/%Y}" if day else "      /      /"
    return f"(Kèm theo Báo cáo số {number} ngày {when} của {AGENCY})"


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def build(snapshot: dict, details: dict) -> Report:
    """The report's blocks from a snapshot and the issuing details (number, issue_date,
    addressee, extra_recipients, signer_authority/title/name, assessment, recommendations)."""
    year = snapshot["campaign"]["year"]
    theme = snapshot["campaign"]["theme"]
    figures = snapshot["figures"]
    as_of = datetime.datetime.fromisoformat(snapshot["as_of"])
    blocks: list[Block] = []
    tables = 0

    def heading(text):
        blocks.append(Block("heading", text))

    def paragraph(text):
        blocks.append(Block("paragraph", text))

    def table(title, headers, rows, **extra) -> Table:
        nonlocal tables
        tables += 1
        made = Table(tables, title, headers, rows, **extra)
        blocks.append(Block("table", table=made))
        return made

    def unit_table(title, first, groups, total):
        table(title, [first, *UNIT_COLUMNS],
              [[g["label"], *(g[k] for k in UNIT_KEYS)] for g in groups],
              total=[total[k] for k in UNIT_KEYS], widths=[8, 32, 10, 10, 10, 9, 10, 11])

    basis = snapshot["legal_basis"]
    if basis:
        opening = "Thực hiện " + "; ".join(basis) + ", "
    else:
        opening = f"Thực hiện nhiệm vụ tổ chức Ngày Chuyển đổi số quốc gia năm {year}, "
    opening += (f"{AGENCY} báo cáo tổng hợp kết quả triển khai Ngày Chuyển đổi số quốc gia năm "
                f"{year}")
    if theme:
        opening += f" với chủ đề “{theme}”"
    paragraph(opening + f" (số liệu tính đến {time_text(as_of)}) như sau:")

    heading("I. TÌNH HÌNH GỬI KẾ HOẠCH")
    if figures["recipients"]:
        paragraph(
            f"Tổng số đơn vị nhận: {number_text(figures['recipients'])}; đã gửi kế hoạch: "
            f"{number_text(figures['responded'])}, trong đó đúng hạn: "
            f"{number_text(figures['on_time'])}, muộn: {number_text(figures['late'])}; chưa "
            f"gửi: {number_text(figures['missing'])}; kế hoạch đã được chấp nhận: "
            f"{number_text(figures['accepted'])} (chi tiết tại Phụ lục I kèm theo).")
        totals = dict(zip(UNIT_KEYS, (figures[k] for k in (
            "recipients", "responded", "on_time", "late", "missing", "accepted")), strict=True))
        unit_table("Tình hình gửi kế hoạch theo loại đơn vị", "Loại đơn vị",
                   snapshot["by_kind"], totals)
        if snapshot["by_province"]:
            # Ministries and agencies belong to no province: this table adds up on its own.
            unit_table("Tình hình gửi kế hoạch theo tỉnh, thành phố", "Tỉnh, thành phố",
                       snapshot["by_province"],
                       {k: sum(p[k] for p in snapshot["by_province"]) for k in UNIT_KEYS})
        if snapshot["missing"]:
            paragraph(f"Các đơn vị chưa gửi kế hoạch ({number_text(len(snapshot['missing']))} "
                      "đơn vị):")
            table("Đơn vị chưa gửi kế hoạch", ["Đơn vị", "Loại đơn vị", "Thuộc tỉnh, thành phố"],
                  [[m["name"], m["kind"], m.get("province", "")] for m in snapshot["missing"]],
                  widths=[8, 37, 28, 27])
        else:
            paragraph("Tất cả các đơn vị đã gửi kế hoạch.")
    else:
        paragraph("Chiến dịch chưa có đơn vị nhận; chưa có số liệu về tình hình gửi kế hoạch.")

    heading("II. HOẠT ĐỘNG")
    activities = snapshot["activities"]
    if figures["activities"]:
        paragraph(f"Tổng số hoạt động đã công bố: {number_text(figures['activities'])} (chi "
                  "tiết tại Phụ lục II kèm theo).")
        table("Hoạt động theo loại hình", ["Loại hình", "Số hoạt động"],
              activities["by_category"], total=[figures["activities"]], widths=[8, 67, 25])
        table("Hoạt động theo hình thức tổ chức", ["Hình thức", "Số hoạt động"],
              activities["by_format"], total=[figures["activities"]], widths=[8, 67, 25])
        rows = list(activities["by_province"])
        if activities["no_province"]:
            rows.append(["Không gắn với tỉnh, thành phố", activities["no_province"]])
        table("Hoạt động theo địa bàn", ["Tỉnh, thành phố", "Số hoạt động"], rows,
              total=[figures["activities"]], widths=[8, 67, 25])
    else:
        paragraph("Chưa có hoạt động nào được công bố.")

    heading("III. SÁNG KIẾN SỐ")
    initiatives = snapshot["initiatives"]
    if figures["initiatives"]:
        paragraph(f"Tổng số sáng kiến số đã công bố: {number_text(figures['initiatives'])} "
                  "(chi tiết tại Phụ lục III kèm theo).")
        table("Sáng kiến số theo đối tượng thụ hưởng", ["Đối tượng thụ hưởng", "Số sáng kiến"],
              initiatives["by_beneficiary"], widths=[8, 67, 25],
              note="Một sáng kiến có thể phục vụ nhiều đối tượng, nên các dòng không cộng "
                   "thành tổng số sáng kiến.")
        rows = list(initiatives["by_sector"])
        if initiatives["other_sectors"]:
            rows.append([f"Các lĩnh vực khác ({initiatives['other_sectors_count']} lĩnh vực)",
                         initiatives["other_sectors"]])
        if initiatives["no_sector"]:
            rows.append(["Chưa ghi lĩnh vực", initiatives["no_sector"]])
        table("Sáng kiến số theo lĩnh vực", ["Lĩnh vực", "Số sáng kiến"], rows,
              total=[figures["initiatives"]], widths=[8, 67, 25])
        if initiatives["notable"]:
            paragraph("Một số sáng kiến tiêu biểu phục vụ người dân:")
            for n in initiatives["notable"]:
                paragraph(f"- {n['name']} ({n['organisation']}): {n['url']}.")
    else:
        paragraph("Chưa có sáng kiến số nào được công bố.")

    heading("IV. TRUYỀN THÔNG VÀ HIỂN THỊ BỘ NHẬN DIỆN")
    kit = snapshot["kit"]["totals"]
    if kit["checked"]:
        paragraph(
            f"Kết quả kiểm tra tự động gần nhất việc hiển thị bộ nhận diện Ngày Chuyển đổi số "
            f"quốc gia trên cổng/trang thông tin điện tử và báo điện tử của các đơn vị: "
            f"{number_text(kit['present'])}/{number_text(kit['checked'])} địa chỉ có hiển thị; "
            f"{number_text(kit['absent'])} địa chỉ chưa hiển thị; {number_text(kit['error'])} "
            "địa chỉ không kiểm tra được.")
        table("Kết quả kiểm tra hiển thị bộ nhận diện theo loại địa chỉ",
              ["Loại địa chỉ", "Đã kiểm tra", "Có hiển thị", "Chưa hiển thị",
               "Không kiểm tra được"],
              [[r["label"], r["checked"], r["present"], r["absent"], r["error"]]
               for r in snapshot["kit"]["by_kind"]],
              total=[kit["checked"], kit["present"], kit["absent"], kit["error"]],
              widths=[8, 32, 15, 15, 15, 15])
    else:
        paragraph("Chưa có kết quả kiểm tra tự động việc hiển thị bộ nhận diện Ngày Chuyển đổi "
                  "số quốc gia trên cổng/trang thông tin điện tử và báo điện tử của các đơn vị.")

    return finish(snapshot, details, blocks,
                  title=f"Tổng hợp kết quả triển khai Ngày Chuyển đổi số quốc gia năm {year}",
                  closing=f"Trên đây là báo cáo tổng hợp kết quả triển khai Ngày Chuyển đổi số "
                          f"quốc gia năm {year} của {AGENCY}./.")


def finish(snapshot: dict, details: dict, blocks: list[Block], *, title: str,
           closing: str) -> Report:
    """Parts V and VI (what the reviewer wrote), the closing sentence, then the header and the
    signer block of ND 30: the same in every report of the agency."""
    blocks.append(Block("heading", "V. ĐÁNH GIÁ"))
    for text in _paragraphs(details.get("assessment")) or [PENDING]:
        blocks.append(Block("paragraph", text))
    blocks.append(Block("heading", "VI. KIẾN NGHỊ, ĐỀ XUẤT"))
    for text in _paragraphs(details.get("recommendations")) or [PENDING]:
        blocks.append(Block("paragraph", text))
    blocks.append(Block("paragraph", closing))

    addressee = (details.get("addressee") or "").strip()
    recipients = (["- Như trên;"] if addressee else [])
    recipients += [f"- {line.rstrip(';.')};" for line in _paragraphs(
        details.get("extra_recipients"))]
    recipients.append("- Lưu: VT, CĐSQG.")
    number = (details.get("number") or "").strip()
    return Report(
        issuer=snapshot["issuer"].upper(), agency=AGENCY.upper(),
        number_text=f"Số: {number}" if number else f"Số:        /{SYMBOL}",
        date_text=date_text(details.get("issue_date")),
        title=title,
        addressee=f"Kính gửi: {addressee}." if addressee else "", blocks=blocks,
        recipients=recipients,
        signer_authority=(details.get("signer_authority") or "").strip().upper(),
        signer_title=(details.get("signer_title") or "").strip().upper(),
        signer_name=(details.get("signer_name") or "").strip(),
        draft=not details.get("issued"))
