froM alpine
SToPSIGNaL SIGINT
