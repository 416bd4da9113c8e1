fn main() {
    std::process::exit(dockside::cli::main());
}
