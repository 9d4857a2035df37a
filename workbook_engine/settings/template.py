"""The commented school.toml that `templates` writes, in Chinese and in English: every key at its default."""
from __future__ import annotations

SETTINGS_TEMPLATE = '''# school.toml — 学校设置（全员育人导师制 / 学情会商）
# 每一项都已填为默认值；不需要改的可以删掉。以 # 开头的行是说明。
# School settings for workbook-engine. Every key below is at its default.

[school]
name = ""                 # 学校名称
classes = []              # 全校班级，如 ["三年级1班", "三年级2班"]；用于列出未交文件的班级
principal = ""            # 校长姓名：主持每月专题会议
leaders = []              # 可主持专题会议的校级领导姓名，如 ["李副校长"]；校长和这里的人都不填时不检查主持人

[term]
# 不填 start/end 时，学期由班级工作簿的“学年”“学期”推出：
# 第一学期 9月1日—次年1月31日；第二学期 2月1日—7月31日。
# school_year = "2026-2027"
# term = "第一学期"       # 或 "第二学期"
# start = 2026-09-01
# end = 2027-01-22
holidays = []             # 放假和考试周等免检时段，写成下面的 [[term.holidays]]
workdays = []             # 调休上班日，写成下面的 [[term.workdays]]

# [[term.holidays]]        # 免检：这段时间不要求谈心和家长联系
# name = "国庆节"
# start = 2026-10-01
# end = 2026-10-08

# [[term.workdays]]        # 调休上班日，算作教学日
# date = 2026-10-10
# note = "国庆调休上班"

# 一个设置文件可以用很多年：每个学期写一项 [[terms]]（写法同上面的 [term]），运行时按工作簿填写的学年、学期
# 选用该学期的校历；没有校历的学期按默认日期计算，并在输出开头和汇总表上提示。
# [[terms]]
# school_year = "2026-2027"
# term = "第二学期"
# start = 2027-02-22
# end = 2027-07-09
# [[terms.holidays]]
# name = "劳动节"
# start = 2027-05-01
# end = 2027-05-05

[policy]
talk_frequency = "weekly"             # 谈心频率："weekly" 每周一次（制度一）或 "semimonthly" 每半月一次（制度二）
parent_contact_frequency = "monthly"  # 家长联系：每月至少一次
study_frequency = "weekly"            # 学情研究：每周一次
community_frequency = "monthly"       # 共同体汇报会：每月一次
archive_frequency = "monthly"         # 重点关注学生成长档案：每月一条
check_talks = true                    # 以下各项可单独关闭
check_parent_contacts = true
check_studies = true
check_community = true
check_plans = true
check_archive = true
plan_due_days = 14                    # 学期计划须在开学后多少天内提交
strict = false                        # true：文件有任何错误即整份退回；false：只退回出错的行
late_after_days = 14                  # 班级最新文件早于多少天即列为“逾期未更新”
on_track = 0.95                       # 完成率达到此值为“达标”
needs_attention = 0.8                 # 达到此值为“需关注”，低于此值为“未达标”
head_teacher_talks_count = false      # 班主任与本班学生的谈心、家长联系是否计入该生导师的完成情况（不计入也不提示“非本人导师”）
check_student_reports = true          # 学生每半月向导师汇报一次（工作簿有“学生汇报”表时检查）
check_principal_meeting = true        # 校长每月至少主持一次专题会议（考核数据工作簿有“学校工作记录”表时检查）
community_meeting = "per_class"       # 共同体汇报会："per_class" 每班每月一次，或 "per_community" 每个共同体每月一次
check_reflections = true              # 期末检查每个共同体的心得体会（计划总结的“共同体心得提交日期”）
mentee_load_spread = 3                # 同班导师受导人数最多与最少之差超过此值即提示
min_mentees = 2                       # 科任导师（班主任除外）各班合计受导人数少于此值即提示（每位科任教师负责多名学生；0 不检查）
pairing_days = 7                      # 新生须在入学后多少天内结对
check_monthly_summary = true          # 导师每月总结谈话情况记录汇总一次（计划总结中类型为“月度总结”的行）
rectify_after_months = 2              # 连续几个月未达标（谈心或家长联系）列入整改名单
rectify_days = 30                     # 整改期限（天）；到期仍未达标即建议更换导师
check_grade_work = true               # 级部计划、级部总结（每个年级）和每学期一次级部交流（有“学校工作记录”表时检查）

[attention]
# 重点关注类别（两份制度的并集），可按本校情况增删
categories = [
  "学习困难", "家庭贫困", "家庭优越", "思想波动", "心理障碍",
  "进城务工人员子女", "留守儿童", "行为偏差", "家庭教育环境不良", "心理有障碍", "学习有困难",
  "个性发展有特殊要求", "潜能难以充分发展",
  "家境贫寒", "行为不良", "心理封闭", "父母离异",
]

[assessment]
scheme = "points"                     # "points" 积分制（制度二）或 "four_party" 四方评议（制度一）
base = 5.0                            # 基础分：有受导学生的导师
grade_max = 3.0                       # 成绩提高最高分
grade_tiers = [[5.0, 3.0], [2.0, 2.0], [0.0, 1.0]]   # 平均百分位提高 ≥5 得3分，≥2 得2分，≥0 得1分，否则0分
conduct_max = 1.0                     # 德育量化最高分
satisfied_ratings = ["满意", "基本满意"]
satisfaction_tiers = [[1.0, 1.0], [0.9, 0.8], [0.8, 0.6]]  # 满意率 100% 得1分，≥90% 得0.8分，≥80% 得0.6分
deduction_per_case = 1.0              # 每个“不满意”评价扣分（也用于下面未列出的扣分类型）
deduction_max = 5.0                   # 扣分上限
missing_part = "scale"                # 某项没有数据（如一年级上学期无上学期成绩、低年级无考试成绩、无德育量化、无满意度测评）时：
                                      # "scale" 该项记“不适用”，总分按适用各项满分折算为10分；"zero" 该项记0分
outstanding_communities = 3           # 每个年级推荐优秀共同体个数
progress_pacesetters = 5              # 进步小标兵人数
outstanding_mentors = 3               # 学期表扬和学年优秀导师的人数（并列的全部列出）

[assessment.deduction_points]         # 考核扣分表每条记录按类型扣分
"教育效果不明显" = 1.0
"其他" = 1.0

[assessment.four_party_weights]       # 四方评议权重（自评、学生、教师、学校）
self = 0.25
students = 0.25
teachers = 0.25
school = 0.25

[assign]
mode = "students"                     # 双向选择方式：students（学生选导师）或 communities（先分共同体，再与导师互选）
groups = 5                            # 每班共同体个数（4-5）
max_per_mentor = 15                   # 每位导师最多带的学生数
head_teacher_mentors = false          # 班主任是否也作为导师参加分配

[mail]
smtp_host = ""                        # 发送反馈的邮件服务器，如 "smtp.example.edu.cn"
smtp_port = 587
smtp_security = "starttls"            # none、starttls 或 ssl
sender = ""                           # 发件人，如 "教务处 <jwc@example.edu.cn>"
username = ""                         # 登录邮箱的用户名
password_env = "WORKBOOK_ENGINE_MAIL_PASSWORD"  # 存放邮箱密码的环境变量名（密码不写在文件里）
imap_host = ""                        # 收取班级文件的邮箱服务器，如 "imap.example.edu.cn"
imap_port = 993
imap_security = "ssl"                 # none、starttls 或 ssl
imap_folder = "INBOX"                 # 收取哪个文件夹
timeout_s = 60.0                      # 每封邮件发送的总时限（秒，含重试）；超时算该班发送失败，其余班级照常发送
receipts = false                      # true：fetch-mail 收到文件后立即检查，并给发件人回信（通过，或问题清单和标注副本）

[mail.recipients]                     # 各班反馈的收件人（不填则用导师名单中班主任的邮箱）
# "三年级1班" = "head31@example.edu.cn"

[privacy]
include_phone_numbers = false         # 汇总中是否显示电话（默认不显示）
include_private_text = false          # 汇总中是否显示备注、家庭、心理等文字（默认不显示）

[ledger]
path = "学校台账.sqlite"              # 学校台账（历年各学期的数据）：相对路径在输出目录内，随每次 run 的输出一起发布
grades = ["一年级", "二年级", "三年级", "四年级", "五年级", "六年级"]  # 本校年级，从低到高；new-term 到新学年时各班升一级，最高年级毕业离校

[limits]
max_file_mb = 50.0                    # 单个文件大小上限（MB）
max_email_mb = 50.0                   # 单封邮件（.eml）大小上限（MB），超过则跳过不读
max_uncompressed_mb = 1000.0          # 解压后总大小上限（MB），超过视为压缩炸弹
max_compression_ratio = 200.0         # 单个部件压缩比上限，超过视为压缩炸弹
max_parts = 5000                      # 压缩包内部件数上限
worker_memory_mb = 4096               # 每个读取进程的内存上限（MB）；超出只影响该文件
passwords = []                        # 加密工作簿可尝试的打开密码，如 ["123456"]；默认不尝试

[web]
office_password = ""                  # serve 的教务处页面密码（也可用环境变量 WORKBOOK_ENGINE_OFFICE_PASSWORD）；不设则只能在本机打开
checks_per_hour = 60                  # 每个地址每小时最多自查几次
'''

