FROM alpine
ENV A=1 B="x\"y" C='a\'b
ENV D=1 E="2
