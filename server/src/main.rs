// Analysis allocates many small strings; mimalloc makes that (and freeing old trees on
// every keystroke) several times cheaper than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(dockside::cli::main());
}
