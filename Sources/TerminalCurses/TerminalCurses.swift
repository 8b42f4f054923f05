// The ncurses backend arrives with the console.
