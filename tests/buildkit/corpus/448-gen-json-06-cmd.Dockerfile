FROM alpine
CMD ["\u00e9t\u00e9" , "" , "\/"]
