FROM alpine
ENV A="x" B='y' C="a\"b" D='it''s'
