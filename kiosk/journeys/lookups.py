"""The three personal lookups: social security (社保), property registry (不动产), population (人口信息).

Each says which gateway endpoint it asks, which cards it accepts and how its answer reads; the
state machine they share is :class:`~kiosk.journeys.lookup.LookupJourney`.
"""

from __future__ import annotations

from contract.lookups import PopulationAnswer, PropertyAnswer, SocialSecurityAnswer
from devices.idcard.card import CardType
from kiosk.journeys.base import Problem
from kiosk.journeys.lookup import LookupJourney
from kiosk.journeys.lookup_pages import Row, Section, district_end, yuan
from kiosk.shell.i18n import N_, _, pick
from kiosk.system.privacy import mask_address, mask_id_number

_INSURANCES = {"pension": N_("养老"), "medical": N_("医疗"), "unemployment": N_("失业"),
               "injury": N_("工伤"), "maternity": N_("生育")}


class SocialSecurityLookup(LookupJourney):
    """Insured status, contributions by month, maternity insurance and the social security card."""

    name = "social_security"
    title_zh = N_("社保参保缴费查询")
    gateway_method = "lookup_social_security"
    answer_model = SocialSecurityAnswer
    default_service_id = "ss-record-lookup"
    source = "厦门市社会保险中心"

    def _sections(self, answer: SocialSecurityAnswer) -> list[Section]:
        record = answer.record
        if record is None:
            return []
        status = [Row(N_("参保状态"), pick(record.insured_status_zh, record.insured_status_en))]
        if record.insured_since:
            status.append(Row(N_("参保时间"), record.insured_since))
        if record.employer:
            status.append(Row(N_("参保单位"), record.employer))
        status.append(Row(N_("累计缴费月数"), _("{months}个月").format(months=record.months_paid)))
        if record.pension_monthly_fen is not None:
            status.append(Row(N_("每月养老金"), _("{amount}元").format(amount=yuan(record.pension_monthly_fen))))
        maternity = [Row(N_("生育保险"), _("已参保") if record.maternity_insured else _("未参保"))]
        note = pick(record.maternity_note_zh, record.maternity_note_en)
        if note:
            maternity.append(Row(N_("说明"), note))
        card = [Row(N_("社保卡状态"), pick(record.card_status_zh, record.card_status_en) or _("无记录"))]
        if record.card_number_masked:
            card.append(Row(N_("社保卡号"), record.card_number_masked))
        sections = [Section(_("参保情况"), tuple(status)), Section(_("生育保险"), tuple(maternity)),
                    Section(_("社会保障卡"), tuple(card))]
        if record.contributions:
            lines = []
            for month in sorted(record.contributions, key=lambda c: c.month, reverse=True):
                kinds = set(month.insurances)
                if kinds >= set(_INSURANCES):
                    kinds_text = _("五险")
                else:
                    kinds_text = _("、").join(_(_INSURANCES[k]) for k in _INSURANCES if k in kinds)
                lines.append((month.month, kinds_text, yuan(month.base_fen), yuan(month.personal_fen),
                              yuan(month.employer_fen)))
            sections.append(Section(_("按月缴费记录（元）"),
                                    columns=(_("月份"), _("险种"), _("缴费基数"), _("个人缴纳"), _("单位缴纳")),
                                    cells=tuple(lines)))
        else:
            sections.append(Section(_("按月缴费记录（元）"), (Row(N_("缴费记录"), _("近期没有缴费记录")),)))
        return sections


class PropertyLookup(LookupJourney):
    """Each property in the citizen's name: certificate, address, area, use, date, mortgage and seizure."""

    name = "property"
    title_zh = N_("不动产权属查询")
    gateway_method = "lookup_property"
    answer_model = PropertyAnswer
    default_service_id = "prop-ownership-lookup"
    source = "厦门市国土房产档案中心"

    def _sections(self, answer: PropertyAnswer) -> list[Section]:
        sections = []
        total = len(answer.properties)
        for index, item in enumerate(answer.properties, start=1):
            rows = (
                Row(N_("不动产权证号"), item.certificate_number),
                Row(N_("坐落"), mask_address(item.address, keep=district_end(item.address))),
                Row(N_("建筑面积"), _("{area}平方米").format(area=f"{item.floor_area_m2:.2f}")),
                Row(N_("用途"), pick(item.use_zh, item.use_en)),
                Row(N_("登记日期"), item.registered_on),
                Row(N_("共有情况"), _(item.share_zh) if item.share_zh else ""),
                Row(N_("抵押"), _("有抵押") if item.mortgaged else _("无抵押"), warn=item.mortgaged),
                Row(N_("查封"), _("已查封") if item.seized else _("未查封"), warn=item.seized),
            )
            sections.append(Section(_("第{index}处，共{total}处").format(index=index, total=total), rows))
        return sections


# Share kinds the registry uses (translated on screen through these ids).
_SHARES = (N_("单独所有"), N_("共同共有"), N_("按份共有"))


class PopulationLookup(LookupJourney):
    """Household registration (户籍) facts; only resident ID cards have them."""

    name = "population"
    title_zh = N_("人口信息查询")
    gateway_method = "lookup_population"
    answer_model = PopulationAnswer
    accepted_cards = frozenset({CardType.RESIDENT})
    default_service_id = "ps-population-lookup"
    source = "厦门市公安局"

    def _unsupported_problem(self, card_type: CardType) -> Problem:
        return Problem(
            "港澳台居民居住证和外国人永久居留身份证持有人没有本市户籍，无法查询户籍信息。",
            "Residence permits and foreigner permanent residence cards carry no household registration here, "
            "so there is nothing to look up.",
            "如需证明材料，请到人工服务台咨询。", "For a certificate, please ask at the staff desk.",
            code=f"card_type_{card_type}",
        )

    def _sections(self, answer: PopulationAnswer) -> list[Section]:
        record = answer.household
        if record is None:
            return []
        rows = [
            Row(N_("户号"), mask_id_number(record.household_number)),
            Row(N_("与户主关系"), pick(record.relation_zh, record.relation_en)),
            Row(N_("户籍地址"), mask_address(record.registered_address, keep=district_end(record.registered_address))),
            Row(N_("户口类别"), pick(record.household_type_zh, record.household_type_en)),
            Row(N_("登记机关"), record.police_station),
        ]
        if record.moved_in_on:
            rows.append(Row(N_("迁入日期"), record.moved_in_on))
        if record.ethnicity_zh:
            rows.append(Row(N_("民族"), _("汉族") if record.ethnicity_zh == "汉族" else record.ethnicity_zh))
        if record.marital_status_zh:
            rows.append(Row(N_("婚姻状况"), pick(record.marital_status_zh, record.marital_status_en)))
        return [Section(_("户籍信息"), tuple(rows))]


LOOKUPS: dict[str, type[LookupJourney]] = {
    "social_security": SocialSecurityLookup,
    "property": PropertyLookup,
    "population": PopulationLookup,
}
