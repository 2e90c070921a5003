"""How a kiosk process talks to the service manager that runs it (systemd): ready, alive, stopping.

Low-level and shared: the kiosk application and the hall gateway both use it, and it imports
nothing of either (the gateway never imports kiosk/ or screens/).
"""
