FROM alpine
RUN <<EOF
#!/usr/bin/env bash
set -euo pipefail
echo "$((1+2))"
EOF
