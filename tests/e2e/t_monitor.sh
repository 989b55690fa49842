# -check as the monitoring systems read it (issue 25): the Prometheus file
# passes promtool's lint, the plugin line keeps the characters Nagios
# treats specially out of its text, and -prom says when node_exporter
# will not read the file.
plan 19
DB="$T/db"
mkcert soon -days 5
mkdated gone -13 12
mkdir -p "$T/ba"
cat >"$T/ba/dsm.sys" <<'SYS'
SErvername SOON
   TCPServeraddress soon.example.com
SErvername GONE
   TCPServeraddress gone.example.com
SYS
printf 'SErvername SOON\n' >"$T/ba/dsm.opt"
cat >"$T/inv.conf" <<INV
[dsmcert]
keydb = $DB

[dm1]
type = node
role = datamover
optfile = ba/dsm.opt
servers = SOON GONE

[SRVSOON]
type = server
address = soon.example.com
version = 8.1.14
autocert = no

[SRVEXP]
type = server
address = gone.example.com
version = 8.1.14
autocert = no
INV
export DSMCERT_CONF="$T/inv.conf"
dsm -add -server SRVSOON -label "soon;it's|odd" -file "$T/soon.pem"
expect 0 "a label with ; ' and |"
dsm -add -server SRVEXP -file "$T/gone.pem" -force
expect 0 "an expired one, with -force"

mkdir -p "$T/textfile"
dsm -check -prom "$T/textfile/dsmcert.prom"
expect 2 "CRITICAL: one has expired"
line=$(head -n 1 "$T/out")
echo "# $line"
text=${line%% | *}
case $text in
*"SRVEXP expired "*"soon"*"expires in"*) ok "two problems in the summary" ;;
*) nok "two problems in the summary: $text" ;;
esac
case $text in
*";"*) nok "no ';' in the plugin text: $text" ;;
*) ok "no ';' in the plugin text" ;;
esac
case $text in
*"|"*) nok "no '|' in the plugin text: $text" ;;
*) ok "no '|' in the plugin text" ;;
esac
assert "one '|' on the line: the one before the performance data" \
    [ "$(printf '%s' "$line" | tr -cd '|' | wc -c)" -eq 1 ]
assert "the long output has no '|' either" \
    sh -c "! tail -n +2 '$T/out' | grep -q '|'"
perf=${line#* | }
case $perf in
*"'soon;it''s_odd'="*) ok "perfdata label quoted, ' doubled" ;;
*) nok "perfdata label quoted, ' doubled: $perf" ;;
esac
assert "a .prom file: no note" \
    sh -c "! grep -q 'reads only files whose names end in' '$T/err'"

# Base units, as promtool wants them; the series alert rules use stay.
P="$T/textfile/dsmcert.prom"
for m in dsmcert_check_status dsmcert_check_timestamp_seconds \
    dsmcert_certificate_not_after_seconds; do
	assert "$m is still there" grep -q "^$m[{ ]" "$P"
done
assert "no family in days" sh -c "! grep -q '_days' '$P'"
if command -v promtool >/dev/null 2>&1; then
	promtool check metrics <"$P" >"$T/lint" 2>&1
	assert "promtool check metrics: clean" [ $? -eq 0 ]
	sed 's/^/#   promtool: /' "$T/lint"
else
	skip 1 "promtool is not installed (Debian package prometheus)"
fi

dsm -check -prom "$T/textfile/dsmcert.txt"
expect 2 "-prom x.txt is written all the same"
assert "it is there" [ -f "$T/textfile/dsmcert.txt" ]
err_has "reads only files whose names end in \\.prom" \
    "with a note that node_exporter reads only *.prom"
