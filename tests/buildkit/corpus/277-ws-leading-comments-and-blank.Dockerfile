# header comment

# more header
FROM alpine
