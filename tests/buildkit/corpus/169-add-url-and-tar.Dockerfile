FROM alpine
ADD https://dot.net/v1/dotnet-install.sh /usr/local/bin/
ADD app.tar.gz /app
ADD ["a b.tar", "/x y/"]
