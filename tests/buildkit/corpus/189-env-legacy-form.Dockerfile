FROM alpine
ENV A b c
ENV PATH /usr/local/bin:$PATH
ENV MSG hello   world  
