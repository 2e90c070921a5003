"""Demo data: the fictional citizens, notices and appointments of docs/demo-data.md.

The ID-card simulator carries the same ID numbers, so a demo card finds these records. Seeding
runs at every ``--demo`` start: citizens and notices are put back to their documented state,
today's appointment is added for today's date, and each queue gets a few people waiting.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import date
from typing import Any

from contract.lookups import months_before
from gateway import queue_book
from gateway.context import GatewayContext
from gateway.kiosks import DEMO_KIOSKS, register_kiosk
from gateway.storage import Transaction, dumps

log = logging.getLogger("gateway.server")

ALL_INSURANCES = ["pension", "medical", "unemployment", "injury", "maternity"]


def _contributions(today: date, count: int, base_fen: int, employer: str, personal_rate: float,
                   employer_rate: float, insurances: list[str]) -> list[dict[str, Any]]:
    return [
        {"month": m, "insurances": insurances, "base_fen": base_fen, "personal_fen": round(base_fen * personal_rate),
         "employer_fen": round(base_fen * employer_rate), "employer": employer}
        for m in months_before(today, count)
    ]


def _citizens(today: date) -> list[tuple[str, str, str, Any, Any, Any]]:
    """(id number, name, card type, social security, properties, household) of each demo citizen."""
    return [
        ("350203194803120021", "林秀英", "resident",
         {"insured_status_zh": "退休，按月领取基本养老金", "insured_status_en": "Retired, receiving a monthly pension",
          "insured_since": "1968-09", "employer": "厦门第一纺织厂（已退休）", "months_paid": 372,
          "maternity_insured": False, "maternity_note_zh": "退休人员不参加生育保险",
          "maternity_note_en": "Retired people are not covered by maternity insurance",
          "card_status_zh": "正常使用（第三代社保卡）", "card_status_en": "In use (third-generation card)",
          "card_number_masked": "E3502****1127", "pension_monthly_fen": 356_000, "contributions": []},
         [{"certificate_number": "闽(2016)厦门市不动产权第0031245号", "address": "福建省厦门市思明区鹭江道100号702室",
           "floor_area_m2": 89.52, "use_zh": "住宅", "use_en": "residential", "registered_on": "2016-05-12",
           "share_zh": "单独所有", "mortgaged": False, "seized": False},
          {"certificate_number": "闽(2019)厦门市不动产权第0107733号", "address": "福建省厦门市思明区中山路218号101室",
           "floor_area_m2": 32.4, "use_zh": "商业服务", "use_en": "commercial", "registered_on": "2019-11-08",
           "share_zh": "单独所有", "mortgaged": False, "seized": False}],
         {"household_number": "350203001288", "relation_zh": "户主", "relation_en": "head of household",
          "registered_address": "福建省厦门市思明区鹭江道100号", "police_station": "厦门市公安局思明分局鹭江派出所",
          "household_type_zh": "城镇", "household_type_en": "urban", "moved_in_on": "1982-04-16",
          "ethnicity_zh": "汉族", "marital_status_zh": "丧偶", "marital_status_en": "widowed"}),
        ("350206199607210013", "王晓明", "resident",
         {"insured_status_zh": "正常参保缴费（职工）", "insured_status_en": "Insured and contributing (employee)",
          "insured_since": months_before(today, 24)[0], "employer": "厦门鹭岛软件有限公司", "months_paid": 24,
          "maternity_insured": True, "maternity_note_zh": "生育保险正常参保，可享受生育津贴和医疗费用报销",
          "maternity_note_en": "Covered by maternity insurance: allowance and medical costs reimbursed",
          "card_status_zh": "正常使用（第三代社保卡）", "card_status_en": "In use (third-generation card)",
          "card_number_masked": "E3502****4410", "pension_monthly_fen": None,
          "contributions": _contributions(today, 24, 800_000, "厦门鹭岛软件有限公司", 0.105, 0.237, ALL_INSURANCES)},
         [{"certificate_number": "闽(2021)厦门市不动产权第0215567号", "address": "福建省厦门市湖里区仙岳路4688号1203室",
           "floor_area_m2": 89.0, "use_zh": "住宅", "use_en": "residential", "registered_on": "2021-09-15",
           "share_zh": "单独所有", "mortgaged": True, "seized": False}],
         {"household_number": "350206004417", "relation_zh": "户主", "relation_en": "head of household",
          "registered_address": "福建省厦门市湖里区仙岳路4688号", "police_station": "厦门市公安局湖里分局江头派出所",
          "household_type_zh": "城镇", "household_type_en": "urban", "moved_in_on": "2021-10-08",
          "ethnicity_zh": "汉族", "marital_status_zh": "未婚", "marital_status_en": "single"}),
        ("810000199508152024", "陈嘉欣", "J",
         {"insured_status_zh": "正常参保缴费（港澳台人员）", "insured_status_en": "Insured and contributing (HK/Macao/Taiwan resident)",
          "insured_since": months_before(today, 18)[0], "employer": "厦门海峡贸易有限公司", "months_paid": 18,
          "maternity_insured": True, "maternity_note_zh": "生育保险正常参保",
          "maternity_note_en": "Covered by maternity insurance",
          "card_status_zh": "正常使用", "card_status_en": "In use", "card_number_masked": "E8100****2931",
          "pension_monthly_fen": None,
          "contributions": _contributions(today, 18, 600_000, "厦门海峡贸易有限公司", 0.105, 0.237, ALL_INSURANCES)},
         None, None),
        ("350211197004050016", "张建国", "resident",
         {"insured_status_zh": "正常参保缴费（灵活就业）", "insured_status_en": "Insured and contributing (self-employed)",
          "insured_since": "1992-07", "employer": "灵活就业人员", "months_paid": 398,
          "maternity_insured": False, "maternity_note_zh": "灵活就业人员未参加生育保险",
          "maternity_note_en": "Self-employed contributors are not covered by maternity insurance",
          "card_status_zh": "正常使用", "card_status_en": "In use", "card_number_masked": "E3502****0516",
          "pension_monthly_fen": None,
          "contributions": _contributions(today, 12, 450_000, "灵活就业", 0.28, 0.0, ["pension", "medical"])},
         [{"certificate_number": "闽(2018)厦门市不动产权第0088120号", "address": "福建省厦门市集美区集美大道1号1栋1502室",
           "floor_area_m2": 120.3, "use_zh": "住宅", "use_en": "residential", "registered_on": "2018-03-20",
           "share_zh": "共同共有", "mortgaged": True, "seized": True}],
         {"household_number": "350211000932", "relation_zh": "户主", "relation_en": "head of household",
          "registered_address": "福建省厦门市集美区集美大道1号", "police_station": "厦门市公安局集美分局集美派出所",
          "household_type_zh": "城镇", "household_type_en": "urban", "moved_in_on": None,
          "ethnicity_zh": "汉族", "marital_status_zh": "已婚", "marital_status_en": "married"}),
        ("350203195509200041", "黄美玲", "resident",
         {"insured_status_zh": "退休，按月领取基本养老金", "insured_status_en": "Retired, receiving a monthly pension",
          "insured_since": "1975-03", "employer": "厦门市第二医院（已退休）", "months_paid": 360,
          "maternity_insured": False, "maternity_note_zh": "退休人员不参加生育保险",
          "maternity_note_en": "Retired people are not covered by maternity insurance",
          "card_status_zh": "尚未申领第三代社保卡", "card_status_en": "Third-generation card not yet applied for",
          "card_number_masked": "", "pension_monthly_fen": 298_000, "contributions": []},
         None,
         {"household_number": "350203000774", "relation_zh": "户主", "relation_en": "head of household",
          "registered_address": "福建省厦门市思明区湖滨南路334号", "police_station": "厦门市公安局思明分局湖滨派出所",
          "household_type_zh": "城镇", "household_type_en": "urban", "moved_in_on": "1979-12-01",
          "ethnicity_zh": "汉族", "marital_status_zh": "已婚", "marital_status_en": "married"}),
    ]


# number, item, payer, amount (fen), due date, status, collecting unit (执收单位: name, English, code), payer's ID
NOTICES = (
    ("3502002611000001", "机动车驾驶证工本费", "Driving licence production fee", "王晓明", 1_000, "2026-12-31", "unpaid",
     "厦门市公安局交通警察支队", "Xiamen Public Security Bureau, Traffic Police Division", "350200011001",
     "350206199607210013"),
    ("3502002611000002", "不动产登记费", "Property registration fee", "林秀英", 8_000, "2026-12-31", "unpaid",
     "厦门市不动产登记中心", "Xiamen Real Estate Registration Center", "350200041007", "350203194803120021"),
    ("3502002611000003", "普通护照工本费", "Passport production fee", "陈嘉欣", 12_000, "2026-12-31", "paid",
     "厦门市公安局出入境管理支队", "Xiamen Public Security Bureau, Exit-Entry Administration Division", "350200011005",
     "810000199508152024"),
    ("3502002611000004", "城市道路占用费", "Urban road occupation fee", "张建国", 45_000, "2026-10-01", "overdue",
     "厦门市市政园林局", "Xiamen Municipal Administration and Landscaping Bureau", "350200072003",
     "350211197004050016"),
)
_NOTICE_COLUMNS = ("number", "item_zh", "item_en", "payer_name", "amount_fen", "due_date", "status",
                   "collecting_unit_zh", "collecting_unit_en", "collecting_unit_code", "payer_id_number")
_NOTICE_UPSERT = (f"INSERT INTO notices ({', '.join(_NOTICE_COLUMNS)}) VALUES ({', '.join('?' * len(_NOTICE_COLUMNS))}) "
                  "ON CONFLICT (number) DO UPDATE SET "
                  + ", ".join(f"{column} = excluded.{column}" for column in _NOTICE_COLUMNS[1:]))

# the passport fee was paid at a kiosk on 1 December: its receipt can be printed again (补打) with 陈嘉欣's card
PAID_ORDER = ("PO20261201000000000003", "3502002611000003", 12_000, "paid", "2026-12-01T09:12:00+08:00",
              "2026-12-01T09:27:00+08:00", "2026-12-01T09:13:05+08:00", "FS20261201091305000003", "XM-HALL-001")

APPOINTMENT_HOLDER = "350203195509200041"


def appointment_service(ctx: GatewayContext) -> str | None:
    """The booked service: the social security center's first ticket service."""
    services = queue_book.ticket_services(ctx)
    for service in services:
        if service.get("department") == "social-security":
            return service["id"]
    return services[0]["id"] if services else None


