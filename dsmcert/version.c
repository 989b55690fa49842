#include "dsmcert/version.h"

const char dsmcert_version[] = DSMCERT_VERSION;
