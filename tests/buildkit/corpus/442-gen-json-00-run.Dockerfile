FROM alpine
RUN ["$HOME" , "back\\slash" , "\n"]
