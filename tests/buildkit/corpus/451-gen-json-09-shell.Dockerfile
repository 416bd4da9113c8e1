FROM alpine
SHELL [ "\n","\ud83d\udc33" ]
