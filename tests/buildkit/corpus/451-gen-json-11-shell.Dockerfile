FROM alpine
SHELL [ "" ]
