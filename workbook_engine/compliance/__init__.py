"""Compliance: every requirement of the two documents, at the frequency the school sets, in its calendar.

frequencies (the registered frequencies and the requirements measured at them) < calendar (teaching days and
periods) < frames (records as pandas frames) < result (the Compliance result and the shape of its rows) < grids
(pairing × period) < figures (per mentor and class) < compute (the stage's one entry point, `compute`)."""
