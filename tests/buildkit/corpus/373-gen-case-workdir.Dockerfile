FrOm alpine
workdIR /app
