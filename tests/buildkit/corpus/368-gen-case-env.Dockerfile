fROm alpine
ENV A=1 B=2
