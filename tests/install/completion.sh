#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The bash completions of kcage and policyc (dist/bash-completion/), on
# the host, without root: each file parses (bash -n), then completions
# are simulated (COMP_WORDS, COMP_CWORD, COMP_LINE, COMP_POINT, then the
# function that "complete -p" names) against a made-up modules.dep,
# /proc/modules and directory, and COMPREPLY is checked.  The cases run
# twice: in a bash without the bash-completion package ("plain"), and
# with its main file sourced ("bash-completion"; skipped if it is not
# installed).
#
#   tests/install/completion.sh
#
# Prints "PASS install/completion/NAME" or "FAIL install/completion/NAME:
# why" per case; exits 1 if any failed.
#
# KCAGE_COMPLETION_DIR: the completion files (default dist/bash-completion)
# KCAGE_BASH_COMPLETION: bash-completion's main file
#                        (default /usr/share/bash-completion/bash_completion)

set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
comp_dir=${KCAGE_COMPLETION_DIR:-$root/dist/bash-completion}
bc_main=${KCAGE_BASH_COMPLETION:-/usr/share/bash-completion/bash_completion}

failed=0

pass()
{
    echo "PASS install/completion/$1"
}

fail()
{
    echo "FAIL install/completion/$1: $2"
    failed=1
}

# ---------------------------------------------------------------------------
# The cases, run in a child bash (--inner MODE TMP): one mode each.

