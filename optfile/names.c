#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/common.h"
#include "optfile/internal.h"

/*
 * The options this tool understands, once. The upper-case part of each
 * spelling is its shortest abbreviation, as in the client's manuals; min
 * repeats it as a number (a unit test keeps the two in step). Options
 * that share a prefix with one of these (INCLude beside INCLEXCL) are
 * listed too, so that their own abbreviations are not taken for too
 * short a form of ours.
 */

static const char *const yesno[] = { "YES", "NO", NULL };
static const char *const sslreq[] = {
	"DEFAULT", "YES", "NO", "SERVERonly", NULL
};
static const char *const pwaccess[] = { "PRompt", "GENerate", NULL };

#define STR(n, m, home) { n, m, OPTFILE_STRING, NULL, NULL, NULL, home }

const struct optfile_optdef optfile_opts[] = {
	/* stanzas and the choice of one */
	STR("SErvername", 2, OPTFILE_HOME_OPT),
	STR("DEFAULTServer", 8, OPTFILE_HOME_HEAD),
	STR("MIGRATEServer", 8, OPTFILE_HOME_HEAD),
	STR("REPLSERVERName", 11, OPTFILE_HOME_SYS),
	STR("MYREPLICATIONServer", 14, OPTFILE_HOME_SYS),
	STR("REPLSERVERGuid", 11, OPTFILE_HOME_SYS),
	STR("REPLTCPServeraddress", 8, OPTFILE_HOME_SYS),
	{ "REPLTCPPort", 8, OPTFILE_PORT, NULL, NULL, NULL,
	    OPTFILE_HOME_SYS },
	{ "REPLSSLPort", 8, OPTFILE_PORT, NULL, NULL, NULL,
	    OPTFILE_HOME_SYS },

	/* reaching the server */
	{ "COMMMethod", 5, OPTFILE_STRING, NULL, "TCPIP", NULL,
	    OPTFILE_HOME_SYS },
	{ "TCPServeraddress", 4, OPTFILE_STRING, NULL, "localhost", NULL,
	    OPTFILE_HOME_SYS },
	{ "TCPPort", 4, OPTFILE_PORT, NULL, "1500", NULL,
	    OPTFILE_HOME_SYS },
	{ "TCPADMINPort", 9, OPTFILE_PORT, NULL, NULL, "TCPPort",
	    OPTFILE_HOME_SYS },
	STR("TCPCLIENTAddress", 10, OPTFILE_HOME_SYS),
	{ "TCPCLIENTPort", 10, OPTFILE_PORT, NULL, NULL, NULL,
	    OPTFILE_HOME_SYS },

	/* session security */
	{ "SSL", 3, OPTFILE_YESNO, yesno, "NO", NULL, OPTFILE_HOME_SYS },
	{ "SSLACCEPTCERTFROMSERV", 21, OPTFILE_YESNO, yesno, "YES", NULL,
	    OPTFILE_HOME_SYS },
	{ "SSLREQuired", 6, OPTFILE_ENUM, sslreq, "DEFAULT", NULL,
	    OPTFILE_HOME_SYS },
	{ "SSLFIPSMODE", 11, OPTFILE_YESNO, yesno, "NO", NULL,
	    OPTFILE_HOME_SYS },
	{ "SSLDISABLELEGACYtls", 16, OPTFILE_YESNO, yesno, "NO", NULL,
	    OPTFILE_HOME_SYS },

	/* who the node is */
	STR("NODename", 3, OPTFILE_HOME_SYS),
	STR("ASNODEname", 6, OPTFILE_HOME_SYS),
	{ "PASSWORDAccess", 9, OPTFILE_ENUM, pwaccess, "PROMPT", NULL,
	    OPTFILE_HOME_SYS },
	STR("PASSWORDDIR", 11, OPTFILE_HOME_SYS),

	/* carried through */
	STR("ERRORLOGName", 9, OPTFILE_HOME_SYS),
	STR("SCHEDLOGName", 9, OPTFILE_HOME_SYS),
	STR("INCLEXCL", 8, OPTFILE_HOME_SYS),
	{ "INCLude", 4, OPTFILE_STRING, NULL, NULL, NULL,
	    OPTFILE_HOME_SYS },
	{ "EXCLude", 4, OPTFILE_STRING, NULL, NULL, NULL,
	    OPTFILE_HOME_SYS },
	{ "DOMain", 3, OPTFILE_STRING, NULL, NULL, NULL,
	    OPTFILE_HOME_OPT },
	STR("MANAGEDServices", 8, OPTFILE_HOME_SYS),
	STR("VMCHOST", 7, OPTFILE_HOME_SYS),
	{ "ENABLELanfree", 7, OPTFILE_YESNO, yesno, "NO", NULL,
	    OPTFILE_HOME_SYS },
	STR("LANFREECommmethod", 8, OPTFILE_HOME_SYS),
	STR("LANFREETCPServeraddress", 11, OPTFILE_HOME_SYS),
	{ "LANFREETCPPort", 11, OPTFILE_PORT, NULL, "1500", NULL,
	    OPTFILE_HOME_SYS },
};
const size_t optfile_nopts = sizeof(optfile_opts) / sizeof(optfile_opts[0]);

