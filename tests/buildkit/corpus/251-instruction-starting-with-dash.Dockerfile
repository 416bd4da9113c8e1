FROM alpine
--flag value
