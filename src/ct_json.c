/*
 * ct_json.c - engines' JSON state (docker's config.v2.json,
 * containers/storage's containers.json, runc's state.json) through
 * jansson, with nsfind's own limits on top: the caller bounds the size
 * (read_small), this bounds the nesting before jansson sees the text, so
 * a hostile file costs neither stack nor much memory.  Values come back
 * as new C strings only when they are strings without NUL.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ct.h"

/*
 * Whether the nesting of TEXT stays within MAX_DEPTH, counting brackets
 * outside strings.  Malformed text is left for jansson to refuse.
 */
static int
depth_ok(const char *text, size_t len)
{
	size_t i, depth = 0;
	int instr = 0;

	for (i = 0; i < len; i++) {
		char ch = text[i];

		if (instr) {
			if (ch == '\\')
				i++;
			else if (ch == '"')
				instr = 0;
		} else if (ch == '"')
			instr = 1;
		else if (ch == '{' || ch == '[') {
			if (++depth > MAX_DEPTH)
				return 0;
		} else if ((ch == '}' || ch == ']') && depth > 0)
			depth--;
	}
	return 1;
}

static json_t *
load(const char *text, size_t len)
{
	json_error_t err;

	if (text == NULL || len > MAX_FILE || !depth_ok(text, len))
		return NULL;
	return json_loadb(text, len, 0, &err);
}

/* A copy of string V; NULL for anything else. */
static char *
str_of(const json_t *v)
{
	if (!json_is_string(v) || json_string_length(v) == 0)
		return NULL;
	return strndup(json_string_value(v), json_string_length(v));
}

/* The string member KEY of the top-level object ("Name" in docker's config). */
char *
json_top_string(const char *text, size_t len, const char *key)
{
	json_t *root;
	char *r = NULL;

	if ((root = load(text, len)) == NULL)
		return NULL;
	if (json_is_object(root))
		r = str_of(json_object_get(root, key));
	json_decref(root);
	return r;
}

/* The integer member KEY of the top-level object, or -1. */
long long
json_top_int(const char *text, size_t len, const char *key)
{
	json_t *root, *v;
	long long r = -1;

	if ((root = load(text, len)) == NULL)
		return -1;
	if (json_is_object(root) &&
	    json_is_integer(v = json_object_get(root, key)))
		r = json_integer_value(v);
	json_decref(root);
	return r;
}

/*
 * containers/storage's containers.json, shared by podman and CRI-O: an
 * array of {"id": ..., "names": [...]}.  Returns the first name of ID.
 * A file torn mid-write is not a document and names nothing.
 */
char *
json_storage_name(const char *text, size_t len, const char *id)
{
	json_t *root, *e, *eid, *n;
	char *r = NULL;
	size_t i, k;

	if (id == NULL || (root = load(text, len)) == NULL)
		return NULL;
	json_array_foreach(root, i, e) {
		eid = json_object_get(e, "id");
		if (!json_is_string(eid) || strcmp(json_string_value(eid), id))
			continue;
		/* The first name that is a string, as containers/storage does. */
		json_array_foreach(json_object_get(e, "names"), k, n)
			if ((r = str_of(n)) != NULL)
				break;
		break;
	}
	json_decref(root);
	return r;
}
