# Each line is one mistake and gets one diagnostic (RFC 5228 §3.1, §2.9).
if header :is "x-spam" "yes" discard;
if true { keep; } else if false { stop; }
stop keep;
