FRom alpine
VOlume ["/data"]
