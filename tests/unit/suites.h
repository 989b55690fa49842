/*
 * Every unit suite, one line each: SUITE(name) declares and runs
 * Suite *name_suite(void), defined in tests/unit/test_<name>.c.
 */
SUITE(smoke)
SUITE(common)
SUITE(srvversion)
SUITE(inventory)
SUITE(policy)
SUITE(jsontext)
SUITE(escape)
SUITE(cli)
SUITE(keydb)
SUITE(optfile)
SUITE(optfile_edit)
SUITE(optfile_fuzz)
SUITE(optcache)
SUITE(model)
SUITE(sysfind)
SUITE(identity)
SUITE(common_str)
SUITE(judge)
