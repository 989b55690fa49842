#ifndef DSMCERT_TESTS_UNIT_H
#define DSMCERT_TESTS_UNIT_H

#include <check.h>

#define SUITE(name) Suite *name##_suite(void);
#include "tests/unit/suites.h"
#undef SUITE

#endif
