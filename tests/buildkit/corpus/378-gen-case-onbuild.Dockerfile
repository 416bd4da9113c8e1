fROM alpine
onBuilD run echo later
