"""Publishing: OUT as the school's record for years. `publish` (one run at a time, a run's files staged and
published as one set, a killed run finished or undone), `layout` (where every output goes), `index` (OUT's index
of terms)."""
