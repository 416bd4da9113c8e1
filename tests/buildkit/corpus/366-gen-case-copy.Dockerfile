FROm alpine
COPY --chown=1:1 a b
