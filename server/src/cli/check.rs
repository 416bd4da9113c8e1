//! `dockside check`: find Dockerfiles, analyse them, print diagnostics.

pub fn run(_args: &[String]) -> i32 {
    eprintln!("dockside check: not built yet");
    2
}