# Simulate pressing TAB at the end of $1, as readline splits it: words at
# blanks, and '=' (in COMP_WORDBREAKS) a word of its own.  Sets COMPREPLY;
# what the function wrote to standard error goes to $tmp/stderr.
complete_line()
{
    local line=$1 spec fn

    COMP_LINE=$line
    COMP_POINT=${#line}
    COMP_TYPE=9
    COMP_KEY=9
    read -ra COMP_WORDS <<<"${line//=/ = }"
    [[ -z $line || $line == *[[:blank:]] ]] && COMP_WORDS+=("")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMPREPLY=()
    spec=$(complete -p "${COMP_WORDS[0]}" 2>/dev/null)
    fn=${spec##*-F }
    fn=${fn%% *}
    if [[ -z $spec || $fn == "$spec" ]]; then
        echo "no 'complete -F' for ${COMP_WORDS[0]}" >"$tmp/stderr"
        return 1
    fi
    "$fn" "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" \
        "${COMP_WORDS[COMP_CWORD - 1]:-}" 2>"$tmp/stderr"
    return 0
}

# The start of file $1, on one line.
oneline()
{
    head -c 200 "$1" | tr '\n' ' '
}

# The sorted, unique words of "$@", on one line.
words_of()
{
    (($#)) || return 0
    printf '%s\n' "$@" | sort -u | tr '\n' ' ' | sed 's/ $//'
}

# check NAME LINE WORD...: completing LINE gives exactly WORDs (no WORD:
# nothing), and nothing on standard error.
check()
{
    local name=$mode/$1 line=$2 want got

    shift 2
    want=$(words_of "$@")
    if ! complete_line "$line"; then
        fail "$name" "$(cat "$tmp/stderr")"
        return
    fi
    got=$(words_of "${COMPREPLY[@]}")
    if [[ -s $tmp/stderr ]]; then
        fail "$name" "'$line' wrote to stderr: $(oneline "$tmp/stderr")"
    elif [[ $got != "$want" ]]; then
        fail "$name" "'$line' gave [$got], expected [$want]"
    else
        pass "$name"
    fi
}

inner()
{
    mode=$1
    tmp=$2

    if [[ $mode == bash-completion ]]; then
        # shellcheck source=/dev/null
        if ! . "$bc_main" >"$tmp/stderr" 2>&1 ||
            ! declare -F _init_completion >/dev/null; then
            fail "$mode/load" \
                "sourcing $bc_main failed: $(oneline "$tmp/stderr")"
            return 1
        fi
    elif declare -F _init_completion >/dev/null; then
        fail "$mode/load" "_init_completion is defined in a plain bash"
        return 1
    fi
    # shellcheck source=/dev/null
    if ! . "$comp_dir/kcage" || ! . "$comp_dir/policyc"; then
        fail "$mode/load" "sourcing the completion files failed"
        return 1
    fi
    pass "$mode/load"

    export KCAGE_MODULES_DEP=$tmp/modules.dep
    export KCAGE_PROC_MODULES=$tmp/proc-modules
    cd "$tmp/cwd" || return 1

    # kcage: commands
    check subcommands 'kcage ' \
        load unload status monitor mode release policy help
    check subcommand-prefix 'kcage mo' mode monitor
    check top-options 'kcage --' --help --version
    check help-command 'kcage help re' release
    check policy-subcommands 'kcage policy ' \
        list show load load-all remove

    # kcage load
    check load-options 'kcage load --' \
        --policy --audit --policy-dir --on-policy-error --help
    check load-module-names 'kcage load e10' e1000 e1000e
    check load-module-names-and-files 'kcage load mo' mod.ko mousedev
    check load-ko-path 'kcage load ./m' ./mod.ko
    check load-on-policy-error 'kcage load --on-policy-error ' refuse audit
    check load-on-policy-error-equals 'kcage load --on-policy-error=au' audit
    check load-policy-kcp 'kcage load --policy ' foo.kcp sub
    check load-policy-short 'kcage load -p f' foo.kcp
    check load-policy-dir 'kcage load --policy-dir s' sub
    check load-after-options 'kcage load --audit --policy-dir sub e1000' \
        e1000 e1000e
    check load-params 'kcage load e1000 --' # what follows are parameters
    KCAGE_MODULES_DEP=$tmp/missing check load-no-modules-dep 'kcage load e10'

    # kcage commands on loaded modules
    check mode-modules 'kcage mode kc' kc_hello kc_forms
    check mode-values 'kcage mode x ' audit enforce
    check mode-done 'kcage mode x audit '
    check unload-modules 'kcage unload kc_f' kc_forms
    check release-modules 'kcage release ' kc_hello kc_forms e1000
    check status-options 'kcage status --' --json --help
    check status-modules 'kcage status --json e' e1000
    check monitor-options 'kcage monitor --' --json --summary --count --help
    check monitor-count 'kcage monitor --count '

    # kcage policy
    check policy-list-options 'kcage policy list -' --json --help
    check policy-show-modules 'kcage policy show kc_h' kc_hello
    check policy-show-output 'kcage policy show kc_hello -o ' foo.kcp sub
    check policy-load-options 'kcage policy load --' \
        --audit --exclusive --unchecked --help
    check policy-load-kcp 'kcage policy load --audit ' foo.kcp sub
    check policy-load-all-options 'kcage policy load-all --' \
        --policy-dir --audit --help
    check policy-load-all-dir 'kcage policy load-all --policy-dir ' sub
    check policy-remove-modules 'kcage policy remove e' e1000

    # policyc
    check policyc-options 'policyc --' --output --check --dump --learn \
        --module --base --include-dir --symbols --Werror --help --version
    check policyc-input 'policyc ' bar.yaml sub
    check policyc-check-input 'policyc --check --symbols /proc/kallsyms b' \
        bar.yaml
    check policyc-dump 'policyc --dump ' foo.kcp sub
    check policyc-dump-short 'policyc -d f' foo.kcp
    check policyc-learn 'policyc --learn -m kc_hello ' events.json sub
    check policyc-output 'policyc bar.yaml -o ' \
        bar.yaml events.json foo.kcp mod.ko notes.txt sub
    check policyc-output-equals 'policyc bar.yaml --output=n' notes.txt
    check policyc-include-dir 'policyc -I ' sub
    check policyc-include-dir-long 'policyc --include-dir s' sub
    check policyc-symbols 'policyc -s n' notes.txt
    check policyc-base 'policyc --learn -b ' bar.yaml sub
    check policyc-module 'policyc --learn -m kc_' kc_hello kc_forms

    ((failed == 0))
}

if [[ ${1-} == --inner ]]; then
    inner "$2" "$3"
    exit
fi

# ---------------------------------------------------------------------------
# Syntax, the made-up files, then the cases in a plain bash and in one
# with bash-completion.

for f in kcage policyc; do
    if out=$(bash -n "$comp_dir/$f" 2>&1); then
        pass "syntax/$f"
    else
        fail "syntax/$f" "bash -n: $(echo "$out" | head -3 | tr '\n' ' ')"
    fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cat >"$tmp/modules.dep" <<'EOF'
kernel/drivers/net/ethernet/intel/e1000/e1000.ko:
kernel/drivers/net/ethernet/intel/e1000e/e1000e.ko.xz: kernel/drivers/ptp/ptp.ko.xz
kernel/drivers/ptp/ptp.ko.xz:
kernel/drivers/input/mousedev.ko.zst:
kernel/fs/fat/vfat.ko: kernel/fs/fat/fat.ko
kernel/fs/fat/fat.ko:
EOF
cat >"$tmp/proc-modules" <<'EOF'
kc_hello 16384 0 - Live 0x0000000000000000
kc_forms 20480 0 - Live 0x0000000000000000
e1000 155648 0 - Live 0x0000000000000000
EOF
mkdir -p "$tmp/cwd/sub"
touch "$tmp/cwd/foo.kcp" "$tmp/cwd/bar.yaml" "$tmp/cwd/mod.ko" \
    "$tmp/cwd/events.json" "$tmp/cwd/notes.txt"

run()
{
    env -i PATH="$PATH" HOME="$HOME" LC_ALL=C \
        KCAGE_BASH_COMPLETION="$bc_main" KCAGE_COMPLETION_DIR="$comp_dir" \
        bash --norc --noprofile "$here/completion.sh" --inner "$1" "$tmp" ||
        failed=1
}

run plain
if [[ -r $bc_main ]]; then
    run bash-completion
else
    echo "SKIP install/completion/bash-completion: $bc_main is not installed"
fi

exit "$failed"
