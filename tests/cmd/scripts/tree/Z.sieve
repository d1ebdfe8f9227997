frob;
