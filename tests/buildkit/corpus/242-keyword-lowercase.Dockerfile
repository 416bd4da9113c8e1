from alpine as base
run echo hi
copy a b
env A=1
cmd ["sh"]