/*
 * The options that accumulate, once: the client uses every line of them,
 * in file order, where of any other option it uses the last. They are
 * its include-exclude statements (INCLude, EXCLude and every INCLUDE.x
 * and EXCLUDE.x: EXCLUDE.DIR, EXCLUDE.FS, INCLUDE.FS, ...) and the files
 * that hold more of them (INCLEXCL), its domains (DOMain and every
 * DOMAIN.x: DOMAIN.IMAGE, DOMAIN.VMFULL, ...), VIRTUALMountpoint and
 * TESTFLAG. Most are not in the table above: nothing here checks their
 * values, and the client's abbreviations of the dotted ones are not all
 * documented. A name ending in ".*" stands for every name that starts
 * with what comes before the "*"; the others are abbreviated as option
 * names are, down to their upper-case part.
 */
static const char *const accumulating[] = {
	"INCLude", "INCLUDE.*", "EXCLude", "EXCLUDE.*", "INCLEXCL",
	"DOMain", "DOMAIN.*", "VIRTUALMountpoint", "TESTFLAG",
};

const struct optfile_optdef *const of_servername = &optfile_opts[0];
const struct optfile_optdef *const of_defaultserver = &optfile_opts[1];
const struct optfile_optdef *const of_replservername = &optfile_opts[3];

/*
 * Is word a valid abbreviation of spelling (at least min letters)?
 * Returns 1 if so, -1 if it is a prefix but too short, 0 otherwise.
 */
static int
abbrev(const char *word, size_t wlen, const char *spelling, size_t min)
{
	size_t slen = strlen(spelling);

	if (wlen == 0 || wlen > slen || strncasecmp(word, spelling, wlen) != 0)
		return 0;
	return wlen >= min ? 1 : -1;
}

int
optfile_lookup(const char *name, const struct optfile_optdef **def)
{
	size_t wlen = strlen(name);
	const struct optfile_optdef *hit = NULL, *shortof[2] = { NULL, NULL };
	size_t nshort = 0;

	*def = NULL;
	for (size_t i = 0; i < optfile_nopts; i++) {
		int r;

		/*
		 * Every option line comes here: the first letter rules out
		 * most of the table before a string compare.
		 */
		if (tolower((unsigned char)name[0]) !=
		    tolower((unsigned char)optfile_opts[i].name[0]))
			continue;
		r = abbrev(name, wlen, optfile_opts[i].name,
		    optfile_opts[i].min);

		if (r > 0) {
			/* The table is built so that this cannot happen. */
			if (hit != NULL)
				return of_fail(OPTFILE_ENAME,
				    "%s is ambiguous: %s or %s", name,
				    hit->name, optfile_opts[i].name);
			hit = &optfile_opts[i];
		} else if (r < 0) {
			if (nshort < 2)
				shortof[nshort] = &optfile_opts[i];
			nshort++;
		}
	}
	if (hit != NULL) {
		*def = hit;
		return OPTFILE_OK;
	}
	if (nshort == 1)
		return of_fail(OPTFILE_ENAME,
		    "%s is too short for %s (at least %.*s)", name,
		    shortof[0]->name, (int)shortof[0]->min, shortof[0]->name);
	if (nshort > 1)
		return of_fail(OPTFILE_ENAME,
		    "%s is ambiguous: %s, %s%s", name, shortof[0]->name,
		    shortof[1]->name, nshort > 2 ? " and others" : "");
	return OPTFILE_OK;
}

