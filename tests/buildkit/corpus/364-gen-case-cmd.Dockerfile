FRom alpine
Cmd ["sh", "-c", "echo hi"]
