FROM alpine
ENV A="unterminated
