require ["fileinto", "fileinto", "vnd.example.debug"];
# Sorting mail: 📬 for the post, ü for umlauts
if header :contains "subject" "📬 Pöst" { fileinto "Post"; frob; }
if size :over { keep; }
stop;
keep;
