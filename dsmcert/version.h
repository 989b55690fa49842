#ifndef DSMCERT_VERSION_H
#define DSMCERT_VERSION_H
extern const char dsmcert_version[];
#endif
