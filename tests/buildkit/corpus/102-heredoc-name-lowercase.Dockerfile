FROM alpine
RUN <<end
echo hi
end
