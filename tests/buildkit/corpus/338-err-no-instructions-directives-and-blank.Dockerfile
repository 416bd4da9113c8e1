# syntax=docker/dockerfile:1

# comment
