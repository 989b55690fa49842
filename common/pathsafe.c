#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/common.h"

/*
 * Root among users who are not. A path that passes through a directory
 * or a symbolic link owned by another user is that user's to point
 * anywhere: ln -s /etc/passwd dsm.opt in their own directory, and root
 * would edit the password file. So, run as root, such a path is used
 * only when that user owns the file it leads to as well.
 */

#define MAXHOPS 40

struct owner {
	uid_t uid;
	int link;
	char what[PATH_MAX + 16];	/* the link or directory */
};

static void
user_name(uid_t uid, char *buf, size_t len)
{
	struct passwd *pw = getpwuid(uid);

	if (pw != NULL)
		snprintf(buf, len, "%s", pw->pw_name);
	else
		snprintf(buf, len, "uid %ld", (long)uid);
}

static void
note(struct owner *o, uid_t uid, const char *kind, const char *path)
{
	int link = strcmp(kind, "link") == 0;

	/* The first one found, a link rather than a directory. */
	if (uid == 0 || (o->uid != 0 && (o->link || !link)))
		return;
	o->uid = uid;
	o->link = link;
	snprintf(o->what, sizeof(o->what), "%s %s", kind, path);
}

int
path_check_owner(const char *path, char *why, size_t whylen)
{
	char cur[PATH_MAX], rest[PATH_MAX * 2], link[PATH_MAX], next[PATH_MAX];
	struct owner o = { 0, 0, "" };
	struct stat st;
	int hops = 0;
	char *comp, *save;

	if (geteuid() != 0)
		return CM_OK;
	if (path[0] == '/')
		snprintf(cur, sizeof(cur), "/");
	else if (getcwd(cur, sizeof(cur)) == NULL)
		return CM_OK;
	snprintf(rest, sizeof(rest), "%s", path);
	while (rest[0] != '\0') {
		/* Take the first component off rest. */
		comp = rest + strspn(rest, "/");
		save = comp + strcspn(comp, "/");
		snprintf(next, sizeof(next), "%.*s", (int)(save - comp), comp);
		memmove(rest, save, strlen(save) + 1);
		if (next[0] == '\0' || strcmp(next, ".") == 0)
			continue;
		if (strcmp(next, "..") == 0) {
			char *s = strrchr(cur, '/');

			if (s != NULL && s != cur)
				*s = '\0';
			else
				snprintf(cur, sizeof(cur), "/");
			continue;
		}
		if (stat(cur, &st) == 0)
			note(&o, st.st_uid, "directory", cur);
		if (strlen(cur) + strlen(next) + 2 > sizeof(cur))
			return CM_OK;
		if (strcmp(cur, "/") != 0)
			strcat(cur, "/");
		strcat(cur, next);
		if (lstat(cur, &st) != 0)
			break;	/* not there (yet): nothing to protect */
		if (!S_ISLNK(st.st_mode))
			continue;
		note(&o, st.st_uid, "link", cur);
		if (++hops > MAXHOPS) {
			errno = ELOOP;
			return CM_ERRNO;
		}
		ssize_t n = readlink(cur, link, sizeof(link) - 1);
		if (n < 0)
			return CM_ERRNO;
		link[n] = '\0';
		/* The link's own directory, for a relative target. */
		char *s = strrchr(cur, '/');
		if (s != NULL && s != cur)
			*s = '\0';
		else
			snprintf(cur, sizeof(cur), "/");
		if (link[0] == '/')
			snprintf(cur, sizeof(cur), "/");
		if (strlen(link) + strlen(rest) + 2 > sizeof(rest))
			return CM_OK;
		memmove(rest + strlen(link) + 1, rest, strlen(rest) + 1);
		memcpy(rest, link, strlen(link));
		rest[strlen(link)] = '/';
	}
	if (o.uid == 0 || stat(path, &st) != 0 || st.st_uid == o.uid)
		return CM_OK;
	{
		char user[64], target[64];

		user_name(o.uid, user, sizeof(user));
		user_name(st.st_uid, target, sizeof(target));
		snprintf(why, whylen, "reached through %s, which belongs to %s, "
		    "but the file it leads to belongs to %s; as root, dsmcert "
		    "uses it only when %s owns it too", o.what, user, target,
		    user);
	}
	return CM_UNSAFE;
}
