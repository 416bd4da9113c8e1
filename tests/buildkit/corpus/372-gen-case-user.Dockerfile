froM alpine
USer app