int
optfile_accumulates(const char *name)
{
	size_t wlen = strlen(name);

	for (size_t i = 0; i < sizeof(accumulating) / sizeof(*accumulating);
	    i++) {
		const char *a = accumulating[i];
		size_t alen = strlen(a), min = 0;

		if (tolower((unsigned char)name[0]) !=
		    tolower((unsigned char)a[0]))
			continue;
		if (a[alen - 1] == '*') {
			if (wlen >= alen && strncasecmp(name, a, alen - 1) == 0)
				return 1;
			continue;
		}
		while (a[min] != '\0' && !islower((unsigned char)a[min]))
			min++;
		if (abbrev(name, wlen, a, min) > 0)
			return 1;
	}
	return 0;
}

static char *
upper(const char *s)
{
	char *p = xstrdup(s);

	for (char *q = p; *q; q++)
		*q = (char)toupper((unsigned char)*q);
	return p;
}

static int
check_port(const struct optfile_optdef *def, const char *value, char **canon)
{
	char *end;
	long n;
	char buf[8];

	if (!isdigit((unsigned char)value[0]))
		goto bad;
	errno = 0;
	n = strtol(value, &end, 10);
	if (errno != 0 || *end != '\0' || n < 1 || n > 32767)
		goto bad;
	if (canon != NULL) {
		snprintf(buf, sizeof(buf), "%ld", n);
		*canon = xstrdup(buf);
	}
	return OPTFILE_OK;
bad:
	return of_fail(OPTFILE_EVALUE,
	    "%s: \"%s\" is not a port number (1-32767)", def->name, value);
}

static int
check_choice(const struct optfile_optdef *def, const char *value,
    char **canon)
{
	size_t vlen = strlen(value);
	char list[128] = "";

	for (const char *const *c = def->choices; *c != NULL; c++) {
		size_t min = 0;

		while ((*c)[min] != '\0' && !islower((unsigned char)(*c)[min]))
			min++;
		/* YES/NO stay whole words: the client takes no "Y". */
		if (def->type == OPTFILE_YESNO)
			min = strlen(*c);
		if (abbrev(value, vlen, *c, min) > 0) {
			if (canon != NULL)
				*canon = upper(*c);
			return OPTFILE_OK;
		}
	}
	for (const char *const *c = def->choices; *c != NULL; c++) {
		if (c != def->choices)
			strncat(list, c[1] == NULL ? " or " : ", ",
			    sizeof(list) - strlen(list) - 1);
		strncat(list, *c, sizeof(list) - strlen(list) - 1);
	}
	return of_fail(OPTFILE_EVALUE, "%s: \"%s\" is not %s", def->name,
	    value, list);
}

int
optfile_check_value(const struct optfile_optdef *def, const char *value,
    char **canon)
{
	if (canon != NULL)
		*canon = NULL;
	if (value == NULL)
		value = "";
	for (const char *p = value; *p; p++)
		if (*p == '\n' || *p == '\r')
			return of_fail(OPTFILE_EVALUE,
			    "%s: a value cannot hold a line break",
			    def != NULL ? def->name : "option");
	if (def == NULL || def->type == OPTFILE_STRING) {
		if (def != NULL && value[0] == '\0')
			return of_fail(OPTFILE_EVALUE, "%s needs a value",
			    def->name);
		if (canon != NULL)
			*canon = xstrdup(value);
		return OPTFILE_OK;
	}
	if (def->type == OPTFILE_PORT)
		return check_port(def, value, canon);
	return check_choice(def, value, canon);
}
