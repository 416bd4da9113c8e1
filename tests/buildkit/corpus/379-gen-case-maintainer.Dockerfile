FrOm alpine
MAiNtAInEr someone
