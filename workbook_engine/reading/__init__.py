"""Reading: what is in the office's folder and what each file holds, never changing it.

`inbox` finds every file (a workbook, an email's attachments via `email`, or skipped with the reason); `gate`
lets no file reach a parser unchecked (size, content, zip sanity, XML safety, encryption); `reader` reads the
values (python-calamine); `normalize` and `celltext` turn what teachers type into clean values and back."""
