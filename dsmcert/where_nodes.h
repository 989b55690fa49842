#ifndef DSMCERT_WHERE_NODES_H
#define DSMCERT_WHERE_NODES_H

#include <jansson.h>

#include "dsmcert/cli.h"

/*
 * The dsm.sys of each inventory node and why: printed as -where's lines,
 * or with -json returned as an array (empty without an inventory).
 */
json_t *where_nodes(const struct opts *);

#endif
