FROM alpine
CMD ["sh"]