# The same file with its comments in English (`templates --lang en`): the same keys and values — the values in
# Chinese are what the workbooks hold (categories, ratings, deduction types, grades, the ledger's file name).
SETTINGS_TEMPLATE_EN = '''# school.toml — the school's settings for workbook-engine (mentor system)
# Every key below is at its default; delete what you do not need to change. Lines starting with # are comments.

[school]
name = ""                 # the school's name
classes = []              # every class of the school, as the workbooks name them, e.g. ["三年级1班", "三年级2班"];
                          # used to list the classes that sent no file
principal = ""            # the principal's name: hosts the monthly 专题会议
leaders = []              # school leaders who may host it, e.g. ["李副校长"]; with neither filled the host is not checked

[term]
# Without start/end, the term follows the class workbooks' school year and term (学年, 学期):
# 第一学期 (first term) 1 September to 31 January; 第二学期 (second term) 1 February to 31 July.
# school_year = "2026-2027"
# term = "第一学期"       # or "第二学期"
# start = 2026-09-01
# end = 2027-01-22
holidays = []             # holidays and exam weeks (nothing is due then), written as [[term.holidays]] below
workdays = []             # make-up working days, written as [[term.workdays]] below

# [[term.holidays]]        # no talks or parent contacts are required in this period
# name = "National Day"
# start = 2026-10-01
# end = 2026-10-08

# [[term.workdays]]        # a make-up working day counts as a school day
# date = 2026-10-10
# note = "make-up day for National Day"

# One settings file serves for years: one [[terms]] entry per term (keys as in [term] above); a run uses the
# calendar of the term each workbook names. A term without one uses the default dates, and the run says so.
# [[terms]]
# school_year = "2026-2027"
# term = "第二学期"
# start = 2027-02-22
# end = 2027-07-09
# [[terms.holidays]]
# name = "Labour Day"
# start = 2027-05-01
# end = 2027-05-05

[policy]
talk_frequency = "weekly"             # talks: "weekly" (system one) or "semimonthly" (system two)
parent_contact_frequency = "monthly"  # parent contacts: at least once a month
study_frequency = "weekly"            # class studies: once a week
community_frequency = "monthly"       # community report meetings: once a month
archive_frequency = "monthly"         # growth archive of attention students: one entry a month
check_talks = true                    # each of the following checks can be switched off
check_parent_contacts = true
check_studies = true
check_community = true
check_plans = true
check_archive = true
plan_due_days = 14                    # the term plan is due within this many days of the term's start
strict = false                        # true: any error rejects the whole file; false: only the rows with errors
late_after_days = 14                  # a class whose newest file is older than this many days is listed as late
on_track = 0.95                       # a completion rate from here on is "on track"
needs_attention = 0.8                 # from here on "needs attention", below it "off track"
head_teacher_talks_count = false      # the head teacher's talks and parent contacts count for the student's mentor
                                      # (when false they are not counted, and not flagged as "not the mentor")
check_student_reports = true          # students report to their mentor twice a month (when the workbook has 学生汇报)
check_principal_meeting = true        # the principal holds a meeting at least once a month (when the assessment
                                      # workbook has 学校工作记录)
community_meeting = "per_class"       # community report meetings: "per_class" once a month per class, or
                                      # "per_community" once a month per community
check_reflections = true              # at the term's end, every community hands in its reflections (计划总结)
mentee_load_spread = 3                # flag a class whose mentors' mentee counts differ by more than this
min_mentees = 2                       # flag a subject teacher (not a head teacher) mentoring fewer students than
                                      # this over all classes (each mentors several; 0: not checked)
pairing_days = 7                      # new students are paired within this many days of enrolling
check_monthly_summary = true          # each mentor sums up the month's talk records once a month (计划总结 rows of 类型 月度总结)
rectify_after_months = 2              # consecutive months off track (talks or parent contacts) that list a mentor
rectify_days = 30                     # days to put it right; still off track at the deadline: replacement proposed
check_grade_work = true               # each grade's plan and summary, one exchange between grades a term

[attention]
# the attention categories (both systems' together): add or remove as the school needs
categories = [
  "学习困难", "家庭贫困", "家庭优越", "思想波动", "心理障碍",
  "进城务工人员子女", "留守儿童", "行为偏差", "家庭教育环境不良", "心理有障碍", "学习有困难",
  "个性发展有特殊要求", "潜能难以充分发展",
  "家境贫寒", "行为不良", "心理封闭", "父母离异",
]

[assessment]
scheme = "points"                     # "points" (system two) or "four_party" four-party review (system one)
base = 5.0                            # base score of a mentor with mentees
grade_max = 3.0                       # most points for better grades
grade_tiers = [[5.0, 3.0], [2.0, 2.0], [0.0, 1.0]]   # mean percentile gain ≥5: 3 points, ≥2: 2, ≥0: 1, else 0
conduct_max = 1.0                     # most points for conduct
satisfied_ratings = ["满意", "基本满意"]  # the satisfaction ratings that count as satisfied
satisfaction_tiers = [[1.0, 1.0], [0.9, 0.8], [0.8, 0.6]]  # satisfied 100%: 1 point, ≥90%: 0.8, ≥80%: 0.6
deduction_per_case = 1.0              # per "not satisfied" vote (and per deduction of a type not listed below)
deduction_max = 5.0                   # most points deducted
missing_part = "scale"                # a part without data (no earlier grades in the first term, no exams in low
                                      # grades, no conduct or satisfaction data): "scale" marks it not applicable and
                                      # scales the total to 10 over the parts that apply; "zero" scores it 0
outstanding_communities = 3           # outstanding communities proposed per grade
progress_pacesetters = 5              # progress pacesetters
outstanding_mentors = 3               # mentors proposed for term praise and for the year (ties all listed)

[assessment.deduction_points]         # points deducted per row of the deductions sheet, by its type
"教育效果不明显" = 1.0
"其他" = 1.0

[assessment.four_party_weights]       # four-party review weights (self, students, teachers, school)
self = 0.25
students = 0.25
teachers = 0.25
school = 0.25

[assign]
mode = "students"                     # mutual choice: students (students choose mentors) or communities (form
                                      # communities first, then pair them with mentors)
groups = 5                            # communities per class (4-5)
max_per_mentor = 15                   # most students per mentor
head_teacher_mentors = false          # whether the head teacher takes part as a mentor

[mail]
smtp_host = ""                        # the server that sends the feedback, e.g. "smtp.example.edu.cn"
smtp_port = 587
smtp_security = "starttls"            # none, starttls or ssl
sender = ""                           # the sender, e.g. "Academic office <jwc@example.edu.cn>"
username = ""                         # the mailbox's user name
password_env = "WORKBOOK_ENGINE_MAIL_PASSWORD"  # the environment variable holding the password (never this file)
imap_host = ""                        # the server where class files arrive, e.g. "imap.example.edu.cn"
imap_port = 993
imap_security = "ssl"                 # none, starttls or ssl
imap_folder = "INBOX"                 # the folder to fetch from
timeout_s = 60.0                      # time limit per message sent (seconds, retries included); past it that class
                                      # fails and the others are sent
receipts = false                      # true: fetch-mail checks each file at once and replies to its sender
                                      # (accepted, or the problems and a marked copy)

[mail.recipients]                     # who gets each class's feedback (default: the head teacher's e-mail in the
                                      # mentor list)
# "三年级1班" = "head31@example.edu.cn"

[privacy]
include_phone_numbers = false         # show phone numbers in the summary (default: no)
include_private_text = false          # show notes, family and mental-health text in the summary (default: no)

[ledger]
path = "学校台账.sqlite"              # the school ledger (every term's data): a relative path is inside the output
                                      # folder and published with each run's outputs
grades = ["一年级", "二年级", "三年级", "四年级", "五年级", "六年级"]  # the school's grades, lowest first:
                                      # new-term moves each class up one at a new school year; the top grade leaves

[limits]
max_file_mb = 50.0                    # largest file (MB)
max_email_mb = 50.0                   # largest saved mail (.eml, MB); larger ones are skipped
max_uncompressed_mb = 1000.0          # largest total when unpacked (MB); more is taken for a zip bomb
max_compression_ratio = 200.0         # highest compression ratio of one part; more is taken for a zip bomb
max_parts = 5000                      # most parts in one file
worker_memory_mb = 4096               # memory limit of each reading process (MB); going over affects that file only
passwords = []                        # passwords to try on encrypted workbooks, e.g. ["123456"]; none by default

[web]
office_password = ""                  # the office's pages of `serve` (or WORKBOOK_ENGINE_OFFICE_PASSWORD); without
                                      # one they open only on this computer
checks_per_hour = 60                  # self-checks one address may make in an hour
'''


def settings_template(lang: str = "zh") -> str:
    """The commented school.toml that `templates` writes: its comments in lang, its keys and values the same."""
    return SETTINGS_TEMPLATE_EN if lang == "en" else SETTINGS_TEMPLATE
