FROM alpine
VOLUME ["$HOME", "", "$HOME"]
