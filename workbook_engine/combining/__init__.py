"""Combining: the files split by the term each names (`terms`), then each term's submissions — versions of one
file (the newest wins) and different hands (record by record, nothing silently lost) — into one set of records
(`combine`)."""
