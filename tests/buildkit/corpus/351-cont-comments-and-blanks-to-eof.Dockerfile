FROM alpine
RUN a \
# c

# d
