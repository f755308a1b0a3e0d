/*
 * json.h - a small JSON writer into a strbuf.
 *
 * libsmartcols cannot nest arrays of objects (holders, interfaces), so the
 * JSON view writes its document itself, whole, into memory first: nsfind
 * never prints a partial document.
 */
#ifndef NSFIND_JSON_H
#define NSFIND_JSON_H

#include <stdbool.h>
#include <stdint.h>

#include "util.h"

struct json {
	struct strbuf	 sb;
	int		 depth;
	bool		 first[256];	/* nothing written yet at this depth */
	bool		 pretty;
};

void	json_init(struct json *, bool);
void	json_obj_open(struct json *, const char *);	/* key, or NULL in an array */
void	json_obj_close(struct json *);
void	json_obj_reopen(struct json *);	/* add to the object just closed */
void	json_arr_open(struct json *, const char *);
void	json_arr_close(struct json *);
void	json_str(struct json *, const char *, const char *);	/* NULL value: null */
void	json_u64(struct json *, const char *, uint64_t);
void	json_i64(struct json *, const char *, int64_t);
void	json_bool(struct json *, const char *, bool);
void	json_null(struct json *, const char *);
void	json_escape(struct strbuf *, const char *);
void	json_bytes(struct json *, const char *, const char *);	/* + key_b64 */

#endif
