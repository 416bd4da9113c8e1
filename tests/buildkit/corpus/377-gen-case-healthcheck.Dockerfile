FrOM alpine
heaLthCHECk --retries=2 CMD true
