//! RFC 6785: the "imapsieve" extension. It declares no command, test or
//! tag: it makes scripts run on IMAP events and adds "imap.*" items to the
//! `environment` test (RFC 5183).

use super::Extension;

pub static IMAPSIEVE: Extension = Extension {
    doc: "Lets scripts run on IMAP events (message stored, moved, flags changed), not only on delivery.",
    ..Extension::new("imapsieve", "RFC 6785")
};
