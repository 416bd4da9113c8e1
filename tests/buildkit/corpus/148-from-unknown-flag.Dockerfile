FROM --foo=bar alpine
