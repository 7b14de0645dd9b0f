#!/usr/bin/env bash
# The reader's memory while its list is used, measured from outside in tmux.
#
#   scripts/rss-in-use.sh STET_BINARY CORPUS...
#
# Starts the reader (160x40), waits for the list's " sort: " footer, prints VmRSS and VmHWM,
# then again after 40 moves down, a jump to the end and 20 moves up, a title search ("oil"),
# and three sorts (versions, title, source); quits with `q`. The environment is passed on
# (XDG_CACHE_HOME / XDG_DATA_HOME choose the cache and data dirs). A corpus whose search
# index is not built yet builds it in the background meanwhile: its memory is counted too.
set -euo pipefail
if [ $# -lt 2 ]; then
    echo "usage: $0 STET_BINARY CORPUS..." >&2
    exit 2
fi
bin=$(realpath "$1"); shift
s="rss-$$"
tmux new-session -d -s "$s" -x 160 -y 40 "$(printf '%q ' "$bin" "$@"); sleep 3"
trap 'tmux kill-session -t "$s" 2>/dev/null || true' EXIT
for _ in $(seq 1 2400); do
    tmux capture-pane -p -t "$s" | grep -qF " sort: " && break
    sleep 0.05
done
shell=$(tmux list-panes -t "$s" -F '#{pane_pid}' | head -1)
pid=$(pgrep -P "$shell" | head -1)
rss() {
    awk '/^VmRSS|^VmHWM/ {printf "%s %d MB  ", $1, $2 / 1024}' "/proc/$pid/status"
    echo "$1"
}
rss "at the list"
for _ in $(seq 1 40); do tmux send-keys -t "$s" j; sleep 0.05; done
sleep 0.5; rss "after 40 moves"
tmux send-keys -t "$s" G; sleep 0.5
for _ in $(seq 1 20); do tmux send-keys -t "$s" k; sleep 0.05; done
sleep 0.5; rss "after the end of the list and 20 moves"
tmux send-keys -t "$s" /; sleep 0.2; tmux send-keys -t "$s" -l "oil"; sleep 1
tmux send-keys -t "$s" Enter; sleep 0.5
rss "after a title search"
for _ in 1 2 3; do tmux send-keys -t "$s" s; sleep 1; done
rss "after sorting by versions, title, source"
tmux send-keys -t "$s" q
sleep 1
