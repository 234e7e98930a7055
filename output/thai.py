"""Thai words of the reports: column and section labels, and one Thai message per finding code
(English beside it in the pages). A finding's Thai message is its code's sentence, filled with
the finding's expected and actual values where it has them; the English message the pipeline
wrote stays next to it, word for word."""

# key -> (Thai, English)
LABELS = {
    "overview": ("ภาพรวมคลังข้อมูลแผน", "warehouse overview"),
    "documents": ("เอกสาร", "documents"),
    "document": ("เอกสาร", "document"),
    "file": ("ชื่อไฟล์", "file"),
    "office": ("สำนักงาน", "office"),
    "province": ("จังหวัด", "province"),
    "fiscal_year": ("ปีงบประมาณ", "fiscal year"),
    "title": ("ชื่อแผน", "title"),
    "strategy_title": ("ชื่อกลยุทธ์", "strategy"),
    "status": ("สถานะ", "status"),
    "pages": ("หน้า", "pages"),
    "text": ("วิธีอ่านข้อความ", "text"),
    "error": ("ข้อผิดพลาด", "error"),
    "projects": ("โครงการ", "projects"),
    "budget": ("งบประมาณ (บาท)", "budget (baht)"),
    "students": ("นักเรียน (คน)", "students"),
    "per_student": ("งบประมาณต่อนักเรียน (บาท)", "budget per student (baht)"),
    "change": ("เปลี่ยนแปลงจากปีก่อน", "change from the year before"),
    "offices": ("สำนักงาน", "offices"),
    "errors": ("ข้อผิดพลาด", "errors"),
    "warnings": ("คำเตือน", "warnings"),
    "findings": ("ข้อสังเกตจากการตรวจ", "findings"),
    "severity": ("ระดับ", "severity"),
    "code": ("รหัส", "code"),
    "message_th": ("คำอธิบาย", "message (Thai)"),
    "message_en": ("ข้อความเดิม", "message (English)"),
    "count": ("จำนวน", "count"),
    "strategy": ("กลยุทธ์", "strategy"),
    "row": ("ลำดับ", "row"),
    "page": ("หน้า", "page"),
    "declared": ("ยอดที่พิมพ์ (บาท)", "declared (baht)"),
    "computed": ("ผลรวมรายการ (บาท)", "sum of rows (baht)"),
    "group": ("กลุ่มที่รับผิดชอบ", "responsible group"),
    "project": ("โครงการ", "project"),
    "period": ("ระยะเวลา", "period"),
    "start": ("เริ่มต้น", "start"),
    "end": ("สิ้นสุด", "end"),
    "by_office": ("งบประมาณรายสำนักงานและปีงบประมาณ", "budget by office and fiscal year"),
    "by_province": ("งบประมาณรายจังหวัด", "budget by province"),
    "by_year": ("งบประมาณรายปีงบประมาณ", "budget by fiscal year"),
    "by_group": ("งบประมาณรายกลุ่มที่รับผิดชอบ", "budget by responsible group"),
    "by_strategy": ("งบประมาณรายกลยุทธ์", "budget by strategy"),
    "by_code": ("ข้อสังเกตแยกตามรหัส", "findings by code"),
    "superseded": ("เอกสารฉบับเก่าที่ถูกแทนที่", "superseded documents"),
    "superseded_by": ("แทนที่ด้วย", "superseded by"),
    "timeline": ("ระยะเวลาดำเนินโครงการ", "project timeline"),
    "filter": ("ค้นหา", "filter"),
    "back": ("กลับหน้าภาพรวม", "back to the overview"),
    "legend_in_year": ("อยู่ในปีงบประมาณ", "within the fiscal year"),
    "legend_flagged": ("วันที่อยู่นอกปีงบประมาณหรือผิดลำดับ", "a date outside the year or out of order"),
    "legend_year": ("ช่วงปีงบประมาณ", "the fiscal year"),
    "sort_hint": ("คลิกหัวตารางเพื่อเรียง", "click a header to sort"),
    "baht": ("บาท", "baht"),
    "error_findings": ("ข้อผิดพลาดร้ายแรง", "error findings"),
    "none": ("(ไม่ระบุ)", "(none)"),
}

