FROM alpine
SHELL ["\/" , "$HOME"]
