"""The hardware as the kiosk uses it: the device hub, the paper roll estimate and the demo's simulated devices."""