SEVERITY = {"error": "ผิดพลาด", "warning": "เตือน", "info": "ข้อมูล"}
STATUS = {"ok": "สมบูรณ์", "partial": "บางส่วน", "failed": "อ่านไม่ได้"}

# finding code -> Thai sentence; {expected} and {actual} are filled from the finding when it has them
FINDINGS = {
    "TOTAL_MISMATCH": "ยอดรวมที่พิมพ์ {expected} บาท ไม่ตรงกับผลรวมของรายการโครงการ {actual} บาท",
    "COUNT_MISMATCH": "จำนวนโครงการที่ระบุ {expected} โครงการ แต่พบในตาราง {actual} รายการ",
    "INVALID_AMOUNT": "อ่านจำนวนเงินไม่ได้หรือจำนวนเงินไม่ถูกต้อง",
    "INVALID_DATE": "วันที่ไม่ถูกต้อง (ไม่มีวันนี้ในปฏิทิน หรืออ่านไม่ได้)",
    "MISSING_DATE": "ไม่ได้พิมพ์วันที่เริ่มต้นหรือสิ้นสุด",
    "DATE_ORDER": "วันสิ้นสุดมาก่อนวันเริ่มต้น",
    "DATE_OUTSIDE_FY": "วันที่ {actual} อยู่นอกปีงบประมาณ ({expected})",
    "UNLINKED_TIMELINE": "รายการในตารางระยะเวลาไม่ตรงกับโครงการใด",
    "NAME_MISMATCH": "ชื่อโครงการในตารางระยะเวลาต่างจากในตารางงบประมาณ",
    "HEADER_MISMATCH": "หัวตารางไม่ตรงกับเนื้อหาของตาราง",
    "GROUP_NUMBER_READ": "เลขของหัวข้อกลุ่มอ่านได้ไม่ตรง ({actual}) ใช้เลข {expected} ตามแถวรวมหรือลำดับของตาราง",
    "STAT_TOTAL_MISMATCH": "ยอดรวมในตารางสถิติ {expected} ไม่ตรงกับผลรวมของรายการ {actual}",
    "LOW_OCR_CONFIDENCE": "ข้อความที่อ่านด้วย OCR มีความเชื่อมั่นต่ำ ควรตรวจทาน",
    "LOW_TEXT_QUALITY": "ข้อความในหน้านี้อ่านได้ไม่ดี (ชั้นข้อความเสียหรือเป็นภาพสแกน)",
    "MISSING_FISCAL_YEAR": "ไม่พบปีงบประมาณบนปก",
    "MISSING_PROJECTS": "ไม่พบตารางโครงการ",
    "MISSING_TIMELINE": "ไม่พบตารางระยะเวลาดำเนินการ",
    "UNASSIGNED_PROJECTS": "มีโครงการที่ไม่อยู่ภายใต้กลยุทธ์ใด",
    "PAGE_LIMIT": "อ่านเพียงบางหน้าของเอกสาร (เกินจำนวนหน้าที่กำหนด)",
    "STAGE_ERROR": "ขั้นตอนการสกัดข้อมูลขั้นหนึ่งล้มเหลว ข้อมูลอาจไม่ครบ",
    "SUPERSEDED": "เอกสารนี้ถูกแทนที่ด้วยฉบับที่ใหม่กว่าของแผนเดียวกัน",
}
UNKNOWN_FINDING = "ข้อสังเกตอื่น ๆ"


def th(key: str) -> str:
    return LABELS[key][0]


def en(key: str) -> str:
    return LABELS[key][1]


def finding_th(code: str, expected: str | None = None, actual: str | None = None) -> str:
    """The Thai message of a finding: its code's sentence with the values it has; a sentence
    whose value is missing loses the parenthesis or figure, never shows a placeholder."""
    text = FINDINGS.get(code, UNKNOWN_FINDING)
    if "{" in text:
        values = {"expected": expected or "", "actual": actual or ""}
        text = text.format(**values).replace("()", "").replace("  ", " ").strip()
    return text
