"""Write resources/sounds/attention.wav: the idle countdown's soft two-note chime.

Run once with any Python 3 (`python3 scripts/make_chime.py`); the file is committed.
Two sine notes (E5 then A5), 0.25 s each, with soft attacks and decays, 22.05 kHz mono.
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 22050
NOTES = ((659.25, 0.25), (880.0, 0.35))
VOLUME = 0.35


def samples() -> list[int]:
    out: list[int] = []
    for frequency, seconds in NOTES:
        count = int(RATE * seconds)
        for i in range(count):
            envelope = min(1.0, i / (0.01 * RATE)) * math.exp(-4.0 * i / count)
            value = VOLUME * envelope * math.sin(2 * math.pi * frequency * i / RATE)
            out.append(round(value * 32767))
    return out


def main() -> None:
    target = Path(__file__).resolve().parent.parent / "resources" / "sounds" / "attention.wav"
    target.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(target), "wb") as chime:
        chime.setnchannels(1)
        chime.setsampwidth(2)
        chime.setframerate(RATE)
        chime.writeframes(b"".join(struct.pack("<h", s) for s in samples()))
    print(target)


if __name__ == "__main__":
    main()
