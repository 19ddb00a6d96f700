"""Privacy guard: personal data found in anything that would be published stops the build.

Rules follow domain.md §5 and the seed plans' exemptions (个人隐私): ID numbers, phone numbers, bank cards,
unmasked names and house-number addresses in recipient lists. Masked forms and declared public numbers pass.
"""
