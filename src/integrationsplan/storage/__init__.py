"""Storage: the plan-store contract and its backends. Filled by the storage issue;
nothing is public here yet.
"""
