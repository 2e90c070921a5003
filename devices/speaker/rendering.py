"""Prompts and tones as WAV files: rendered once with espeak-ng, kept in a cache folder, played many times.

Playing a rendered file starts sooner than synthesising each time (``benchmarks/bench_voice.py``:
about 3 ms against 9–11 ms to the first samples on the sound card) and a player that cannot reach
the sound card says so, where espeak-ng speaking by itself exits 0 having said nothing.

A file's name is a digest of everything that shapes the sound (espeak-ng's version, voice, speed,
loudness and text), so a changed catalogue or volume simply renders new files. ``python -m
devices.speaker.rendering DIR`` renders the whole catalogue (e.g. when a package is built).
"""

from __future__ import annotations

import array
import hashlib
import math
import os
import shutil
import subprocess
import sys
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

from devices.errors import DeviceOperationError, DriverUnavailable
from devices.speaker.prompts import PROMPTS, Prompt, speakable

VOICES = {"zh": "cmn", "en": "en"}  # espeak-ng voices: Mandarin, English
RENDER_TIMEOUT_S = 20.0
TONE_RATE = 22050

# name -> (frequency Hz, milliseconds) per note, silence between notes is 0 Hz
TONES: dict[str, tuple[tuple[float, int], ...]] = {
    "card_placed": ((1320.0, 140),),  # the "听到提示音即可" beep: one short high note
    "take_card": ((880.0, 160), (0.0, 90), (660.0, 220)),  # falling two-note reminder: a card is left behind
    "attention": ((660.0, 120), (0.0, 60), (880.0, 160)),  # rising: look at the screen
}


def find_espeak(path: str | None = None) -> str:
    """The espeak-ng program, or :class:`DriverUnavailable` that says which Debian package gives it."""
    found = shutil.which(path or "espeak-ng")
    if found is None:
        raise DriverUnavailable(f"speech synthesiser {path or 'espeak-ng'} not found (apt-get install espeak-ng)",
                                device="speaker")
    return found


def espeak_version(espeak: str) -> str:
    try:
        result = subprocess.run([espeak, "--version"], capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise DriverUnavailable(f"{espeak} does not run: {exc}", device="speaker") from None
    return result.stdout.strip() or "unknown"


def amplitude(volume: int) -> int:
    """espeak-ng's amplitude for a volume in per cent: 100 is espeak-ng's normal loudness, whose peaks
    already reach full scale (louder would clip; the loudspeaker's own level is the mixer's)."""
    return max(0, min(100, round(volume)))


@dataclass(frozen=True)
class WavFacts:
    seconds: float
    rms: float  # root mean square of the samples, 0–32767
    peak: int


def wav_facts(path: Path) -> WavFacts:
    """Duration and loudness of a 16-bit mono WAV (for health checks and tests)."""
    with wave.open(str(path), "rb") as wav:
        if wav.getsampwidth() != 2:
            raise ValueError(f"{path.name}: expected 16-bit samples")
        frames = wav.readframes(wav.getnframes())
        rate, channels = wav.getframerate(), wav.getnchannels()
    samples = array.array("h")
    samples.frombytes(frames)
    if sys.byteorder == "big":
        samples.byteswap()
    if not samples:
        return WavFacts(0.0, 0.0, 0)
    rms = math.sqrt(sum(s * s for s in samples) / len(samples))
    return WavFacts(len(samples) / channels / rate, rms, max(abs(min(samples)), max(samples)))


class PromptAudio:
    """Rendered prompts and generated tones in ``folder``; safe to share between threads."""

    def __init__(self, folder: Path, *, espeak: str | None = None, rate: int = 175) -> None:
        self.folder = Path(folder)
        self.espeak = find_espeak(espeak)
        self.version = espeak_version(self.espeak)
        self.rate = rate

    def path_for(self, prompt: Prompt, language: str, volume: int) -> Path:
        voice = VOICES["zh" if language.startswith("zh") else "en"]
        text = speakable(prompt.text(language))
        key = hashlib.sha256(f"{self.version}|{voice}|{self.rate}|{amplitude(volume)}|{text}".encode()).hexdigest()
        return self.folder / f"{prompt.id}-{voice}-{key[:16]}.wav"

    def prompt(self, prompt: Prompt, language: str, volume: int, *, background: bool = False) -> Path:
        """The prompt's WAV, rendered now if it is not in the folder yet."""
        target = self.path_for(prompt, language, volume)
        if target.exists():
            return target
        voice = VOICES["zh" if language.startswith("zh") else "en"]
        command = [self.espeak, "-v", voice, "-s", str(self.rate), "-a", str(amplitude(volume))]
        if background and shutil.which("nice"):
            command = ["nice", "-n", "10", *command]
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".render-", suffix=".wav")
        os.close(fd)
        try:
            result = subprocess.run([*command, "-w", tmp, speakable(prompt.text(language))],
                                    capture_output=True, text=True, timeout=RENDER_TIMEOUT_S)
            if result.returncode != 0 or os.path.getsize(tmp) <= 44:
                raise DeviceOperationError(
                    f"espeak-ng could not render prompt {prompt.id} ({voice}): exit {result.returncode} "
                    f"{result.stderr.strip()[:200]}", device="speaker")
            os.replace(tmp, target)
        except subprocess.TimeoutExpired:
            raise DeviceOperationError(f"espeak-ng took over {RENDER_TIMEOUT_S:g} s for prompt {prompt.id}",
                                       device="speaker") from None
        except OSError as exc:
            raise DeviceOperationError(f"cannot render prompt {prompt.id} into {self.folder}: {exc}",
                                       device="speaker") from None
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        return target

    def tone(self, name: str, volume: int) -> Path:
        return write_tone(self.folder, name, volume)


