import Testing

/// Every end-to-end test drives the real binary in its own tmux server. They run one at a time:
/// a handful of ncurses apps redrawing at once on a loaded 2-core machine makes timing flaky,
/// and one at a time the whole set still takes well under a minute or two.
@Suite("console end to end (tmux)", .serialized)
enum ConsoleEndToEnd {}
