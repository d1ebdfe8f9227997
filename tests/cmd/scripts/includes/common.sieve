# Shared rules, included by main.sieve.
keep;
