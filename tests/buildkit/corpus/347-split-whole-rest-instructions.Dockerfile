FROM alpine
STOPSIGNAL  SIG TERM 
MAINTAINER  a   b  
ONBUILD   RUN   a   b  
SHELL  ["a"]  
RUN		["a"]
