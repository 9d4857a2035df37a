"""Assessment: one score per teacher over all their classes and the term's recognition (`scoring`), what the
ledger's earlier terms add (`across_terms`: yearly awards, trends, 教育转化 tracking), the school's own work
(`school_work`: the principal's monthly meeting, 包靠, 需学校关注), the 整改名单 (`rectification`), and the
warnings these stages write at a workbook's cell (`cell_warnings`)."""
