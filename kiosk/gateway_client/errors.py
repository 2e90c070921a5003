"""Everything that can go wrong talking to the hall gateway, each with words a citizen understands.

Every error carries a citizen message in Chinese and English (``citizen_message(language)``), a
technician message (status, code, what the gateway said — never personal data), and whether
trying again later could help (``permanent`` is False) or not (True: the outbox parks the entry).
"""

from __future__ import annotations

from typing import Any

_BUSY = ("系统繁忙，请稍后再试，或到人工服务台办理。",
         "The system is busy. Please try again later or go to the staff desk.")
_OFFLINE = ("暂时无法连接业务系统，请稍后再试，或到人工服务台办理。",
            "We cannot reach the service system right now. Please try again later or go to the staff desk.")

# Gateway error codes (contract.base.ErrorBody.code) → what the citizen is told.
CITIZEN_MESSAGES: dict[str, tuple[str, str]] = {
    "notice_not_found": ("未找到该缴款通知书，请核对通知书上的16位缴款码。",
                         "No payment notice has this number. Please check the 16-digit number on the notice."),
    "notice_paid": ("该通知书已缴费，无需重复缴纳。", "This notice has already been paid; there is nothing more to pay."),
    "notice_not_payable_here": ("该通知书不能在自助终端缴纳，请到财政窗口办理。",
                                "This notice cannot be paid at a kiosk. Please go to the finance window."),
    "order_already_open": ("该通知书有一笔未完成的支付，请稍候再试或到人工服务台处理。",
                           "A payment for this notice is still in progress. Please wait a moment or ask at the staff desk."),
    "order_paid": ("该订单已支付成功。", "This order has been paid."),
    "order_closed": ("该订单已关闭，请重新发起缴费。", "This order was closed. Please start the payment again."),
    "order_expired": ("支付已超时，请重新发起缴费。", "The payment timed out. Please start again."),
    "order_not_found": ("未找到该支付订单，请到人工服务台处理。", "The payment order was not found. Please ask at the staff desk."),
    "appointment_not_found": ("未找到该预约，请核对预约码。", "No booking has this code. Please check the code."),
    "appointment_not_today": ("您的预约不是今天，请在预约当天取号。",
                              "Your booking is for another day. Please come on the day of your booking."),
    "appointment_other_service": ("该预约属于其他业务，请选择预约的业务取号。",
                                  "This booking is for a different service. Please choose the booked service."),
    "service_not_found": ("该业务暂不可办理，请咨询服务台。", "This service is not available. Please ask at the information desk."),
    "service_takes_no_tickets": ("该业务在自助终端直接办理，无需取号。",
                                 "This service is done at the kiosk itself; no number is needed."),
    "queue_full": ("今日该业务号源已满，请明天再来或网上预约。",
                   "All numbers for this service today are taken. Please come tomorrow or book online."),
    "ticket_not_found": ("未找到该号票。", "This ticket was not found."),
    "id_number_invalid": ("证件信息无法识别，证件可能已损坏，请到人工服务台办理。",
                          "Your card could not be verified; it may be damaged. Please go to the staff desk."),
    "invalid_request": ("输入的信息有误，请核对后重试。", "Some of the information is not valid. Please check and try again."),
    "malformed_json": _BUSY,
    "body_too_large": ("内容过长，请缩短后重试。", "That is too long. Please shorten it and try again."),
    "idempotency_key_reused": _BUSY,
    "unauthenticated": ("本终端暂时无法办理该业务，请使用其他终端或到人工服务台。",
                        "This kiosk cannot do this right now. Please use another kiosk or the staff desk."),
    "bad_credentials": ("本终端暂时无法办理该业务，请使用其他终端或到人工服务台。",
                        "This kiosk cannot do this right now. Please use another kiosk or the staff desk."),
    "busy": ("办理人数较多，系统正忙，请稍等片刻再试。", "The system is busy with many people. Please wait a moment and try again."),
    "rate_limited": ("办理人数较多，请稍等片刻再试。", "Many people are using the service. Please wait a moment and try again."),
    "timeout": ("业务系统响应超时，请稍后再试。", "The service system is taking too long. Please try again later."),
    "offline": _OFFLINE,
    "circuit_open": _OFFLINE,
    "invalid_response": _BUSY,
    "internal_error": _BUSY,
}


class GatewayError(Exception):
    """A call to the gateway failed. ``code`` is the gateway's (or a local) machine code."""

    permanent = False
    unreachable = False

    def __init__(
        self,
        code: str,
        technician: str,
        *,
        status: int | None = None,
        detail: Any = None,
        retry_after_s: float | None = None,
        permanent: bool | None = None,
    ) -> None:
        super().__init__(technician)
        self.code = code
        self.technician = technician
        self.status = status
        self.detail = detail
        self.retry_after_s = retry_after_s
        if permanent is not None:
            self.permanent = permanent
        self.citizen_zh, self.citizen_en = CITIZEN_MESSAGES.get(code, self._default_message())

    def _default_message(self) -> tuple[str, str]:
        return _BUSY

    def citizen_message(self, language: str = "zh") -> str:
        return self.citizen_en if language == "en" else self.citizen_zh

    def __str__(self) -> str:
        status = f"HTTP {self.status} " if self.status else ""
        return f"{status}{self.code}: {self.technician}"


class GatewayOffline(GatewayError, ConnectionError):
    """The gateway could not be reached (refused, reset, DNS, TLS) or the kiosk is in its offline state."""

    unreachable = True

    def _default_message(self) -> tuple[str, str]:
        return _OFFLINE


class GatewayTimeout(GatewayOffline, TimeoutError):
    """No answer in time. For a call that is not idempotent the outcome is unknown."""


class GatewayRefused(GatewayError):
    """The gateway answered 4xx: this request will not succeed as it is (``permanent``)."""

    permanent = True


class GatewayAuthError(GatewayError):
    """The gateway does not accept this kiosk's credentials: a technician must fix the configuration."""


class GatewayRateLimited(GatewayError):
    """Too many requests from this kiosk; ``retry_after_s`` says when to try again."""


class GatewayServerError(GatewayError):
    """The gateway failed (5xx) or answered something that does not match the contract."""
