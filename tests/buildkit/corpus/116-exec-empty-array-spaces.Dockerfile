FROM alpine
CMD [ ]
