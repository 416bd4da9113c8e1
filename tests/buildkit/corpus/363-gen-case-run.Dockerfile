FroM alpine
Run echo hi
