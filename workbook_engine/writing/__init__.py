"""Writing: every workbook and file the engine writes. One sheet model (`sheet`), one style registry (`styles`),
paper (`paper`) and two writers (`fastxlsx` for big tables, `books` on xlsxwriter); the books — the merged data
book (`books`), the principal's summary (`summary/`, a function per sheet), a feedback book per class
(`feedback`), the two forms (`forms`), report.json (`runreport`); and the tools that write for teachers:
`templates`, `annotate`, `assign`, `newterm`, `samples`. `outputs` describes a run's books as work for
execution.py to run."""
