FROM alpine
RUN ["\n","$HOME","a"]
