from workbook_engine.cli import main

raise SystemExit(main())
