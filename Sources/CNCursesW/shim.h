#ifndef BACKSTAGE_CNCURSESW_SHIM_H
#define BACKSTAGE_CNCURSESW_SHIM_H

// Wide-character curses: these must be defined before curses.h is included.
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif

#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>

// Swift 6 refuses mutable C globals; reach them through accessors.
static inline WINDOW *backstage_stdscr(void) { return stdscr; }
static inline int backstage_lines(void) { return LINES; }
static inline int backstage_cols(void) { return COLS; }
static inline int backstage_colors(void) { return COLORS; }
static inline int backstage_color_pairs(void) { return COLOR_PAIRS; }
static inline int backstage_escdelay(void) { return ESCDELAY; }

// wcwidth is not always declared by the headers Swift imports.
extern int wcwidth(wchar_t wc);
static inline int backstage_wcwidth(unsigned int scalar) { return wcwidth((wchar_t)scalar); }

#endif
