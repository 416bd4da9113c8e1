//! The command line: `dockside lsp`, `dockside check`, ...

pub fn main() -> i32 {
    0
}
