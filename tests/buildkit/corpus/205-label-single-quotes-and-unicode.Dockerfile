FROM alpine
LABEL description='Dockside test 日本語🐳' empty=""
