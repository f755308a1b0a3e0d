/*
 * escape.h - one escaping policy for every byte that comes from the host.
 *
 * Command lines, paths, interface, cgroup, unit and user names are chosen
 * by whoever runs the process or makes the mount, so they may hold
 * terminal escapes, newlines, bidirectional overrides or bytes that are
 * not UTF-8.  Every view writes them through one of these:
 *
 *   text   (table, -r, -P, --links, stderr notes, error messages)
 *          util-linux's convention: a byte that is a control character
 *          (C0, DEL), part of a C1 control, of a bidirectional or line
 *          separator control (U+200E/F, U+2028..202E, U+2066..2069), of
 *          an invalid UTF-8 sequence, or not ASCII in a locale that is
 *          not UTF-8, is written as \xHH; a backslash is written \x5c so
 *          that the output reads back unambiguously.  Applied exactly
 *          once: tables are printed with libsmartcols' own encoding off.
 *   JSON   always valid UTF-8: quote, backslash and controls as JSON
 *          escapes, C1/bidi/separators as \uXXXX (the same characters,
 *          only escaped), and each byte HH of an invalid sequence as the
 *          lone surrogate \udcHH ("surrogateescape": Python's
 *          s.encode("utf-8", "surrogateescape") gives the bytes back).
 *          Views add a base64 field beside a path or command that is
 *          not valid UTF-8, so that a program can open it.
 *   label  Prometheus label values: the text form, then \\ \" \n.
 */
#ifndef NSFIND_ESCAPE_H
#define NSFIND_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

/* Set from the locale by main: is the terminal's codeset UTF-8? */
extern bool nsf_esc_utf8;


void	 nsf_esc_text(struct strbuf *, const char *);
void	 nsf_esc_textn(struct strbuf *, const char *, size_t);
void	 nsf_esc_json(struct strbuf *, const char *);	/* with the quotes */
void	 nsf_esc_label(struct strbuf *, const char *);	/* without quotes */
bool	 nsf_utf8_valid(const char *);
void	 nsf_base64(struct strbuf *, const void *, size_t);

#endif
