FROM alpine
LABEL	name	
