FROM alpine
FOOBAR --flag=1 x
