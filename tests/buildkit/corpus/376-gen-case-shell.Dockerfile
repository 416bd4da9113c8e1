froM alpine
SheLL ["/bin/bash", "-c"]
