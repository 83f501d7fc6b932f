#!/usr/bin/env bash
# Benchmark (not a test): import a generated WordPress export (WXR) with many comments.
#
# Generates a WXR file with threaded comments (some signed by a known official, some
# held, spam or in the trash), creates the department and official they name, then
# imports it with the release binary under /usr/bin/time and prints the elapsed time
# and the peak memory (maximum resident set size). Imports the same file a second
# time too (it must add nothing).
#
# Environment (all optional):
#   COMMENTS        comments in the file                     (default 100000)
#   POSTS           posts they are spread over               (default 100)
#   ANSWERABLE_BIN  use this binary instead of building target/release/answerable
#   DATABASE_URL    import into this (empty) database instead of a temporary SQLite file
#   KEEP            set to keep the generated file and database (their folder is printed)
# Shell functions shared with the other bench/ scripts: bench/lib.sh.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

COMMENTS="${COMMENTS:-100000}"
POSTS="${POSTS:-100}"
positive_ints bench COMMENTS POSTS

cd "$(dirname "${BASH_SOURCE[0]}")/.."
tmp="$(mktemp -d -t answerable-import.XXXXXX)"
if [ -n "${KEEP:-}" ]; then echo "keeping $tmp"; else trap 'rm -rf "$tmp"' EXIT; fi

if [ -z "${ANSWERABLE_BIN:-}" ]; then
    cargo build --release --quiet
    ANSWERABLE_BIN="target/release/answerable"
fi
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is needed (apt-get install time)" >&2; exit 2; }

file="$tmp/export.xml"
python3 - "$file" "$COMMENTS" "$POSTS" <<'PY'
import random, sys
from datetime import datetime, timedelta
path, comments, posts = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(7)
words = ("log-in laptop browser printer VPN firewall video case-work mouse keyboard minutes "
         "every morning since slow broken again office team update fixed waiting").split()
names = ["Sam Smith", "Alex Brown", "Dana White", "Erin Black", "Fay Gold", "Gus Grey", "Kim Ray", "Lee Ash"]
start = datetime(2019, 1, 7, 9, 0, 0)
def esc(s): return s.replace("]]>", "]]]]><![CDATA[>")
with open(path, "w") as out:
    w = out.write
    w('<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
      'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n'
      '<title>Bench blog</title><link>https://bench.example.gov</link>\n<wp:wxr_version>1.2</wp:wxr_version>\n'
      '<wp:base_site_url>https://bench.example.gov</wp:base_site_url>\n')
    cid = 1000
    per_post = comments // posts
    for p in range(posts):
        n = per_post + (1 if p < comments % posts else 0)
        when = start + timedelta(days=7 * p)
        w(f'<item><title>Update {p + 1}: we are fixing IT</title>\n<dc:creator><![CDATA[admin]]></dc:creator>\n'
          f'<content:encoded><![CDATA[<p>Week {p + 1} of the plan. Tell us what gets in your way.</p>]]></content:encoded>\n'
          f'<wp:post_id>{p + 1}</wp:post_id><wp:post_date_gmt>{when:%Y-%m-%d %H:%M:%S}</wp:post_date_gmt>\n'
          f'<wp:comment_status>open</wp:comment_status><wp:post_name>update-{p + 1}</wp:post_name>'
          f'<wp:status>publish</wp:status><wp:post_type>post</wp:post_type>\n'
          '<category domain="category" nicename="it"><![CDATA[IT]]></category>\n')
        recent = []  # (id, depth)
        t = when
        for _ in range(n):
            cid += 1
            t += timedelta(minutes=rng.randint(1, 90))
            parent, depth = 0, 0
            if recent and rng.random() < 0.7:
                parent, pdepth = rng.choice(recent[-20:])
                depth = pdepth + 1
            author = rng.choice(names)
            text = " ".join(rng.choice(words) for _ in range(rng.randint(8, 40))).capitalize() + "."
            if parent and rng.random() < 0.05:
                author, text = "JD", text + "\n\nJane Doe, Chief Technology Officer, DWP"
            status = rng.choices(["1", "0", "spam", "trash"], [90, 4, 4, 2])[0]
            w(f'<wp:comment><wp:comment_id>{cid}</wp:comment_id><wp:comment_author><![CDATA[{author}]]></wp:comment_author>'
              f'<wp:comment_author_email>{author.split()[0].lower()}@example.gov</wp:comment_author_email>\n'
              f'<wp:comment_date_gmt>{t:%Y-%m-%d %H:%M:%S}</wp:comment_date_gmt>'
              f'<wp:comment_content><![CDATA[{esc(text)}]]></wp:comment_content>\n'
              f'<wp:comment_approved>{status}</wp:comment_approved><wp:comment_type>comment</wp:comment_type>'
              f'<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>\n')
            if depth < 8:
                recent.append((cid, depth))
        w('</item>\n')
    w('</channel>\n</rss>\n')
PY

export ANSWERABLE_DATA_DIR="$tmp/data" RUST_LOG=warn
"$ANSWERABLE_BIN" department create --name "Department for Work and Pensions" --acronym DWP >/dev/null
echo "a long bench password" | "$ANSWERABLE_BIN" user create --email jane.doe@dwp.example.gov --name "Jane Doe" --password-stdin >/dev/null
"$ANSWERABLE_BIN" official grant --email jane.doe@dwp.example.gov --department DWP --title "Chief Technology Officer" >/dev/null

echo "WXR file: $(du -h "$file" | cut -f1), $COMMENTS comments on $POSTS posts"
for run in first second; do
    /usr/bin/time -v -o "$tmp/time.txt" "$ANSWERABLE_BIN" import wxr "$file" >"$tmp/summary.txt"
    elapsed="$(grep 'Elapsed (wall clock)' "$tmp/time.txt" | awk '{print $NF}')"
    rss_kb="$(grep 'Maximum resident set size' "$tmp/time.txt" | awk '{print $NF}')"
    cpu="$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%.1f", s}' "$tmp/time.txt")"
    echo "$run import: elapsed $elapsed (CPU ${cpu} s), peak RSS $((rss_kb / 1024)) MB"
    sed -n '1,4p' "$tmp/summary.txt" | sed 's/^/    /'
done
