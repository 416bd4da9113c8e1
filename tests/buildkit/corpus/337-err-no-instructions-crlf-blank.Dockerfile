

# comment
