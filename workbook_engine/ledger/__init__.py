"""The school ledger (学校台账.sqlite): every term a run has seen, so the next term, the yearly awards and the
trends build on it. `schema` (tables and migrations), `file` (opened safely, checked, held, kept), `store` (a
term written in one transaction; `History`, what earlier runs remembered), `guard` (no run shrinks a term
unasked), `history` (the `history` command)."""
