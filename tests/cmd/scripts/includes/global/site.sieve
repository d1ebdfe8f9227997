# A site-wide script.
keep;
