// Analysis allocates many small strings; mimalloc makes that (and freeing old trees on
// every keystroke) several times cheaper than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    disable_transparent_huge_pages();
    std::process::exit(dockside::cli::main());
}

/// Turns transparent huge pages off for this process. With huge pages every first touch of
/// a 2 MB region of mimalloc's faults in, and zeroes, a whole 2 MB page: a language server
/// holding a 3,000-line document then sat at 45 MB instead of 15 MB, and zeroing the fresh
/// pages took about half of the first analysis. The allocations are short-lived and small;
/// 4 KB pages suit them. mimalloc is built without its own request for huge pages (the
/// `no_thp` feature), which covers kernels that give them only on request; this covers the
/// kernels that give them to every large enough region. Nothing changes where the kernel
/// has no THP or the call fails.
#[cfg(target_os = "linux")]
fn disable_transparent_huge_pages() {
    use std::os::raw::{c_int, c_ulong};
    extern "C" {
        fn prctl(option: c_int, ...) -> c_int;
    }
    // From <linux/prctl.h>.
    const PR_SET_THP_DISABLE: c_int = 41;
    // SAFETY: PR_SET_THP_DISABLE only sets a flag of this process; it takes four unsigned
    // long arguments (1 to disable, then three zeros) and touches no memory of ours.
    let _ = unsafe {
        prctl(
            PR_SET_THP_DISABLE,
            1 as c_ulong,
            0 as c_ulong,
            0 as c_ulong,
            0 as c_ulong,
        )
    };
}

#[cfg(not(target_os = "linux"))]
fn disable_transparent_huge_pages() {}
