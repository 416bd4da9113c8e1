FROM "my image"
VOLUME "/my vol" /b
EXPOSE "80 81"
COPY "a b" c
COPY a\ b c
