#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "dsmcert/cli.h"
#include "dsmcert/trust/inventory.h"
#include "dsmcert/locate.h"
#include "dsmcert/optpaths.h"
#include "dsmcert/render.h"
#include "dsmcert/where_nodes.h"

/*
 * -where, per node of the inventory: the option files that node uses,
 * its dsm.sys found as the client of its kind finds it, and why. An
 * inventory that cannot be read adds nothing here: the commands that
 * need it say why.
 */

static enum sysfind_kind
kind_of(const struct inv_node *n)
{
	return n->role == INV_CLIENT ? SYSFIND_CLIENT : SYSFIND_API;
}

json_t *
where_nodes(const struct opts *o)
{
	struct location conf = { 0 };
	struct inventory inv;
	json_t *a = o->json ? json_array() : NULL;

	locate_config(o, &conf);
	if (access(conf.path, F_OK) != 0 ||
	    inventory_load(conf.path, &inv) != 0) {
		location_free(&conf);
		return a;
	}
	location_free(&conf);
	for (size_t i = 0; i < inv.nnodes; i++) {
		const struct inv_node *n = &inv.nodes[i];
		struct optpaths p;

		optpaths_resolve_node(n->optfile, "the inventory", kind_of(n),
		    n->sysfile, &p);
		if (a != NULL)
			json_array_append_new(a, json_pack("{s:o, s:s, s:o?, "
			    "s:o, s:o, s:b}", "node", json_text(n->name),
			    "role", inv_role_name(n->role),
			    "dsm_opt", json_text(p.opt),
			    "dsm_sys", json_text(p.sys),
			    "why", json_text(p.sys_why),
			    "exists", p.sys_exists));
		else
			printf("%-8s %s (%s): dsm.sys %s (%s%s)\n", "node:",
			    n->name, inv_role_name(n->role), p.sys,
			    p.sys_why, p.sys_exists ? "" : "; absent");
		optpaths_free(&p);
	}
	inventory_free(&inv);
	return a;
}
