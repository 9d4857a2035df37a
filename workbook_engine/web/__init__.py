"""`workbook-engine serve`: the office's page on the school network.

Teachers check their own workbook before sending it (`/`), the office sees who has sent what and runs the job
(`/office`), the principal opens the figures (`/office/summary`). Built on Flask (the routes) and waitress (the
server); every check, run and download goes through the engine's own functions: the gate and validation, the
annotated copy, the mail attachments' safe names, `run`, and the published set's recorded outputs."""
