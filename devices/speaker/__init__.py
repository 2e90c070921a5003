"""Spoken guidance: catalogue prompts in Mandarin and English, and tones, through the kiosk's loudspeaker."""
