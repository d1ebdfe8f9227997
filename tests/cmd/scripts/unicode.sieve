if header :is "subject" "héllo wörld" { fileinto "x"; }
	frob;
