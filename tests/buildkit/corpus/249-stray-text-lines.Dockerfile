FROM alpine
this is not an instruction
echo hi
