FRom alpine
eXPosE 80/tcp 443
