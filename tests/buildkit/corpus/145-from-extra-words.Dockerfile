FROM alpine AS a b c
FROM alpine extra
