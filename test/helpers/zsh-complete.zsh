# Real zsh completion, driven like a user would: an interactive `zsh -f` in a
# pseudo-terminal (zpty), compinit, the script `mmx completion zsh` prints, and TAB
# after each command line given as an argument. compadd is wrapped to print what
# completion adds; for each line this prints "<<" … ">>" blocks of candidates,
# then "<done N>". mmx must be on PATH. Used by test/e2e/completion-shells.test.ts.
zmodload zsh/zpty || exit 3
zpty mmx zsh -f -i
zpty -w mmx 'PROMPT="zsh-ready%% " RPROMPT=; unsetopt zle_bracketed_paste 2>/dev/null; setopt no_beep'
zpty -w mmx 'autoload -U compinit && compinit -u -D'
zpty -w mmx 'source <(mmx completion zsh) && print -r -- "registered: ${_comps[mmx]}"'
zpty -w mmx 'compadd () { local -a hits; builtin compadd -O hits "$@"; (( $#hits )) && print -rl -- "" "<<" "${(@)hits}" ">>"; builtin compadd "$@" }'
zpty -w mmx 'bindkey "^I" complete-word; zstyle ":completion:*" menu no'
# The marker is printed from two words, so the echo of the command does not match it.
zpty -w mmx 'print -r -- "<ready" ">"'
zpty -r mmx out '*<ready >*' || exit 4
print -r -- "$out" | grep -a '^registered:'
# Each line is typed once the prompt shows, so zle (not the terminal) reads the TAB.
zpty -r mmx out '*zsh-ready% *' || exit 4
integer n=0
for line in "$@"; do
  n+=1
  zpty -w -n mmx "$line"$'\t'
  zpty -w mmx $'\x15'"print -r -- \"<done\" \"$n>\""
  zpty -r mmx out "*<done $n>*" || exit 5
  print -r -- "$out"
  zpty -r mmx out '*zsh-ready% *' || exit 5
done
zpty -d mmx
