"""The plan as an Excel form, the way offices keep it today: the same header, texts and rows as
yorisoi's plan PDF (from the plan.json the PDF bench writes), A4 landscape, ruled, wrapped,
with the column headings repeated on every printed page. bench/pdf.sh converts it with
LibreOffice to compare."""
import json
import sys

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

d = json.load(open(sys.argv[1], encoding="utf-8"))
wb = Workbook()
ws = wb.active
ws.title = "計画"
thin = Side(style="thin")
box = Border(left=thin, right=thin, top=thin, bottom=thin)
wrap = Alignment(wrap_text=True, vertical="top")
shade = PatternFill("solid", fgColor="EEEEEE")
font = Font(name="IPAexGothic", size=9)
widths = [6, 24, 22, 8, 26, 20, 20, 8, 18]
for i, w in enumerate(widths):
    ws.column_dimensions[chr(65 + i)].width = w

def cell(r, c, v, label=False):
    x = ws.cell(row=r, column=c, value=v)
    x.border = box
    x.alignment = wrap
    x.font = font
    if label:
        x.fill = shade
    return x

ws.merge_cells("A1:I1")
t = ws.cell(row=1, column=1, value=d["title"])
t.font = Font(name="IPAexGothic", size=15)
t.alignment = Alignment(horizontal="center")
head = [
    ("利用者氏名", d["client_name"], "障害支援区分", d["support_level"], "相談支援事業者名", d["office"]),
    ("障害福祉サービス受給者証番号", d["certificate_number"], "利用者負担上限額", d["cost_cap"], "計画作成担当者", d["planner"]),
    ("計画作成日", d["decided_on"], "モニタリング期間", d["monitoring"], "利用者同意署名欄", ""),
]
r = 3
for row in head:
    cols = [1, 2, 4, 5, 6, 7]
    for j, v in enumerate(row):
        cell(r, cols[j], v, label=(j % 2 == 0))
    r += 1
r += 1
for label, v in [
    ("利用者及びその家族の生活に対する意向", "本人：" + d["wish_person"] + "\n家族：" + d["wish_family"]),
    ("総合的な援助の方針", d["policy"]),
    ("長期目標", d["long_goal"]),
    ("短期目標", d["short_goal"]),
]:
    cell(r, 1, label, label=True)
    ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=9)
    cell(r, 2, v)
    ws.row_dimensions[r].height = 30
    r += 1
r += 1
header_row = r
for j, h in enumerate(["優先順位", "解決すべき課題（本人のニーズ）", "支援目標", "達成時期",
                       "福祉サービス等 種類・内容・量（頻度・時間）", "提供事業者名（担当者名・電話）",
                       "課題解決のための本人の役割", "評価時期", "その他留意事項"]):
    cell(r, j + 1, h, label=True)
r += 1
for x in d["rows"]:
    vals = [x["priority"], x["need"], x["goal"], x["due"],
            x["category"] + "\n" + x["service"] + ("\n" + x["schedule"] if x["schedule"] else ""),
            x["provider"], x["person_role"], x["review"], x["notes"]]
    for j, v in enumerate(vals):
        cell(r, j + 1, v)
    ws.row_dimensions[r].height = 60
    r += 1
r += 1
for e in d["elements"]:
    cell(r, 1, e["label"], label=True)
    ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=9)
    cell(r, 2, e["text"])
    r += 1
ws.page_setup.orientation = "landscape"
ws.page_setup.paperSize = ws.PAPERSIZE_A4
ws.page_setup.fitToWidth = 1
ws.page_setup.fitToHeight = 0
ws.sheet_properties.pageSetUpPr.fitToPage = True
ws.print_title_rows = f"{header_row}:{header_row}"
ws.oddFooter.left.text = d["office"]
ws.oddFooter.center.text = "&P / &N"
wb.save(sys.argv[2])
