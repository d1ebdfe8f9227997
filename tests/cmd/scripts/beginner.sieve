# The mistakes people make most, one per command; each gets its own help.
require ["fileinto"];
fileinto 'Junk';
fileinto “Archive”;
fileinto 42;
if header :is "x-priority" [1, 2] { keep; }
if header :is ["from" "sender"] "boss@example.org" { keep; };
if true { keep; } elseif false { stop; }
