# Dovecot imapsieve spam training, as in Dovecot's "Antispam with Sieve"
# how-to: a global script run when a user moves a message into Junk
# (imapsieve_mailbox1_before = file:/etc/dovecot/sieve/report-spam.sieve).
# pipe :copy hands the message to the learner and keeps it where it was
# (spec-bosch-sieve-extprograms §5, §5.2); the user name comes from the
# imapsieve environment item "imap.user" (RFC 6785 §3.4 via RFC 5183).
require ["vnd.dovecot.pipe", "copy", "imapsieve", "environment", "variables"];

if environment :matches "imap.user" "*" {
  set "username" "${1}";
}

pipe :copy "sa-learn-spam.sh" [ "${username}" ];
