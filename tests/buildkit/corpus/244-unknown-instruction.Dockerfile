FROM alpine
FOOBAR x y z
