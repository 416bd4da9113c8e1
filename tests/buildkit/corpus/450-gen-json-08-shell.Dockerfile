FROM alpine
SHELL ["\ud83d\udc33",	"\u00e9t\u00e9",	"a",	"\u00e9t\u00e9"]
