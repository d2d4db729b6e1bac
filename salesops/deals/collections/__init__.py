"""Collections 回款 (R13, R21): payment plans of contracts, receipts, the overdue job and the ledger."""
