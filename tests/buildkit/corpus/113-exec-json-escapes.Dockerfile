FROM alpine
RUN ["echo", "quote \" here", "back\\slash", "caf\u00e9", "tab\tand\nnewline", "\/slash"]
