FROM alpine
ENV CONN="Server=db;User=sa;Password=x" OPTS=--a=b
