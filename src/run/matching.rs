//! Match types and comparators (RFC 5228 §2.7, RFC 4790, RFC 5231).
