"""Run by test_payment_receipt_owed.py: pay a notice, then die by SIGKILL the moment the receipt starts printing.

argv: state_dir gateway_state.json. The fake gateway's state is written out just before the kill,
so the test can go on with the same gateway after "the restart".
"""

from __future__ import annotations

import json
import os
import signal
import sys
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from payment_fakes import NOW, UNPAID, FakePayments, FakePrinterHub  # noqa: E402

from config.catalogue import load_default_catalogue  # noqa: E402
from config.local import demo_settings  # noqa: E402
from kiosk.journeys.base import JourneyEnv  # noqa: E402
from kiosk.journeys.payment import FeePaymentJourney  # noqa: E402
from kiosk.shell.session import CitizenSession  # noqa: E402
from kiosk.shell.worker import ImmediateCalls  # noqa: E402
from kiosk.system.clock import SettableClock  # noqa: E402

state_dir, dump = Path(sys.argv[1]), Path(sys.argv[2])
gateway = FakePayments()


class DyingPrinter(FakePrinterHub):
    def print_receipt(self, receipt, callback=None) -> None:
        dump.write_text(json.dumps(asdict(gateway)), encoding="utf-8")
        os.kill(os.getpid(), signal.SIGKILL)


env = JourneyEnv(settings=demo_settings(state_dir), catalogue=load_default_catalogue(), session=CitizenSession(),
                 calls=ImmediateCalls(), gateway=gateway, devices=DyingPrinter(), outbox=None,
                 clock=SettableClock(NOW), online=lambda: True)
journey = FeePaymentJourney(env)
journey.retry_pause_s = 0
journey.start()
journey.look_up(UNPAID)
journey.confirm()
gateway.pay(journey.order.order_id)
journey.poll()  # paid: the receipt starts printing, and the kiosk dies
sys.exit("the kiosk should have died while printing")
