require ["fileinto", "variables", "extlists", "envelope", "subaddress", "imap4flags", "copy"];
if header :matches "List-Id" "*<*.*>*" {
    set :lower "list" "${2}";
    fileinto "Lists/${list}";
    stop;
}
if address :list "from" ":addrbook:default" {
    addflag "\\Flagged";
    fileinto :copy "VIP";
}
if envelope :detail "from" "news" { discard; }
