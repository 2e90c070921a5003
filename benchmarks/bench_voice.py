"""How soon a spoken prompt reaches the sound card: live synthesis or a prompt rendered beforehand.

Both ways end in ALSA; this points ALSA's default device at a ``file`` plugin (over ``null``, in a
temporary HOME's ``.asoundrc``) and watches for the first bytes written to it, so the figure is
"process started → first samples handed to the sound card":

- live:      ``espeak-ng -v cmn --stdout TEXT | aplay -q -`` (synthesis on every prompt)
- rendered:  ``aplay -q prompt.wav`` (the WAV rendered once, as ``devices/speaker`` does)
- sox play:  ``play -q prompt.wav`` (the other small player)

It also times ``AlsaSpeaker.say()`` on the caller's thread (the GUI thread in the kiosk) while
prompts every 10 ms cut each other: what a page pays for speaking.

espeak-ng's own audio output is not measured: with no sound server it exits 0 having written
nothing (see the printout), so the kiosk could not even tell that it was silent.

Run: ``python benchmarks/bench_voice.py [rounds]`` (needs espeak-ng, alsa-utils, sox).
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TEXT_ZH = "请将身份证平放在下方读卡器的感应区上"
TEXT_EN = "Lay your ID card flat on the reader below"


def _first_bytes(command: str, home: Path, out: Path, timeout: float = 10.0) -> float | None:
    out.unlink(missing_ok=True)
    env = {**os.environ, "HOME": str(home), "AUDIODEV": "default"}
    start = time.perf_counter()
    process = subprocess.Popen(command, shell=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while time.perf_counter() - start < timeout:
            try:
                if out.stat().st_size > 0:
                    return (time.perf_counter() - start) * 1000
            except FileNotFoundError:
                pass
            if process.poll() is not None and not (out.exists() and out.stat().st_size):
                return None
            time.sleep(0.0005)
        return None
    finally:
        process.wait(timeout=timeout)


def _say_costs(home: Path, count: int) -> list[float]:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from devices.speaker.alsa import AlsaSpeaker

    speaker = AlsaSpeaker("default", state_dir=str(home / "state"), environment={**os.environ, "HOME": str(home)})
    speaker.start()
    costs = []
    try:
        for i in range(count):
            started = time.perf_counter()
            speaker.say("place_card" if i % 2 else "take_card")
            costs.append((time.perf_counter() - started) * 1000)
            time.sleep(0.01)
    finally:
        speaker.close()
    print(f"say() on the caller's thread: max {max(costs):.3f} ms over {count} calls")
    return costs


def main() -> int:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    missing = [tool for tool in ("espeak-ng", "aplay", "play") if shutil.which(tool) is None]
    if missing:
        print(f"missing: {', '.join(missing)} (apt-get install espeak-ng alsa-utils sox)")
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        out = home / "card.raw"
        (home / ".asoundrc").write_text(
            f'pcm.!default {{\n type file\n slave.pcm "null"\n file "{out}"\n format "raw"\n}}\n'
        )
        results: dict[str, list[float]] = {}
        for voice, text in (("cmn", TEXT_ZH), ("en", TEXT_EN)):
            wav = home / f"{voice}.wav"
            subprocess.run(["espeak-ng", "-v", voice, "-w", str(wav), text], check=True)
            cases = {
                f"live espeak-ng | aplay ({voice})": f"espeak-ng -v {voice} --stdout '{text}' | aplay -q -",
                f"rendered, aplay ({voice})": f"aplay -q {wav}",
                f"rendered, sox play ({voice})": f"play -q {wav}",
            }
            for name, command in cases.items():
                times = [t for t in (_first_bytes(command, home, out) for _ in range(rounds)) if t is not None]
                results[name] = times
        out.unlink(missing_ok=True)
        silent = subprocess.run(["espeak-ng", "-v", "en", "test"], env={**os.environ, "HOME": str(home)},
                                capture_output=True)
        print(f"espeak-ng speaking itself: exit {silent.returncode}, {out.stat().st_size if out.exists() else 0}"
              " bytes reached the sound card")
        results["say() on the caller's thread"] = _say_costs(home, rounds * 10)
    print(f"{'way':40} {'median ms':>10} {'p95 ms':>8} {'n':>4}")
    for name, times in results.items():
        if not times:
            print(f"{name:40} {'no sound':>10}")
            continue
        ordered = sorted(times)
        p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
        print(f"{name:40} {statistics.median(times):10.1f} {p95:8.1f} {len(times):4}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
