frOm alpine
EntrypoINT /entry.sh arg
