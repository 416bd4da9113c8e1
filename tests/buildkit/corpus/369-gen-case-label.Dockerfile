frOm alpine
LaBel k="v w"
