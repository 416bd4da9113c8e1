FROM alpine
RUN <<ONE cat /dev/stdin && <<-'TWO' 3<<THREE bash
one
ONE
	two
	TWO
three
THREE
