# Dovecot's imapsieve spam training (report-spam.sieve, Pigeonhole's
# imapsieve documentation): a message moved into Junk is piped to the
# learning program. spec-bosch-sieve-extprograms §5.2: with :copy, `pipe`
# does not cancel the implicit keep, so the message also stays where it was
# moved. The dry run never runs the program: `pipe` is a reported action.
require ["vnd.dovecot.pipe", "copy", "imapsieve", "environment", "variables"];

if environment :matches "imap.user" "*" {
  set "username" "${1}";
}

pipe :copy "sa-learn-spam.sh" [ "${username}" ];
