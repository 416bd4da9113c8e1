FROM alpine
ENV NAME  two words
