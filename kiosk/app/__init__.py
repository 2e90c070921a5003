"""The composition root: builds the window and the running kiosk, its start-up hooks and the tour.

The only room that imports screens/.
"""
