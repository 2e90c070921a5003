"""The spoken prompts: every instruction the kiosk may say aloud, in Mandarin and English.

Only what is in this catalogue can be spoken. A prompt is named by its id (``place_card``,
``take_receipt`` …); there is no way to speak free text, so a citizen's name, ID number, address
or anything read from a card or a notice can never reach the loudspeaker.

``zh`` is the instruction as the screen shows it (the message id of the screen's text, so the
English is the screen's translation too). Where the screen's text carries a number or a window
that changes (``请到 {window} 等候叫号``), the prompt says the same thing without it, and ``shown``
lists the screen texts it speaks for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from devices.errors import DeviceOperationError


@dataclass(frozen=True)
class Prompt:
    id: str
    zh: str
    en: str
    shown: tuple[str, ...] = ()  # screen texts with changing parts that this prompt speaks for

    def text(self, language: str) -> str:
        return self.zh if language.startswith("zh") else self.en


class UnknownPrompt(DeviceOperationError, KeyError):
    """Something that is not a catalogue prompt was asked to be spoken (it is never logged: it may be personal)."""


_P = Prompt
PROMPTS: dict[str, Prompt] = {p.id: p for p in (
    # --- home and choosing a service
    _P("welcome", "您好，请选择要办理的业务", "Welcome. What would you like to do?"),
    _P("choose_service", "请选择要办理的业务", "Choose a service"),
    _P("choose_service_tap", "请选择要办理的业务，轻触即可", "Tap the service you need"),
    _P("choose_department", "请选择部门，上下滑动查看更多", "Choose a department. Swipe up or down to see more."),
    _P("please_wait", "请稍候", "Please wait"),
    # --- the ID card
    _P("place_card", "请将身份证平放在下方读卡器的感应区上", "Lay your ID card flat on the reader below"),
    _P("keep_card_still", "放好后请不要移动，听到提示音即可", "Keep it still until you hear the beep"),
    _P("reading_card", "正在读取身份证，请不要移动……", "Reading your card. Please keep it still…"),
    _P("card_not_found", "还没有读到身份证。请把身份证正面朝上，平放在闪烁的感应区上。",
       "No card yet. Lay your ID card face up, flat on the glowing reader."),
    _P("card_read_failed", "读卡失败，请将身份证平放在感应区，不要移动。",
       "The card could not be read. Please lay it flat on the reader and keep it still."),
    _P("card_replace", "请取下身份证，再将它平放在感应区，直到听到提示音。",
       "Lift the card, then lay it flat on the reader until you hear the beep."),
    _P("card_lifted_early", "请把身份证重新平放在感应区，听到提示音后再拿开。",
       "Lay the card on the reader again and keep it there until you hear the beep."),
    _P("card_optional", "请把身份证平放在感应区，不要移动；也可以不放身份证，直接取普通号。",
       "Lay your ID card flat on the reader and keep it still, or take an ordinary number without it."),
    _P("may_take_card", "您可以取回身份证了", "You can take your ID card now"),
    _P("take_card", "请取回您的身份证", "Please take your ID card"),
    _P("reader_out_scan_eid", "身份证阅读器故障，请扫描电子证照二维码",
       "ID card reader out of order — scan your e-ID QR code instead"),
    # --- queue tickets and bookings
    _P("scan_booking", "① 把预约短信或页面上的二维码，对准扫码窗口",
       "① Hold the QR code from your booking message or page to the scanner window"),
    _P("or_place_card", "② 或者把身份证平放在身份证感应区", "② Or lay your ID card flat on the ID card reader"),
    _P("check_in", "请把预约短信或页面上的二维码对准扫码窗口，或者把身份证平放在身份证感应区",
       "Hold the QR code from your booking message or page to the scanner window, or lay your ID card flat "
       "on the ID card reader"),
    _P("scan_booking_code", "请扫描预约短信或预约页面上的二维码。",
       "Please scan the QR code from your booking message or page."),
    _P("choose_booked_service", "已识别预约码，请选择您预约的业务",
       "Booking code read. Please choose the service you booked."),
    _P("booking_other_service", "该预约属于其他业务，请选择预约的业务取号。",
       "This booking is for another service. Please choose the service you booked."),
    _P("green_channel", "您可以走绿色通道，优先办理。请选择原因，或普通取号。",
       "You can use the green channel and be served first. Choose a reason, or take an ordinary number.",
       shown=("您已年满{age}周岁，可以走绿色通道，优先办理。请选择原因，或普通取号。",)),
    _P("taking_number", "正在取号，请稍候…", "Taking your number, please wait…"),
    _P("type_booking_code", "请输入预约短信中“YY”后面的12位数字",
       "Please type the 12 digits after \"YY\" in your booking message"),
    _P("finding_booking", "正在查找您的预约，请稍候…", "Finding your booking, please wait…"),
    _P("take_ticket", "请取走下方出纸口的号票。", "Please take your ticket from the slot below."),
    _P("wait_for_call", "请到号票上的窗口等候叫号", "Please wait at the window on your ticket for your number to be called",
       shown=("请到 {window} 等候叫号",)),
    _P("next_in_line", "您是下一位，请留意叫号", "You are next. Please listen for your number."),
    _P("ticket_photo", "打印机暂时无法打印，请用手机拍下下面的二维码，凭照片到窗口办理。",
       "The printer cannot print. Please take a photo of the QR code below and show it at the window.",
       shown=("打印机暂时无法打印，请用手机拍下下面的二维码。", "请用手机拍下下面的二维码，或记下您的号码。",
              "您仍然可以取号。取号后，号码会以二维码显示在屏幕上，请用手机拍照保存，凭照片到窗口办理。")),
    # --- lookups
    _P("looking_up", "正在查询，请稍候……", "Looking it up, please wait…"),
    _P("printing", "正在打印，请稍候……", "Printing, please wait…",
       shown=("正在打印，请稍候…", "正在打印号票 {number}，请稍候…")),
    _P("take_slip", "打印完成，请取走凭条。", "Printed. Please take your slip."),
    _P("printer_choose_other", "打印机暂时不能打印，请选择其他方式",
       "The printer cannot print right now; please choose another way"),
    _P("scan_result", "请用手机扫描下方二维码，在手机上查看和保存查询结果",
       "Scan this code with your phone to see and keep the result"),
    _P("enter_mobile", "请输入您的手机号码，方便快递员联系您", "Enter your mobile number so the courier can reach you"),
    _P("phone_consent", "手机上将显示与本屏幕相同的查询结果，姓名和证件号码已部分隐藏。",
       "Your phone will show the same result as this screen, with your name and ID number partly hidden."),
    _P("mobile_format", "请输入以1开头的11位手机号码。", "Please enter an 11-digit mobile number starting with 1."),
    _P("follow_up_mobile", "您的手机号只用于工作人员就本次评价回访您，不会用于其他用途。",
       "Your mobile number is used only for staff to call you back about this rating, for nothing else."),
    # --- payment
    _P("scan_notice", "请输入缴款通知书上的16位缴款码，或将通知书上的二维码对准扫码口",
       "Enter the 16-digit number on your payment notice, or hold the notice's QR code to the scanner"),
    _P("scan_notice_again", "请扫描缴款通知书上的二维码，或输入16位缴款码。",
       "Please scan the QR code on the payment notice, or enter the 16-digit payment code."),
    _P("not_a_notice", "这不是缴款通知书上的二维码，请扫描缴款通知书上的二维码，或输入16位缴款码。",
       "This is not the QR code of a payment notice. Please scan the code on the notice, "
       "or enter the 16-digit payment code."),
    _P("pay_by_phone", "请用手机打开支付宝、微信或银行App扫码支付，支付完成后请稍候，本机将自动确认",
       "Scan with Alipay, WeChat or your bank's app to pay. After paying, please wait: this kiosk confirms it "
       "automatically"),
    _P("confirming_payment", "正在确认支付结果，请稍候…", "Confirming the payment result, please wait…"),
    _P("payment_open_elsewhere", "该通知书有一笔未完成的支付，请稍候再试或到人工服务台处理。",
       "This notice has a payment still open. Please try again shortly or ask at the staff desk."),
    _P("take_receipt", "请取走缴费凭条。", "Please take your receipt."),
    _P("take_voucher", "请取走打印的凭条。", "Please take the printed voucher."),
    _P("reprint_place_card", "补打缴费凭条：请将缴款人的身份证放在感应区",
       "Reprint the receipt: lay the payer's ID card on the reader"),
    _P("checking_payer", "正在核对缴款人，请稍候…", "Checking the payer, please wait…"),
    _P("take_reprint", "请取走补打的缴费凭条。", "Please take your reprinted receipt."),
    _P("receipt_photo", "打印机暂时无法打印，请用手机拍下或扫描电子票据二维码保存。",
       "The printer cannot print right now. Please photograph or scan the e-receipt QR code with your phone.",
       shown=("缴费成功。打印机暂时无法打印，请用手机拍下电子票据二维码保存。",)),
    # --- official certificates and guides on the A4 printer
    _P("certificate_making", "正在出具证明，请稍候。", "Your certificate is being made. Please wait.",
       shown=("正在出具证明，请稍候……",)),
    _P("take_certificate", "请取走您的证明。", "Please take your certificate.", shown=("请取走您的证明",)),
    _P("certificate_printer_unavailable", "证明打印机暂时不能打印，请选择其他方式。",
       "The certificate printer cannot print right now. Please choose another way.",
       shown=("证明打印机暂时不能打印，请选择其他方式",)),
    _P("take_guide", "请取走您的办事指南。", "Please take your service guide.", shown=("请取走您的办事指南",)),
    # --- guides and the end of a visit
    _P("guide_take_away", "用手机扫描二维码，把这份指南带走", "Scan the QR code with your phone to take this guide with you"),
    _P("rate_service", "请为本次服务评价", "How was our service today?"),
    _P("take_belongings", "您的意见会帮助我们改进服务。请带好您的证件和物品。",
       "Your opinion helps us improve. Please take your card and belongings with you."),
)}  # fmt: skip

_UNSPOKEN = re.compile(r"[①②③④⑤⑥⑦⑧⑨]\s*")


def prompt_named(prompt_id: object) -> Prompt:
    """The catalogue prompt ``prompt_id``; anything else is an :class:`UnknownPrompt` that does not repeat it."""
    prompt = PROMPTS.get(prompt_id) if isinstance(prompt_id, str) else None
    if prompt is None:
        length = len(prompt_id) if isinstance(prompt_id, str) else 0
        raise UnknownPrompt(f"not a catalogue prompt ({type(prompt_id).__name__}, {length} characters); "
                            "only catalogue prompts are spoken", device="speaker")
    return prompt


def speakable(text: str) -> str:
    """The text as the synthesiser should get it: step numbers (①②) are for the eye only."""
    return _UNSPOKEN.sub("", text).strip()
