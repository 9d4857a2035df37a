from workbook_engine.cli import entry

entry()
