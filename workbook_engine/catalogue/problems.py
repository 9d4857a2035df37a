"""Problem messages: one template a problem code (`problem.<code>`, rendered by Problem.message with {sheet},
{column}, {value} and {detail}), and the details the rule units build (`problem.<code>.<part>`)."""
from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    # -- details the rule units build ------------------------------------------------------------------------------
    # validation/rules/pairing.py
    "problem.mentee-load-spread.detail": ("带 {n} 人，最少的导师带 {low} 人，相差超过 {spread} 人",
                                          "{n} mentees, the fewest is {low}: more than {spread} apart"),
    "problem.late-pairing.detail": ("{days} 天内结对（入学 {enrolled}，结对 {paired}）",
                                    "{days} days of enrolment (enrolled {enrolled}, paired {paired})"),
    "problem.late-pairing.not_paired": ("未填", "not given"),
}
