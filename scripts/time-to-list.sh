#!/usr/bin/env bash
# Time from starting the reader to its story list on screen, measured from outside in tmux.
#
#   scripts/time-to-list.sh STET_BINARY CORPUS...
#
# Starts `STET_BINARY CORPUS...` in a detached tmux session (160x40), polls the screen every
# 10 ms until the list's " sort: " footer shows (drawn once the corpus is loaded), prints the
# milliseconds taken, the reader's CPU time (user + system, all its threads; the background
# index job may have started) and its peak RSS by then, then quits the reader with `q`. The
# environment is passed on, so XDG_CACHE_HOME / XDG_DATA_HOME choose the cache and data
# dirs. WANT=TEXT waits for TEXT instead (for example a word of the first story's text).
# Wall time: say the load average (printed) with the figure. The polling itself takes CPU (a
# tmux capture every 10 ms): about 1.5 s over a 10 s first open on 2 cores, little over a
# sub-second reopen; time long runs with a sparser poll.
set -euo pipefail
if [ $# -lt 2 ]; then
    echo "usage: $0 STET_BINARY CORPUS..." >&2
    exit 2
fi
bin=$(realpath "$1"); shift
want=${WANT:- sort: }
session="ttl-$$"
cmd=$(printf '%q ' "$bin" "$@")
start=$(date +%s%N)
tmux new-session -d -s "$session" -x 160 -y 40 "$cmd; sleep 5"
trap 'tmux kill-session -t "$session" 2>/dev/null || true' EXIT
deadline=$((start + 120 * 1000000000))
while :; do
    if tmux capture-pane -p -t "$session" 2>/dev/null | grep -qF -- "$want"; then
        now=$(date +%s%N)
        break
    fi
    now=$(date +%s%N)
    if [ "$now" -gt "$deadline" ]; then
        echo "timed out after 120 s; the screen:" >&2
        tmux capture-pane -p -t "$session" >&2 || true
        exit 1
    fi
    sleep 0.01
done
# The reader's CPU time so far (user + system, in clock ticks of /proc), read at once.
cpu=""
shell=$(tmux list-panes -t "$session" -F '#{pane_pid}' 2>/dev/null | head -1)
pid=$(pgrep -P "$shell" 2>/dev/null | head -1 || true)
if [ -n "$pid" ] && [ -r "/proc/$pid/stat" ]; then
    ticks=$(awk '{print $14 + $15}' "/proc/$pid/stat")
    hwm=$(awk '/^VmHWM/ {print int($2 / 1024)}' "/proc/$pid/status")
    cpu=", $(( ticks * 1000 / $(getconf CLK_TCK) )) ms CPU, peak RSS ${hwm} MB"
fi
echo "$(( (now - start) / 1000000 )) ms to list$cpu (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
tmux send-keys -t "$session" q
sleep 0.5
