FROM alpine
ARG A="x y" B='1 2' C=a\ b
