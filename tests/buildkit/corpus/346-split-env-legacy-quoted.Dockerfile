FROM alpine
ENV A "x y"
ENV B==b
ENV C=x\	y
LABEL d="x"y"z"
