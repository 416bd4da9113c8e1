from alpine
ARg X=1
