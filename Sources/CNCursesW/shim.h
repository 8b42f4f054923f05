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

static inline WINDOW *backstage_curscr(void) { return curscr; }

// Attribute and mouse macros are too complex to import.
static inline attr_t backstage_attr_bold(void) { return A_BOLD; }
static inline attr_t backstage_attr_reverse(void) { return A_REVERSE; }
static inline attr_t backstage_attr_underline(void) { return A_UNDERLINE; }
static inline attr_t backstage_attr_normal(void) { return A_NORMAL; }
static inline int backstage_key_f(int n) { return KEY_F(n); }
static inline mmask_t backstage_mouse_events(void) {
    mmask_t mask = BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED;
#ifdef BUTTON5_PRESSED
    mask |= BUTTON5_PRESSED;
#endif
    return mask;
}
static inline int backstage_mouse_is_press(mmask_t m) { return (m & (BUTTON1_PRESSED | BUTTON1_CLICKED)) != 0; }
static inline int backstage_mouse_is_wheel_up(mmask_t m) { return (m & BUTTON4_PRESSED) != 0; }
static inline int backstage_mouse_is_wheel_down(mmask_t m) {
#ifdef BUTTON5_PRESSED
    return (m & BUTTON5_PRESSED) != 0;
#else
    return 0;
#endif
}

// wcwidth is not always declared by the headers Swift imports.
extern int wcwidth(wchar_t wc);
static inline int backstage_wcwidth(unsigned int scalar) { return wcwidth((wchar_t)scalar); }

#endif
