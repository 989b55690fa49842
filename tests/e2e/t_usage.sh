# dsmcert with no arguments is a usage error: a script whose argument list
# came out empty must not "succeed". -help is the way to ask for help.
plan 14

dsm
expect 1 "no arguments: exit status 1"
err_has '^usage: dsmcert -COMMAND \[flags\]$' "the usage goes to stderr"
err_has '^  -add ' "with the commands"
if [ -s "$T/out" ]; then nok "something on stdout"; sed 's/^/#   out: /' "$T/out"
else ok "nothing on stdout"; fi
cp "$T/err" "$T/usage"

# A script that passes on an empty list of words.
set --
dsm "$@"
expect 1 "an empty argument list from a script: exit status 1"

dsm -help
expect 0 "-help: exit status 0"
same "$T/usage" "$T/out" "-help prints the same text, on stdout"
if [ -s "$T/err" ]; then nok "-help wrote to stderr"; else
	ok "-help writes nothing to stderr"; fi

dsm ''
expect 1 "one empty word: no command, exit status 1"
err_has 'no command given' "and says so"

# A command that takes a word (-gen csr, -ca create) takes -help after it
# as the request for its help, not as that word.
dsm -gen -help
expect 0 "-gen -help: exit status 0"
out_has '^usage: dsmcert -gen csr ' "-gen -help prints -gen's usage"
dsm -ca -help
expect 0 "-ca -help: exit status 0"
out_has '^usage: dsmcert -ca create ' "-ca -help prints -ca's usage"
