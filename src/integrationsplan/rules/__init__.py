"""Rules: pure functions of domain values and a reference date (eligibility, support
period, reviews, office hours). Filled by the rules issue; nothing is public here yet.
"""
