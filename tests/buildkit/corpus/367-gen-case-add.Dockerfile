fROM alpine
aDd --link a.tar /opt/
