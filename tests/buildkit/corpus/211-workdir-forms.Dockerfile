FROM alpine
WORKDIR /app
WORKDIR src
WORKDIR /path with spaces
WORKDIR $HOME/app
