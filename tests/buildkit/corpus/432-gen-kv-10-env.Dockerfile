FROM alpine
ENV A0="with \"escaped\" quotes"