def write_tone(folder: Path, name: str, volume: int) -> Path:
    """The tone ``name`` (see ``TONES``) as a WAV in ``folder``, generated the first time."""
    notes = TONES[name]
    target = Path(folder) / f"tone-{name}-{volume}.wav"
    if target.exists():
        return target
    level = 32767 * 0.7 * max(0, min(100, volume)) / 100
    samples = array.array("h")
    for frequency, ms in notes:
        count = TONE_RATE * ms // 1000
        fade = max(1, min(count // 4, TONE_RATE * 8 // 1000))  # 8 ms in and out: no click
        for i in range(count):
            envelope = min(1.0, i / fade, (count - 1 - i) / fade)
            value = math.sin(2 * math.pi * frequency * i / TONE_RATE) if frequency else 0.0
            samples.append(int(level * envelope * value))
    if sys.byteorder == "big":
        samples.byteswap()
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tone-", suffix=".wav")
    with os.fdopen(fd, "wb") as raw, wave.open(raw, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(TONE_RATE)
        wav.writeframes(samples.tobytes())
    os.replace(tmp, target)
    return target


def render_catalogue(folder: Path, volume: int, *, rate: int = 175, espeak: str | None = None) -> list[Path]:
    """Every prompt in both languages, rendered into ``folder``."""
    audio = PromptAudio(folder, espeak=espeak, rate=rate)
    paths = [audio.prompt(prompt, language, volume) for prompt in PROMPTS.values() for language in VOICES]
    return paths + [audio.tone(name, volume) for name in TONES]


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Render every spoken prompt and tone into a folder.")
    parser.add_argument("folder", type=Path)
    parser.add_argument("--volume", type=int, default=60, help="per cent of the loudest (default 60)")
    parser.add_argument("--rate", type=int, default=175, help="words (Mandarin: syllables) per minute (default 175)")
    args = parser.parse_args(argv)
    if not 0 <= args.volume <= 100 or not 80 <= args.rate <= 260:
        parser.error("--volume must be 0–100 and --rate 80–260")
    try:
        paths = render_catalogue(args.folder, args.volume, rate=args.rate)
    except (DriverUnavailable, DeviceOperationError) as exc:
        print(f"render: {exc.technician}", file=sys.stderr)
        return 1
    print(f"{len(paths)} files in {args.folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