def seed(ctx: GatewayContext) -> None:
    """Put the demo world in place for today (safe to run at every start)."""
    for kiosk_id, token, zone in DEMO_KIOSKS:
        register_kiosk(ctx.db, kiosk_id, token, zone, ctx.now_iso())
    today = ctx.settings.now().date()
    with ctx.db.transaction() as conn:
        for id_number, name, card_type, social, properties, household in _citizens(today):
            conn.execute("INSERT INTO citizens VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id_number) DO UPDATE SET "
                         "name = excluded.name, card_type = excluded.card_type, "
                         "social_security = excluded.social_security, properties = excluded.properties, "
                         "household = excluded.household",
                         (id_number, name, card_type, dumps(social) if social else None,
                          dumps(properties) if properties else None, dumps(household) if household else None))
        for notice in NOTICES:
            conn.execute(_NOTICE_UPSERT, notice)
            conn.execute("UPDATE orders SET status = 'closed' WHERE notice_number = ? AND status = 'open'",
                         (notice[0],))
        conn.execute("INSERT INTO orders (order_id, notice_number, amount_fen, status, created_at, expires_at, paid_at, "
                     "transaction_ref, kiosk_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (order_id) DO NOTHING",
                     PAID_ORDER)
        service_id = appointment_service(ctx)
        if service_id is not None:
            code = f"YY{today:%Y%m%d}0001"
            conn.execute("INSERT INTO appointments VALUES (?, ?, ?, ?, ?, NULL) ON CONFLICT (code) DO NOTHING",
                         (code, APPOINTMENT_HOLDER, service_id, today.isoformat(), "10:00-10:30"))
        _seed_queues(ctx, conn)
    log.info("demo data in place for %s", today.isoformat())


def _seed_queues(ctx: GatewayContext, conn: Transaction) -> None:
    """A few people served and waiting at each window, the same each day (derived from the service id)."""
    day = ctx.today()
    for service in queue_book.ticket_services(ctx):
        if conn.one("SELECT 1 FROM tickets WHERE service_id = ? AND day = ?", (service["id"], day)):
            continue
        digest = int(hashlib.sha256(service["id"].encode()).hexdigest(), 16)
        served, waiting = digest % 6, (digest // 7) % 8
        for index in range(served):
            queue_book.insert_ticket(ctx, conn, service, queue_book.ORDINARY,
                                     state="called" if index == served - 1 else "done")
        for _ in range(waiting):
            queue_book.insert_ticket(ctx, conn, service, queue_book.ORDINARY)
