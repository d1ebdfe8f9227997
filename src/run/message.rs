//! Messages for the dry run: loading (.eml, folders, Maildir, mbox) and
//! access to headers, addresses, envelope and body.
